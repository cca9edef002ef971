"""A very long address is refused in Vietnamese: by Django's 414 page, and past the server's
own limit by the worker's page, never by gunicorn's English one."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_long_address_gets_the_sites_414_page(site, client: Client) -> None:
    response = client.get("/tim-kiem/?q=" + "a" * 8100)
    assert response.status_code == 414
    assert "Địa chỉ quá dài" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=90) as response:  # noqa: S310 - local server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_past_the_servers_limit_the_refusal_is_vietnamese_too() -> None:
    port = _free_port()
    data_dir = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.test",
        "MODUONG_DATA_DIR": data_dir,
        # A database URL of its own, so that `serve` starts no task worker beside the server.
        "DATABASE_URL": f"sqlite:///{Path(data_dir) / 'db.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "THREADS": "2",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [Path(sys.executable).with_name("moduong"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        status, body = _get(base + "/tim-kiem/?q=" + "a" * 10_000)
        assert status == 414
        assert "Địa chỉ quá dài" in body
        assert "URI Too Long" not in body and "Request Line" not in body
    finally:
        server.terminate()
        server.wait(timeout=20)
