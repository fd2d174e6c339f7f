"""The Reports page: every week that had a check, its report to read and to download."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from consistency import weekly
from consistency.models import HingeError
from consistency.report import FORMATS, render

from . import get_store

bp = Blueprint("reports", __name__)
MIMETYPES = {
    "html": "text/html",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
}


@bp.route("/reports")
def index():
    try:
        weeks = weekly.overview(get_store())
    except HingeError as err:
        abort(500, description=str(err))
    return render_template("reports.html", weeks=weeks, formats=FORMATS)


@bp.route("/reports/<name>")
def show(name: str):
    """/reports/2026-W47 reads the report; /reports/2026-W47.csv (or .md, .json, .html)
    downloads it."""
    label, dot, fmt = name.partition(".")
    fmt = fmt if dot else "html"
    if fmt not in FORMATS:
        abort(404, description=f"No {fmt} format: use one of {', '.join(FORMATS)}.")
    try:
        report = weekly.build(get_store(), weekly.parse_week(label, weekly.timezone()))
    except HingeError as err:
        abort(404, description=str(err))
    response = Response(render(report, fmt), mimetype=MIMETYPES[fmt])
    response.charset = "utf-8"
    if dot:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="hinge-report-{report["week"]}.{fmt}"'
        )
    return response
