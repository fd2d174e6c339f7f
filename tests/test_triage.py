"""Triage semantics: decisions keyed by text survive re-ingestion and re-checks, steer the
next check, and turn suspect when a text they name changes."""

from __future__ import annotations

import pytest

from consistency import extract, pipeline, triage
from consistency.models import Document, HingeError, Statement, text_hash

# The fake embedder is fine for plumbing; the judge warns it was calibrated for MiniLM.
pytestmark = pytest.mark.filterwarnings("ignore:thresholds were calibrated")

CAMPAIGN = [
    "Late checkout until 2 pm is on us.",
    "Every guest gets a free welcome drink on arrival.",
    "Parking is free for all guests.",
]
PROCEDURE = [
    "Late check-out until 12:00 is free; later requires duty manager approval.",
    "Serve every arriving guest a complimentary welcome drink at the bar.",
    "Count the float at the end of every shift.",
]


def add(store, kind, lines, source=None, title=None):
    """Store a document with one statement per paragraph, without the extractor."""
    text = "\n\n".join(lines)
    statements, pos = [], 0
    for line in lines:
        start = text.index(line, pos)
        statements.append(Statement(start, start + len(line), line, is_promise=kind == "campaign"))
        pos = start + len(line)
    doc = Document(kind, title or kind, text, source or f"{kind}.txt", language="en")
    return store.save_document(doc, statements, extract.EXTRACTOR_VERSION)[0]


@pytest.fixture
def loaded(store):
    add(store, "campaign", CAMPAIGN)
    add(store, "procedure", PROCEDURE)
    return store


def state(store, text):
    return triage.states(store, [text_hash(text)])[text_hash(text)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "approve"}, "unknown action"),
        ({"action": "assign", "actor": " "}, "set your name"),
        ({"action": "confirm"}, "needs the procedure statement"),
        ({"action": "dismiss", "value": "boring"}, "dismiss needs a reason"),
        ({"action": "note"}, "a note needs some text"),
        ({"action": "assign", "at": "yesterday"}, "not an ISO date"),
    ],
)
def test_record_refuses_what_it_cannot_keep(loaded, kwargs, message):
    args = {"promise_text": CAMPAIGN[0], "actor": "Sam", **kwargs}
    with pytest.raises(HingeError, match=message):
        triage.record(loaded, args.pop("action"), **args)
    assert loaded.decisions() == []


def test_decisions_fold_into_a_state_with_history(loaded):
    p = CAMPAIGN[2]
    at = "2026-05-01T09:00:00+00:00"
    triage.record(loaded, "assign", promise_text=p, value="Ana", actor="Sam", at=at)
    assert (state(loaded, p).status, state(loaded, p).assignee) == ("assigned", "Ana")
    triage.record(loaded, "dismiss", promise_text=p, value="not_a_promise", actor="Ana")
    st = state(loaded, p)
    assert (st.status, st.dismissed_reason, st.assignee) == ("dismissed", "not_a_promise", "Ana")
    triage.record(loaded, "reopen", promise_text=p, actor="Sam")
    triage.record(loaded, "note", promise_text=p, note="asked marketing", actor="Sam")
    st = state(loaded, p)
    assert st.status == "assigned" and st.dismissed_reason is None
    assert [(d["actor"], d["action"]) for d in st.history] == [
        ("Sam", "assign"),
        ("Ana", "dismiss"),
        ("Sam", "reopen"),
        ("Sam", "note"),
    ]
    assert st.history[0]["created_at"] == at
    assert st.history[0]["promise_source"] == "campaign.txt"
    assert loaded.triage_rows([text_hash(p)])[text_hash(p)]["status"] == "assigned"


def test_link_resolves_and_reopen_undoes_the_link(loaded, fake_embedder):
    p, s = CAMPAIGN[2], PROCEDURE[2]
    triage.record(loaded, "link", promise_text=p, evidence_text=s, actor="Sam")
    st = state(loaded, p)
    assert (st.status, st.linked_hash) == ("resolved", text_hash(s))
    run = pipeline.check(loaded, fake_embedder, all_campaigns=True)
    finding = next(f for f in loaded.findings(run) if f["promise_text"] == p)
    assert finding["verdict"] == "covered" and finding["evidence"][0]["text"] == s
    triage.record(loaded, "reopen", promise_text=p, actor="Sam")
    st = state(loaded, p)
    assert (st.status, st.linked_hash) == ("open", None)
    assert [d["action"] for d in st.history] == ["link", "unlink", "reopen"]


def test_reject_lets_the_next_candidate_take_its_place(loaded, fake_embedder):
    p = CAMPAIGN[1]
    first = pipeline.check(loaded, fake_embedder, all_campaigns=True)
    top = next(f for f in loaded.findings(first) if f["promise_text"] == p)["evidence"][0]
    triage.record(loaded, "reject", promise_text=p, evidence_text=top["text"], actor="Sam")
    second = pipeline.check(loaded, fake_embedder, all_campaigns=True)
    evidence = next(f for f in loaded.findings(second) if f["promise_text"] == p)["evidence"]
    assert top["text"] not in [e["text"] for e in evidence]


def test_decisions_survive_reingestion_and_rechecks(loaded, fake_embedder):
    p = CAMPAIGN[2]
    triage.record(loaded, "dismiss", promise_text=p, value="out_of_scope", actor="Sam")
    triage.record(loaded, "assign", promise_text=CAMPAIGN[0], value="Ana", actor="Sam")
    # A new version of the campaign with an added paragraph: the promises are the same text.
    add(loaded, "campaign", [*CAMPAIGN, "Kids stay free."])
    pipeline.check(loaded, fake_embedder, all_campaigns=True)
    pipeline.check(loaded, fake_embedder, all_campaigns=True)
    assert (state(loaded, p).status, state(loaded, p).suspect) == ("dismissed", False)
    assert state(loaded, CAMPAIGN[0]).assignee == "Ana"
    assert triage.suspects(loaded) == []


def test_changed_procedure_text_turns_a_link_suspect(loaded, fake_embedder):
    p, s = CAMPAIGN[0], PROCEDURE[0]
    triage.record(loaded, "confirm", promise_text=p, evidence_text=s, actor="Sam")
    changed = s.replace("12:00", "13:00")
    add(loaded, "procedure", [changed, *PROCEDURE[1:]])
    pipeline.check(loaded, fake_embedder, all_campaigns=True)
    assert state(loaded, p).suspect
    [suspect] = triage.suspects(loaded)
    assert triage.suspect_ids(loaded) == [suspect["id"]]
    assert (suspect["changed"], suspect["evidence_text"]) == ("evidence", s)
    assert suspect["successor"]["text"] == changed
    triage.carry_over(loaded, suspect, actor="Ana")
    st = state(loaded, p)
    assert (st.suspect, st.linked_hash, st.status) == (False, text_hash(changed), "resolved")
    assert triage.suspects(loaded) == []


def test_changed_promise_text_turns_its_decision_suspect(loaded):
    old = CAMPAIGN[2]
    triage.record(loaded, "dismiss", promise_text=old, value="not_a_promise", actor="Sam")
    new = "Parking is free for all hotel guests."
    add(loaded, "campaign", [CAMPAIGN[0], CAMPAIGN[1], new])
    [suspect] = triage.suspects(loaded)
    assert (suspect["changed"], suspect["action"]) == ("promise", "dismiss")
    assert suspect["successor"]["text"] == new
    triage.carry_over(loaded, suspect, actor="Ana")
    assert state(loaded, new).status == "dismissed"
    assert state(loaded, old).status == "open"
    assert triage.suspects(loaded) == []


def test_a_deleted_document_makes_nothing_suspect(loaded):
    triage.record(loaded, "dismiss", promise_text=CAMPAIGN[2], value="duplicate", actor="Sam")
    doc = loaded.current_document("campaign.txt")
    loaded.delete_document(doc["id"])
    assert triage.suspects(loaded) == []


def test_drop_retires_a_suspect_link(loaded):
    p, s = CAMPAIGN[0], PROCEDURE[0]
    triage.record(loaded, "link", promise_text=p, evidence_text=s, actor="Sam")
    add(loaded, "procedure", ["Check-out is at 11:00 sharp.", *PROCEDURE[1:]])
    [suspect] = triage.suspects(loaded)
    triage.drop(loaded, suspect, actor="Sam")
    assert (state(loaded, p).status, state(loaded, p).linked_hash) == ("open", None)
    assert triage.suspects(loaded) == []


def test_sync_folds_decisions_written_around_record(loaded):
    p = CAMPAIGN[1]
    loaded.add_decision({"actor": "script", "action": "assign", "promise_hash": text_hash(p),
                         "value": "Ana", "promise_text": p})  # fmt: skip
    assert loaded.triage_rows([text_hash(p)]) == {}
    assert triage.sync(loaded) == 1
    assert loaded.triage_rows([text_hash(p)])[text_hash(p)]["assignee"] == "Ana"
    assert triage.sync(loaded) == 0


def test_the_latest_decision_on_a_candidate_wins():
    def d(action, evidence):
        return {"action": action, "promise_hash": "p", "evidence_hash": evidence}

    decisions = [d("reject", "x"), d("confirm", "x"), d("link", "y"), d("unlink", "z")]
    rejected, linked = triage.links(decisions)
    assert rejected == {("p", "z")}
    assert linked == {"p": "y"}
