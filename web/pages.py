"""HTML pages: dashboard, gap list, promise detail, procedures, documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from consistency import judge, triage, words
from consistency.models import GAP_VERDICTS, VERDICTS
from consistency.store import Store

from . import get_store
from .text import fact_spans, paragraph, segments

bp = Blueprint("pages", __name__)

GAP_FILTERS = ("verdict", "campaign", "channel", "team", "status", "assignee", "q", "sort")


@bp.route("/")
def dashboard():
    store = get_store()
    triage.sync(store)
    run = store.latest_run()
    data: dict[str, Any] = {"run": run, "suspects": len(triage.suspect_ids(store))}
    if run:
        data["coverage"] = run["covered"] / run["promises"] if run["promises"] else None
        data["contradictions"], _ = store.gap_page(
            run["id"], verdicts=["contradicted"], status="active", sort="confidence", limit=5
        )
        data["oldest"], data["open_total"] = store.gap_page(
            run["id"], status="active", sort="age", limit=5
        )
        data["campaigns"] = store.coverage_by(run["id"], "campaign")
        data["teams"] = store.coverage_by(run["id"], "team")
    return render_template("dashboard.html", **data)


def gap_args(args: Any) -> dict[str, Any]:
    """The gap filters from a query string, as Store.gap_page keywords."""
    f = {k: (args.get(k) or "").strip() or None for k in GAP_FILTERS}
    verdict = f.pop("verdict")
    f["verdicts"] = [verdict] if verdict in GAP_VERDICTS else None
    f["status"] = f["status"] or "active"
    if f["status"] == "all":
        f["status"] = None
    f["sort"] = f["sort"] if f["sort"] in Store.GAP_SORTS else "age"
    return {k: v for k, v in f.items() if v is not None}


def document_findings(store: Store, run_id: int, doc_id: int) -> list[dict[str, Any]]:
    """A campaign's promises as the run judged them, every verdict: its pre-flight."""
    rows, _ = store.gap_page(
        run_id, verdicts=VERDICTS, document_id=doc_id, sort="campaign", limit=1000
    )
    return rows


@bp.route("/gaps")
def gaps():
    store = get_store()
    triage.sync(store)
    run = store.latest_run()
    size = current_app.config["PAGE_SIZE"]
    page = max(1, request.args.get("page", 1, type=int))
    rows, total, facets, states = [], 0, {}, {}
    if run:
        rows, total = store.gap_page(
            run["id"], **gap_args(request.args), limit=size, offset=(page - 1) * size
        )
        facets = store.gap_facets(run["id"])
        states = triage.states(store, [r["promise_hash"] for r in rows])
    pages = max(1, -(-total // size))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "gaps.html",
        run=run,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        args=args,
        facets=facets,
        states=states,
        reasons=triage.DISMISS_REASONS,
    )


@bp.route("/promises/<int:finding_id>")
def promise(finding_id: int):
    store = get_store()
    f = store.finding(finding_id)
    if f is None:
        abort(404, f"No finding #{finding_id}: it may belong to a deleted document.")
    state = triage.states(store, [f["promise_hash"]])[f["promise_hash"]]
    # The same rule the check applies: the latest decision on a candidate wins.
    rejected = {evidence for _, evidence in triage.links(state.history)[0]}
    evidence, promise_spans = [], None
    mine = words.stored_terms(f)
    for rank, ev in enumerate(f["evidence"]):
        stmt = store.statement(ev["statement_id"])
        if not stmt or stmt["text_hash"] != ev["text_hash"]:
            stmt = None
        ev_facts = stmt["facts"] if stmt else []
        agree, conflict = judge.compare_facts(f["facts"], ev_facts, mine, stmt)
        spans = fact_spans(ev["text"], ev_facts, [e for _, e in agree], [e for _, e in conflict])
        if rank == 0 or (conflict and not promise_spans):
            promise_spans = fact_spans(
                f["promise_text"], f["facts"], [p for p, _ in agree], [p for p, _ in conflict]
            )
        evidence.append(
            dict(
                ev,
                segments=segments(ev["text"], spans),
                linked=ev["text_hash"] == state.linked_hash,
                rejected=ev["text_hash"] in rejected,
            )
        )
    if promise_spans is None:
        promise_spans = fact_spans(f["promise_text"], f["facts"], [], [])
    before, _, after = paragraph(f["document_text"], f["start"], f["end"])
    q = (request.args.get("q") or "").strip()
    return render_template(
        "promise.html",
        f=f,
        state=state,
        evidence=evidence,
        before=before,
        promise_segments=segments(f["promise_text"], promise_spans),
        after=after,
        latest_id=store.latest_finding_id(f["promise_hash"]),
        q=q,
        found=store.search_statements(q) if q else [],
        reasons=triage.DISMISS_REASONS,
    )


@bp.route("/procedures")
def procedures():
    store = get_store()
    run = store.latest_run()
    covering = store.covering_findings(run["id"]) if run else {}
    docs: dict[int, dict[str, Any]] = {
        d["id"]: dict(d, rows=[]) for d in store.documents(kind="procedure")
    }
    for s in store.statements(kind="procedure"):
        if s["document_id"] in docs:
            docs[s["document_id"]]["rows"].append(dict(s, covers=covering.get(s["text_hash"], [])))
    return render_template("procedures.html", run=run, docs=list(docs.values()))


@bp.route("/documents")
def documents():
    store = get_store()
    by_source: dict[str, list[dict[str, Any]]] = {}
    for d in store.documents(current_only=False):
        by_source.setdefault(d["source"], []).append(d)
    groups = []
    for versions in by_source.values():
        versions.sort(key=lambda d: -d["version"])
        groups.append({"current": versions[0], "older": versions[1:]})
    groups.sort(key=lambda g: (g["current"]["kind"], (g["current"]["title"] or "").lower()))
    return render_template("documents.html", groups=groups)


@bp.route("/documents/<int:doc_id>")
def document(doc_id: int):
    store = get_store()
    doc = store.document(doc_id)
    if doc is None:
        abort(404, f"No document #{doc_id}: it may have been deleted.")
    run = store.latest_run()
    statements = store.statements(document_id=doc_id)
    findings, rows = [], []
    if doc["kind"] == "campaign" and run:
        findings = document_findings(store, run["id"], doc_id)
    elif run:
        covering = store.covering_findings(run["id"])
        rows = [dict(s, covers=covering.get(s["text_hash"], [])) for s in statements]
    promises = sum(1 for s in statements if s["is_promise"])
    return render_template(
        "document.html",
        doc=doc,
        run=run,
        findings=findings,
        rows=rows,
        promises=promises,
        versions=store.document_versions(doc["source"]),
        counts={v: sum(1 for f in findings if f["verdict"] == v) for v in VERDICTS},
    )


@bp.route("/documents/<int:doc_id>/delete", methods=["GET", "POST"])
def delete_document(doc_id: int):
    store = get_store()
    doc = store.document(doc_id)
    if doc is None:
        abort(404, f"No document #{doc_id}: it may have been deleted already.")
    if request.method == "GET":
        return render_template("delete.html", doc=doc)
    store.delete_document(doc_id)
    flash(f"Deleted “{doc['title']}” version {doc['version']}.", "ok")
    return redirect(url_for("pages.documents"))
