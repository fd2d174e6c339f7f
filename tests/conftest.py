"""Shared fixtures: real SQLite files in tmp_path, the real model once per session."""

from __future__ import annotations

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
def app(db_path):
    from web import create_app

    return create_app({"TESTING": True, "DATABASE": str(db_path), "WTF_CSRF_ENABLED": True})


@pytest.fixture
def client(app):
    return app.test_client()
