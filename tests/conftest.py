"""Shared fixtures: real SQLite files in tmp_path, the real model once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from consistency.embed import HashingEmbedder, SentenceEmbedder
from consistency.store import Store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "hinge.db"


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def embedder():
    """The real packaged MiniLM, loaded once: quality claims are only made with it."""
    return SentenceEmbedder()


@pytest.fixture
def fake_embedder():
    """For plumbing only: deterministic, fast, and meaningless for quality."""
    return HashingEmbedder()


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def app(db_path, fake_embedder):
    """The web app over db_path; its checks use the fake embedder (plumbing, not quality)."""
    from web import create_app

    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(db_path),
            "WTF_CSRF_ENABLED": True,
            "EMBEDDER": fake_embedder,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out of a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by playwright, one for the session (`make browser` installs
    it; never `playwright install`, which downloads a browser of its own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """build/screenshots/ (not committed): pages saved by the tests, to look at."""
    shots = Path(__file__).resolve().parent.parent / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    return shots
