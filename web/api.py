"""JSON API under /api: the same functions and rules as the pages, errors as JSON.

CSRF: the blueprint is exempt from the form token because every POST must carry
`Content-Type: application/json`. A cross-site page can only send that type after a
CORS preflight, which this app never grants, so a forged request cannot reach a view.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, jsonify, request

from consistency import triage
from consistency.models import VERDICTS, HingeError, text_hash

from . import csrf, get_store, run_check
from .pages import document_findings, gap_args
from .upload import read_documents, store_documents, upload_options

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)
MAX_LIMIT = 1000


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@bp.errorhandler(ApiError)
def api_error(err: ApiError):
    return jsonify(error=str(err)), err.status


@bp.errorhandler(HingeError)
def hinge_error(err: HingeError):
    return jsonify(error=str(err)), 422


@bp.before_request
def json_only():
    if request.method == "POST" and not request.is_json:
        raise ApiError(415, "send JSON with Content-Type: application/json")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def _page() -> tuple[int, int]:
    try:
        limit = min(MAX_LIMIT, max(1, int(request.args.get("limit", 100))))
        offset = max(0, int(request.args.get("offset", 0)))
    except ValueError:
        raise ApiError(400, "limit and offset must be whole numbers") from None
    return limit, offset


def _run() -> dict[str, Any]:
    """The run ?run= names, or the latest."""
    store = get_store()
    run_id = request.args.get("run", type=int)
    if run_id:
        run = store.run(run_id)
        if run is None:
            raise ApiError(404, f"no run #{run_id}")
        return run
    run = store.latest_run()
    if run is None:
        raise ApiError(404, "no check has run yet: POST /api/check")
    return run


@bp.get("/documents")
def documents():
    all_versions = request.args.get("all") in ("1", "true")
    return jsonify(documents=get_store().documents(current_only=not all_versions))


@bp.post("/documents")
def upload():
    """{"text": ..., or "filename" + "content_base64": ..., "kind", "title", ...}."""
    body = _body()
    data = None
    if body.get("content_base64") is not None:
        try:
            data = base64.b64decode(body["content_base64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ApiError(400, "content_base64 is not valid base64") from None
        if not body.get("filename"):
            raise ApiError(422, "a file needs its filename (it picks the format)")
    docs = read_documents(
        data=data,
        filename=body.get("filename"),
        text=body.get("text"),
        options=upload_options({k: str(v) for k, v in body.items() if v is not None}),
    )
    saved = store_documents(docs)
    run_id = None
    if body.get("check", True) and any(status != "unchanged" for _, _, status in saved):
        run_id = run_check()
    out: dict[str, Any] = {
        "documents": [
            {
                "id": i,
                "status": s,
                "title": d.title,
                "kind": d.kind,
                "source": d.source,
                "warnings": d.warnings,
            }
            for d, i, s in saved
        ],
        "run_id": run_id,
    }
    if run_id:  # pre-flight: the uploaded campaigns' promises with verdicts
        out["findings"] = [
            r
            for d, i, _ in saved
            if d.kind == "campaign"
            for r in document_findings(get_store(), run_id, i)
        ]
    return jsonify(out), 201


@bp.get("/promises")
def promises():
    run = _run()
    limit, offset = _page()
    rows, total = get_store().gap_page(
        run["id"], verdicts=VERDICTS, sort="campaign", limit=limit, offset=offset
    )
    return jsonify(run_id=run["id"], total=total, promises=rows)


@bp.get("/gaps")
def gaps():
    triage.sync(get_store())
    run = _run()
    limit, offset = _page()
    rows, total = get_store().gap_page(run["id"], **gap_args(request.args), limit=limit,
                                       offset=offset)  # fmt: skip
    return jsonify(run_id=run["id"], total=total, gaps=rows)


@bp.get("/decisions")
def decisions():
    promise_hash = request.args.get("promise_hash")
    store = get_store()
    rows = store.decisions([promise_hash] if promise_hash else None)
    return jsonify(decisions=rows, suspects=triage.suspect_ids(store))


@bp.post("/decisions")
def decide():
    """{"action", "actor", "finding_id" or "promise_text", "statement_id" or "evidence_text",
    "value", "note"}; a confirm/reject/link/unlink re-checks, like the page."""
    body = _body()
    store = get_store()
    finding = _named(body, "finding_id", store.finding, "finding")
    if finding is not None:
        promise_text = finding["promise_text"]
    else:
        promise_text = body.get("promise_text")
        if not isinstance(promise_text, str) or not promise_text.strip():
            raise ApiError(422, "name the promise: finding_id or promise_text")
        if not store.current_hashes([text_hash(promise_text)]):
            raise ApiError(404, "no current document states this promise text")
    stmt = _named(body, "statement_id", store.statement, "statement")
    evidence_text = stmt["text"] if stmt is not None else body.get("evidence_text")
    decision_id = triage.record(
        store,
        str(body.get("action") or ""),
        promise_text=promise_text,
        evidence_text=evidence_text,
        value=_str(body.get("value")),
        note=_str(body.get("note")),
        actor=_str(body.get("actor")) or "",
    )
    run_id = run_check() if body.get("action") in triage.LINK_ACTIONS else None
    ph = text_hash(promise_text)
    state = triage.states(store, [ph])[ph]
    return jsonify(
        id=decision_id,
        run_id=run_id,
        state={
            "status": state.status,
            "assignee": state.assignee,
            "dismissed_reason": state.dismissed_reason,
            "linked_hash": state.linked_hash,
            "suspect": state.suspect,
        },
    ), 201


def _named(
    body: dict[str, Any], key: str, load: Callable[[int], dict | None], what: str
) -> dict[str, Any] | None:
    """The stored row body[key] names (404 when there is none); None when it names none."""
    if body.get(key) is None:
        return None
    row = load(_int(body[key], key))
    if row is None:
        raise ApiError(404, f"no {what} #{body[key]}")
    return row


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be a whole number") from None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


@bp.get("/runs")
def runs():
    limit, _ = _page()
    return jsonify(runs=get_store().recent_runs(limit))


@bp.post("/check")
def check():
    _body()
    run_id = run_check()
    return jsonify(run=get_store().run(run_id)), 201


@bp.route("/<path:_rest>")
def not_found(_rest: str):
    abort(404, "no such API endpoint: see /api/documents, gaps, promises, decisions, runs")
