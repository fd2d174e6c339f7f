"""Hinge's web page: a Flask application factory over the consistency package."""

from __future__ import annotations

import os
import threading
from typing import Any

from flask import Flask, current_app, g, request
from flask_wtf.csrf import CSRFProtect

from consistency.store import Store, default_db_path

csrf = CSRFProtect()
NAME_COOKIE = "hinge_name"
_embedder_lock = threading.Lock()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("HINGE_SECRET_KEY") or os.urandom(32).hex(),
        DATABASE=default_db_path(),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        # The page checks promises in force, as `hinge check` does by default.
        CHECK_ALL_CAMPAIGNS=False,
        EMBEDDER=None,  # tests may pass one; otherwise the real model, loaded on first use
        PAGE_SIZE=50,
        WTF_CSRF_TIME_LIMIT=None,  # a tab left open over lunch still submits
    )
    if test_config:
        app.config.update(test_config)
    csrf.init_app(app)

    @app.teardown_appcontext
    def close_store(_exc: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {"actor": current_actor()}

    from . import api, errors, pages, reports, triage_views, upload

    errors.register(app)
    for module in (pages, upload, triage_views, api, reports):
        app.register_blueprint(module.bp)
    return app


def get_store() -> Store:
    """One store per request: sqlite connections must not cross threads."""
    if "store" not in g:
        g.store = Store(current_app.config["DATABASE"])
    return g.store


def get_embedder() -> Any:
    """The app's one embedder, created on first use (the model takes seconds to load)."""
    app = current_app
    with _embedder_lock:
        if "hinge.embedder" not in app.extensions:
            embedder = app.config.get("EMBEDDER")
            if embedder is None:
                from consistency.embed import SentenceEmbedder

                embedder = SentenceEmbedder()
            app.extensions["hinge.embedder"] = embedder
    return app.extensions["hinge.embedder"]


def run_check() -> int:
    """Judge the store again; only new text is encoded, so this is quick after the first."""
    from consistency import pipeline

    return pipeline.check(
        get_store(), get_embedder(), all_campaigns=current_app.config["CHECK_ALL_CAMPAIGNS"]
    )


def current_actor() -> str | None:
    """Who is deciding: a name the user sets once, kept in a cookie until login exists."""
    name = (request.cookies.get(NAME_COOKIE) or "").strip()
    return name[:80] or None
