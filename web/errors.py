"""Error pages: JSON under /api, a page with a sentence to act on elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .upload import render_form


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def limit_message(app: Flask) -> str:
    limit = app.config["MAX_CONTENT_LENGTH"]
    size = f"{limit / 1024 / 1024:.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"The upload is larger than the {size} limit. Split the file, or paste the text."


def register(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_err: RequestEntityTooLarge):
        message = limit_message(app)
        if _wants_json():
            return jsonify(error=message), 413
        if request.endpoint == "upload.upload":
            return render_form(errors=[message], status=413)
        return render_template("error.html", code=413, message=message), 413

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        message = f"The form was refused ({err.description}). Reload the page and submit it again."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if _wants_json():
            return jsonify(error=err.description), err.code
        return render_template("error.html", code=err.code, message=err.description), err.code
