"""`dossier serve` says where it serves, and makes the pages again when an article is
added: a real server in a subprocess, read over HTTP as a browser would."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

NEW_ARTICLE = (
    "Reprise de Mossoul annoncée à Bagdad\n\n"
    "Les forces irakiennes ont repris Mossoul le 10 juillet 2017, a annoncé le Premier "
    "ministre Haïder al-Abadi à Bagdad devant la presse.\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(1)
    return False


def test_serve_prints_its_url_and_follows_the_articles(make_project):
    settings = make_project(SEEDS)
    address = f"127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", address]
    server = subprocess.Popen(
        command, cwd=settings.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == f"serving the dossier at http://{address}/ (Ctrl-C to stop)\n"
        sources = f"http://{address}/sources/"
        assert wait_for(lambda: "Sources" in page(sources), 180)
        assert "Reprise de Mossoul" not in page(sources)
        (settings.articles_dir / "reprise.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        assert wait_for(lambda: "Reprise de Mossoul annoncée à Bagdad" in page(sources), 180)
    finally:
        server.terminate()
        server.wait(timeout=30)
