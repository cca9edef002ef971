"""The embedded demo: one machine, SQLite, emails printed on the console."""

import os

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)  # noqa: F405 - the demo shows the real error pages by default
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without a collectstatic step
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
