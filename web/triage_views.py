"""Triage from the pages: decisions on one promise, bulk actions, suspects, your name."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from consistency import triage
from consistency.models import HingeError

from . import NAME_COOKIE, current_actor, get_store, run_check

bp = Blueprint("triage", __name__)
BULK_ACTIONS = ("assign", "dismiss", "reopen", "note")


def _safe_next(default: str) -> str:
    """A local path to return to; never an absolute URL from the request."""
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _need_actor():
    actor = current_actor()
    if not actor:
        flash("Set your name first: every decision records who made it.", "error")
        return None, redirect(
            url_for("triage.name", next=request.referrer and urlsplit(request.referrer).path)
        )
    return actor, None


def decide(finding: dict, action: str, actor: str, statement_id: int | None = None) -> None:
    """One triage action on a finding; the evidence is a stored statement, picked by id."""
    store = get_store()
    evidence_text = None
    if statement_id is not None:
        stmt = store.statement(statement_id)
        if stmt is None:
            raise HingeError(f"procedure statement #{statement_id} no longer exists: reload")
        evidence_text = stmt["text"]
    triage.record(
        store,
        action,
        promise_text=finding["promise_text"],
        evidence_text=evidence_text,
        value=request.form.get("value"),
        note=request.form.get("note"),
        actor=actor,
    )


@bp.route("/promises/<int:finding_id>/triage", methods=["POST"])
def promise_action(finding_id: int):
    store = get_store()
    finding = store.finding(finding_id)
    if finding is None:
        abort(404, f"No finding #{finding_id}.")
    actor, response = _need_actor()
    if response:
        return response
    action = request.form.get("action", "")
    try:
        decide(finding, action, actor, request.form.get("statement_id", type=int))
        if action in triage.LINK_ACTIONS:
            run_check()  # the verdict follows the decision on the page right away
    except HingeError as err:
        flash(str(err), "error")
        return redirect(url_for("pages.promise", finding_id=finding_id))
    flash(f"{action.capitalize()} recorded.", "ok")
    latest = store.latest_finding_id(finding["promise_hash"]) or finding_id
    return redirect(url_for("pages.promise", finding_id=latest))


@bp.route("/gaps/bulk", methods=["POST"])
def bulk():
    store = get_store()
    back = _safe_next(url_for("pages.gaps"))
    actor, response = _need_actor()
    if response:
        return response
    action = request.form.get("action", "")
    ids = request.form.getlist("ids", type=int)
    if action not in BULK_ACTIONS:
        flash(f"Pick a bulk action: {', '.join(BULK_ACTIONS)}.", "error")
        return redirect(back)
    if not ids:
        flash("Select some gaps first (the boxes in the first column).", "error")
        return redirect(back)
    done = 0
    try:
        with store.transaction():
            for finding_id in ids:
                finding = store.finding(finding_id)
                if finding is not None:
                    decide(finding, action, actor)
                    done += 1
    except HingeError as err:
        flash(f"Nothing changed: {err}", "error")
        return redirect(back)
    flash(f"{action.capitalize()}: {done} gap{'s' if done != 1 else ''}.", "ok")
    return redirect(back)


@bp.route("/suspects")
def suspects():
    return render_template("suspects.html", suspects=triage.suspects(get_store()))


@bp.route("/suspects/<int:decision_id>", methods=["POST"])
def review_suspect(decision_id: int):
    store = get_store()
    actor, response = _need_actor()
    if response:
        return response
    try:
        suspect = triage.suspect_by_id(store, decision_id)
        if request.form.get("action") == "carry_over":
            triage.carry_over(store, suspect, actor=actor)
            flash("Carried the decision over to the new text.", "ok")
        else:
            triage.drop(store, suspect, actor=actor)
            flash("Dropped the decision; the promise is open again.", "ok")
        run_check()
    except HingeError as err:
        flash(str(err), "error")
    return redirect(url_for("triage.suspects"))


@bp.route("/name", methods=["GET", "POST"])
def name():
    if request.method == "GET":
        return render_template("name.html", next=_safe_next(""))
    value = " ".join((request.form.get("name") or "").split())[:80]
    if not value:
        flash("Type a name, for example Sam from Operations.", "error")
        return redirect(url_for("triage.name"))
    response = redirect(_safe_next(url_for("pages.dashboard")))
    response.set_cookie(NAME_COOKIE, value, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    flash(f"Decisions will be recorded as {value}.", "ok")
    return response
