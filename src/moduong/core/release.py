"""The release the running code belongs to: the package's version and the deploy's id.

Objects kept in the shared cache (Redis) are pickled Python objects, whose shape is the code's:
a deploy that changes a class must never read what the previous release stored, nor the
previous release (still answering during a rolling restart) what the new one stores. So the
release is part of every key of the default cache (settings: KEY_PREFIX). The deploy's id is
MODUONG_DEPLOY_ID when the deploy sets it (a commit, a time); otherwise a digest of the
package's own code, the same for every process (web, worker) and every machine that runs the
same code, and different as soon as one line changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import moduong


def code_digest(root: Path | None = None) -> str:
    """A short digest of the package's Python files (names and contents)."""
    root = root or Path(moduong.__file__).parent
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def release_id(environ: dict[str, str] | os._Environ[str] | None = None) -> str:
    """ "<version>+<deploy id>", e.g. "0.1.0+a1b2c3d4e5f6"."""
    environ = os.environ if environ is None else environ
    deploy = environ.get("MODUONG_DEPLOY_ID", "").strip() or code_digest()
    safe = "".join(ch for ch in deploy if ch.isalnum() or ch in "._-")[:40] or "0"
    return f"{moduong.__version__}+{safe}"
