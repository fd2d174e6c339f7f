"""HTML pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import get_store

bp = Blueprint("pages", __name__)


@bp.route("/")
def documents():
    return render_template("documents.html", documents=get_store().documents())
