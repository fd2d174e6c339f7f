"""Hinge's web page: a Flask application factory over the consistency package."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, g

from consistency.store import Store, default_db_path


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("HINGE_SECRET_KEY") or os.urandom(32).hex(),
        DATABASE=default_db_path(),
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)

    @app.teardown_appcontext
    def close_store(_exc: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    from . import pages

    app.register_blueprint(pages.bp)
    from . import reports

    app.register_blueprint(reports.bp)
    return app


def get_store() -> Store:
    """One store per request: sqlite connections must not cross threads."""
    from flask import current_app

    if "store" not in g:
        g.store = Store(current_app.config["DATABASE"])
    return g.store
