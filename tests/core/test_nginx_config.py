"""deploy/nginx/moduong.conf, the configuration docs/operator.md quotes and `make cluster-test`
runs: nginx accepts it, its error pages are Vietnamese, and the guide shows it as it is."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.cluster.cluster import NGINX_ERRORS, NGINX_TEMPLATE, ROOT, nginx_main, nginx_render

CODES = ("413", "414", "502", "503", "504")


def test_error_pages_are_vietnamese_pages() -> None:
    conf = NGINX_TEMPLATE.read_text()
    for code in CODES:
        page = (NGINX_ERRORS / f"{code}.html").read_text()
        assert f"error_page {code} /_loi/{code}.html;" in conf
        assert '<html lang="vi">' in page and '<meta charset="utf-8">' in page
        assert "Xin" in page and 'href="/"' in page


def test_posts_are_never_passed_to_a_second_app_host() -> None:
    conf = NGINX_TEMPLATE.read_text()
    retries = re.findall(r"proxy_next_upstream ([^;]+);", conf)
    assert retries and all("non_idempotent" not in r for r in retries)
    assert "proxy_cache_lock on;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf


def test_operator_guide_quotes_the_configuration() -> None:
    guide = (ROOT / "docs" / "operator.md").read_text()
    assert NGINX_TEMPLATE.read_text().strip() in guide


@pytest.mark.tool("nginx")
def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    for name in ("static", "media", "private", "cache", "nginx"):
        (tmp_path / name).mkdir()
    conf = tmp_path / "nginx" / "moduong.conf"
    conf.write_text(
        nginx_render(
            upstreams=["127.0.0.1:8000", "127.0.0.1:8001"],
            listen=f"unix:{tmp_path / 'nginx.sock'}",
            server_name="cong.example.vn",
            static_root=tmp_path / "static",
            media_root=tmp_path / "media",
            private_root=tmp_path / "private",
            cache_dir=tmp_path / "cache",
        )
    )
    assert "@" not in re.sub(r"#.*", "", conf.read_text())
    main = tmp_path / "nginx" / "nginx.conf"
    main.write_text(nginx_main(conf, tmp_path / "nginx", tmp_path))
    checked = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
