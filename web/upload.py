"""Upload a file or pasted text; a campaign is checked at once (pre-flight)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from consistency import ingest, pipeline
from consistency.models import KINDS, Document, HingeError

from . import get_store, run_check

bp = Blueprint("upload", __name__)
OPTIONS = ("kind", "title", "channel", "team", "valid_from", "valid_until")
FIELDS = (*OPTIONS, "text")


def render_form(*, errors: list[str] | None = None, status: int = 200, form: Any = None):
    values = {k: (form.get(k) if form else "") or "" for k in FIELDS}
    values["kind"] = values["kind"] or "campaign"
    return render_template("upload.html", errors=errors or [], values=values, kinds=KINDS), status


def read_documents(
    *, data: bytes | None, filename: str | None, text: str | None, options: dict[str, Any]
) -> list[Document]:
    """The documents of an upload; raises HingeError (IngestError) for the form."""
    if data:
        docs = ingest.read_bytes(data, filename or "upload.txt", **options)
    elif text and text.strip():
        docs = ingest.read_text(text, source=_paste_source(options), **options)
    else:
        raise HingeError("choose a file or paste some text")
    return docs


def _paste_source(options: dict[str, Any]) -> str:
    # Pasting the same title again makes a new version of that document.
    title = (options.get("title") or "untitled").strip().lower()
    return f"pasted:{options['kind']}:{title}"


def store_documents(docs: list[Document]) -> list[tuple[Document, int, str]]:
    """Save all documents in one transaction: a failed upload leaves the store as it was."""
    store = get_store()
    saved = []
    with store.transaction():
        for doc in docs:
            doc_id, status = pipeline.save(store, doc)
            saved.append((doc, doc_id, status))
    return saved


def upload_options(form: Any) -> dict[str, Any]:
    return {k: (form.get(k) or "").strip() or None for k in OPTIONS}


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return render_form()
    file = request.files.get("file")
    data = file.read() if file and file.filename else None
    try:
        docs = read_documents(
            data=data,
            filename=file.filename if file else None,
            text=request.form.get("text"),
            options=upload_options(request.form),
        )
        saved = store_documents(docs)
    except HingeError as err:
        return render_form(errors=[str(err)], status=422, form=request.form)
    for doc in docs:
        for warning in doc.warnings:
            flash(f"{doc.title}: {warning}", "warning")
    run_id = None
    if any(status != "unchanged" for _, _, status in saved) or get_store().latest_run() is None:
        try:
            run_id = run_check()
        except HingeError as err:
            flash(f"Saved, but the check failed: {err}", "error")
    names = ", ".join(f"“{d.title}” ({status})" for d, _, status in saved)
    flash(f"Saved {names}." + (f" Checked as run #{run_id}." if run_id else ""), "ok")
    return redirect(url_for("pages.document", doc_id=saved[0][1]))
