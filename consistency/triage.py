"""Human decisions on promises: the audit trail, the state it folds into, and suspects.

A decision names its texts by content hash (models.text_hash), so it survives
re-ingestion and re-checks: the same promise text in a new run is the same
promise. When the promise's text or the linked procedure text changes (its hash
is gone while the document that held it lives on in a new version), the decision
turns *suspect* and is listed for review, with the closest text of the new version
so it can be carried over or dropped.

`links` reads confirm/reject/link/unlink from the same rows for the pipeline: a confirmed
or linked promise is judged covered by that statement, a rejected candidate is
dropped so the next one takes its place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import HingeError, text_hash
from .store import Store, now_iso

ACTIONS = ("confirm", "reject", "link", "unlink", "dismiss", "assign", "reopen", "note")
LINK_ACTIONS = ("confirm", "reject", "link", "unlink")  # these change verdicts: re-check
DISMISS_REASONS = ("not_a_promise", "duplicate", "out_of_scope", "wont_fix")


@dataclass
class PromiseState:
    status: str = "open"  # open | assigned | dismissed | resolved
    assignee: str | None = None
    dismissed_reason: str | None = None
    linked_hash: str | None = None  # the procedure text a confirm or link resolved it with
    suspect: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)
    # The decision that set the current status and the link: what turns suspect.
    basis: dict[str, Any] | None = None
    link: dict[str, Any] | None = None


def record(
    store: Store,
    action: str,
    *,
    promise_text: str,
    evidence_text: str | None = None,
    value: str | None = None,
    note: str | None = None,
    actor: str,
    at: str | None = None,
) -> int:
    """Append one decision to the audit trail; returns its id.

    Raises HingeError with what to fix when the action or a required field is wrong.
    """
    action, value, note = (action or "").strip(), _clean(value), _clean(note)
    actor = _clean(actor)
    if action not in ACTIONS:
        raise HingeError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    if not actor:
        raise HingeError("say who decides: set your name (it is kept in the audit trail)")
    if not (promise_text or "").strip():
        raise HingeError("a decision needs the promise text it is about")
    if action in LINK_ACTIONS and not (evidence_text or "").strip():
        raise HingeError(f"{action} needs the procedure statement it is about")
    if action == "dismiss" and value not in DISMISS_REASONS:
        raise HingeError(f"dismiss needs a reason: one of {', '.join(DISMISS_REASONS)}")
    if action == "note" and not (note or value):
        raise HingeError("a note needs some text")
    if at is not None:
        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise HingeError(f"{at!r} is not an ISO date and time (2026-05-01T09:30:00)") from None
    at = at or now_iso()
    ph = text_hash(promise_text)
    history = store.decisions([ph])
    state = fold(history)
    if action == "reopen" and state.linked_hash and state.link:
        # Reopening a resolved promise also undoes its link, or the next check says covered.
        _insert(
            store, history, "unlink", ph, promise_text, state.link["evidence_text"],
            None, None, actor, at,
        )  # fmt: skip
    return _insert(store, history, action, ph, promise_text, evidence_text, value, note, actor, at)


def _insert(
    store: Store,
    history: list[dict[str, Any]],
    action: str,
    ph: str,
    promise_text: str,
    evidence_text: str | None,
    value: str | None,
    note: str | None,
    actor: str,
    at: str,
) -> int:
    row = {
        "created_at": at,
        "actor": actor,
        "action": action,
        "promise_hash": ph,
        "evidence_hash": text_hash(evidence_text) if evidence_text else None,
        "value": value,
        "note": note if action != "note" else (note or value),
        "promise_text": promise_text,
        "evidence_text": evidence_text,
        "promise_source": store.source_of(ph, "campaign"),
        "evidence_source": store.source_of(text_hash(evidence_text), "procedure")
        if evidence_text
        else None,
    }
    history.append(row)
    return store.save_decision(row, _triage_row(ph, fold(history), row))


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def fold(decisions: Iterable[dict[str, Any]]) -> PromiseState:
    """The state a promise's decisions add up to, oldest first; the latest wins."""
    st = PromiseState()
    for d in decisions:
        a = d["action"]
        back = "assigned" if st.assignee else "open"
        if a in ("confirm", "link"):
            st.status, st.dismissed_reason = "resolved", None
            st.linked_hash, st.link, st.basis = d["evidence_hash"], d, d
        elif a in ("reject", "unlink") and st.linked_hash == d["evidence_hash"]:
            st.linked_hash, st.link = None, None
            if st.status == "resolved":
                st.status, st.basis = back, None
        elif a == "dismiss":
            st.status, st.dismissed_reason, st.basis = "dismissed", d["value"], d
        elif a == "assign":
            st.assignee = d["value"] or None
            if st.status in ("open", "assigned"):
                st.status = "assigned" if st.assignee else "open"
                st.basis = d if st.assignee else None
        elif a == "reopen":
            st.status, st.dismissed_reason = back, None
            st.basis = None
        st.history.append(d)
    return st


def sync(store: Store) -> int:
    """Fold decisions written around record() (store.add_decision, imports) into the triage
    table the gap list filters on; returns how many promises it updated."""
    stale = store.stale_triage_hashes()
    if not stale:
        return 0
    by_hash = _by_promise(store.decisions(stale))
    store.save_triage_rows([_triage_row(h, fold(ds), ds[-1]) for h, ds in by_hash.items()])
    return len(stale)


def _by_promise(
    decisions: Iterable[dict[str, Any]], hashes: Iterable[str] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Decisions grouped by promise hash, in their order; each of `hashes` gets a list."""
    by_hash: dict[str, list[dict[str, Any]]] = {h: [] for h in hashes}
    for d in decisions:
        by_hash.setdefault(d["promise_hash"], []).append(d)
    return by_hash


def _triage_row(ph: str, state: PromiseState, last: dict[str, Any]) -> dict[str, Any]:
    return {
        "promise_hash": ph,
        "status": state.status,
        "assignee": state.assignee,
        "dismissed_reason": state.dismissed_reason,
        "linked_hash": state.linked_hash,
        "last_decision_id": last.get("id"),
        "updated_at": last["created_at"],
    }


def links(decisions: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The latest link decision per (promise, statement) pair wins."""
    state: dict[tuple[str, str], str] = {}
    for d in decisions:
        if d["action"] in ("confirm", "reject", "link", "unlink") and d.get("evidence_hash"):
            state[(d["promise_hash"], d["evidence_hash"])] = d["action"]
    rejected = {k for k, a in state.items() if a in ("reject", "unlink")}
    linked = {k[0]: k[1] for k, a in state.items() if a in ("confirm", "link")}
    return rejected, linked


def states(store: Store, promise_hashes: Iterable[str]) -> dict[str, PromiseState]:
    """State per promise hash (every hash asked for gets one, "open" when undecided)."""
    hashes = list(dict.fromkeys(promise_hashes))
    by_hash = _by_promise(store.decisions(hashes), hashes)
    out = {h: fold(ds) for h, ds in by_hash.items()}
    for h, _kind in _changed(store, out.values()):
        out[h].suspect = True
    return out


def _changed(store: Store, folded: Iterable[PromiseState]) -> list[tuple[str, str]]:
    """(promise hash, "promise"|"evidence") for each decided state whose text changed."""
    decided = [st for st in folded if st.basis or st.link]
    if not decided:
        return []
    hashes, sources = set(), set()
    for st in decided:
        for d in (st.basis, st.link):
            if d:
                hashes |= {d["promise_hash"], d.get("evidence_hash")} - {None}
                sources |= {d.get("promise_source"), d.get("evidence_source")} - {None}
    current = store.current_hashes(hashes)
    live = store.current_sources(sources)
    out = []
    for st in decided:
        d = st.basis or st.link
        if d["promise_hash"] not in current and d.get("promise_source") in live:
            out.append((d["promise_hash"], "promise"))
        elif (
            st.link
            and st.link["evidence_hash"] not in current
            and st.link.get("evidence_source") in live
        ):
            out.append((d["promise_hash"], "evidence"))
    return out


def suspect_ids(store: Store) -> list[int]:
    """The ids of the suspect decisions, without looking for their successors (what a
    count or a list of ids needs: `suspects` compares texts for each one)."""
    folded = {h: fold(ds) for h, ds in _by_promise(store.decisions()).items()}
    return sorted(
        _decision(folded[h], changed)["id"] for h, changed in _changed(store, folded.values())
    )


def _decision(st: PromiseState, changed: str) -> dict[str, Any]:
    """The decision a change makes suspect: the link when the linked procedure changed."""
    return st.link if changed == "evidence" else (st.basis or st.link)


def suspects(store: Store) -> list[dict[str, Any]]:
    """Decisions in force whose promise or procedure text has changed, for review.

    Each: the decision row plus `changed` ("promise" or "evidence") and `successor`,
    the most similar statement of the document's new version (or None).
    """
    folded = {h: fold(ds) for h, ds in _by_promise(store.decisions()).items()}
    statements_of: dict[str, list[dict[str, Any]]] = {}  # one query per changed document
    out = []
    for h, changed in _changed(store, folded.values()):
        st = folded[h]
        decision = _decision(st, changed)
        side = "evidence" if changed == "evidence" else "promise"
        old_text, source = decision[f"{side}_text"], decision[f"{side}_source"]
        if source not in statements_of:
            statements_of[source] = store.current_statements_of(source)
        out.append(
            dict(
                decision,
                changed=changed,
                status=st.status,
                assignee=st.assignee,
                successor=_closest(old_text, statements_of[source]),
            )
        )
    return sorted(out, key=lambda d: d["id"])


def _closest(text: str, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    best, best_ratio = None, 0.4  # below this the new version holds nothing like it
    for c in candidates:
        matcher = difflib.SequenceMatcher(None, text, c["text"], autojunk=False)
        if matcher.quick_ratio() > best_ratio and (r := matcher.ratio()) > best_ratio:
            best, best_ratio = dict(c, similarity=round(r, 3)), r
    return best


def carry_over(store: Store, suspect: dict[str, Any], *, actor: str, at: str | None = None) -> int:
    """Apply a suspect decision to the new text and retire it on the old one."""
    new = suspect.get("successor")
    if not new:
        raise HingeError("the new version holds no similar text: drop the decision instead")
    if suspect["changed"] == "evidence":
        return record(
            store, "link", promise_text=suspect["promise_text"], evidence_text=new["text"],
            note=f"carried over from: {suspect['evidence_text']}", actor=actor, at=at,
        )  # fmt: skip
    action = suspect["action"]
    decision_id = record(
        store, action, promise_text=new["text"], evidence_text=suspect["evidence_text"],
        value=suspect["value"], note=f"carried over from: {suspect['promise_text']}",
        actor=actor, at=at,
    )  # fmt: skip
    if suspect["assignee"] and action != "assign":
        record(store, "assign", promise_text=new["text"], value=suspect["assignee"], actor=actor,
               at=at)  # fmt: skip
    drop(store, suspect, actor=actor, at=at)
    return decision_id


def drop(store: Store, suspect: dict[str, Any], *, actor: str, at: str | None = None) -> int:
    """Retire a suspect decision: unlink the changed procedure text, or reopen the old promise."""
    if suspect["changed"] == "evidence":
        return record(
            store, "unlink", promise_text=suspect["promise_text"],
            evidence_text=suspect["evidence_text"], actor=actor, at=at,
        )  # fmt: skip
    if suspect["assignee"]:
        record(store, "assign", promise_text=suspect["promise_text"], value="", actor=actor, at=at)
    return record(store, "reopen", promise_text=suspect["promise_text"], actor=actor, at=at)


def suspect_by_id(store: Store, decision_id: int) -> dict[str, Any]:
    found = next((s for s in suspects(store) if s["id"] == decision_id), None)
    if found is None:
        raise HingeError(f"decision {decision_id} is not suspect (any more): reload the list")
    return found
