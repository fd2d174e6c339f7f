"""Plumbing of ingest -> check over a real SQLite file. The hashing embedder keeps it
fast; verdict quality is tested with the real model in test_quality.py."""

from __future__ import annotations

import gc

import pytest

from consistency import extract, judge, pipeline, triage
from consistency.embed import HashingEmbedder
from consistency.models import Document, text_hash
from consistency.store import Store


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded += list(texts)
        return super().encode(texts)


CAMPAIGN = (
    "Spring at the Seaside\n\n"
    "Book two nights and late checkout until 2 pm is on us.\n\n"
    "Every guest gets a free welcome drink on arrival.\n\n"
    "Book now!"
)
PROCEDURE = (
    "Front desk: check-out\n\n"
    "1. Standard check-out time is 11:00.\n"
    "2. Late check-out until 12:00 is free; later requires duty manager approval.\n"
    "3. Count the float at the end of every shift.\n"
    "4. Serve every arriving guest a complimentary welcome drink at the bar."
)


def _docs(campaign=CAMPAIGN):
    return [
        Document("campaign", "Spring", campaign, "spring.txt", language="en"),
        Document("procedure", "Check-out SOP", PROCEDURE, "sop.txt", language="en"),
    ]


@pytest.fixture
def loaded(store):
    for d in _docs():
        pipeline.save(store, d)
    return store


def test_check_stores_a_run_with_a_finding_per_promise(loaded):
    run_id = pipeline.check(loaded, CountingEmbedder(), all_campaigns=True)
    run = loaded.db["runs"].get(run_id)
    findings = loaded.findings(run_id)
    promises = loaded.statements(kind="campaign", promises_only=True)
    assert run["promises"] == len(findings) == len(promises) >= 2
    assert sum(run[v] for v in ("covered", "uncovered", "contradicted")) == run["promises"]
    for f in findings:
        assert f["evidence"], "every promise shows its closest procedure statements"
        assert f["evidence"][0]["document"] == "Check-out SOP"


def test_a_doubtful_statement_no_procedure_delivers_is_not_reported(store):
    doubtful = "Our friendly team will make your stay special."
    for d in _docs(CAMPAIGN + "\n\n" + doubtful):
        pipeline.save(store, d)
    flagged = {s["text"]: s for s in store.statements(kind="campaign", promises_only=True)}
    assert extract.PROMISE_THRESHOLD <= flagged[doubtful]["promise_score"] < judge.SURE_PROMISE
    run_id = pipeline.check(store, HashingEmbedder(), all_campaigns=True)
    reported = {f["promise_text"] for f in store.findings(run_id)}
    assert doubtful not in reported
    assert "Every guest gets a free welcome drink on arrival." in reported
    assert store.db["runs"].get(run_id)["promises"] == len(reported) == len(flagged) - 1
    linted = pipeline.lint(store, HashingEmbedder(), _docs(CAMPAIGN + "\n\n" + doubtful)[0])
    assert {r["text"] for r in linted} == reported
    # Once someone has made a decision on it, it is reported whatever the detector says.
    triage.record(store, "note", promise_text=doubtful, note="ask marketing", actor="Ana")
    run_id = pipeline.check(store, HashingEmbedder(), all_campaigns=True)
    assert doubtful in {f["promise_text"] for f in store.findings(run_id)}


def test_second_check_encodes_nothing_and_edit_encodes_only_new_text(loaded):
    emb = CountingEmbedder()
    pipeline.check(loaded, emb, all_campaigns=True)
    assert emb.encoded
    emb.encoded.clear()
    pipeline.check(loaded, emb, all_campaigns=True)
    assert emb.encoded == []
    edited = CAMPAIGN.replace("free welcome drink", "free welcome cocktail")
    pipeline.save(loaded, _docs(edited)[0])
    pipeline.check(loaded, emb, all_campaigns=True)
    assert emb.encoded and all("cocktail" in t for t in emb.encoded)


def test_reject_drops_a_candidate_and_link_forces_covered(loaded):
    emb = HashingEmbedder()
    run = pipeline.check(loaded, emb, all_campaigns=True)
    finding = loaded.findings(run)[0]
    promise_hash = finding["promise_hash"]

    def decide_and_check(action, evidence_hash):
        loaded.add_decision(
            {"actor": "ana", "action": action, "promise_hash": promise_hash,
             "evidence_hash": evidence_hash}
        )  # fmt: skip
        run = pipeline.check(loaded, emb, all_campaigns=True)
        return next(f for f in loaded.findings(run) if f["promise_hash"] == promise_hash)

    first = finding["evidence"][0]
    again = decide_and_check("reject", first["text_hash"])
    assert first["text_hash"] not in [e["text_hash"] for e in again["evidence"]]
    target = loaded.statements(kind="procedure")[-1]
    linked = decide_and_check("link", target["text_hash"])
    assert linked["verdict"] == "covered"
    assert linked["evidence"][0]["text_hash"] == target["text_hash"]


def test_expired_campaigns_are_not_in_force(store):
    docs = _docs()
    docs[0].valid_until = "2020-01-31"
    for d in docs:
        pipeline.save(store, d)
    run = pipeline.check(store, HashingEmbedder(), today="2026-01-01")
    assert store.db["runs"].get(run)["promises"] == 0


def test_campaigns_match_only_their_own_organisation(store):
    docs = _docs()
    other = Document("procedure", "Bank SOP", PROCEDURE, "bank.txt", language="en",
                     organisation="bank")  # fmt: skip
    for d in [*docs, other]:
        pipeline.save(store, d)
    run = pipeline.check(store, HashingEmbedder(), all_campaigns=True)
    for f in store.findings(run):
        assert {e["document"] for e in f["evidence"]} == {"Check-out SOP"}


def test_lint_stores_nothing(loaded):
    before = loaded.db["statements"].count
    results = pipeline.lint(loaded, HashingEmbedder(), _docs()[0])
    assert results and loaded.db["statements"].count == before
    assert {r["text"] for r in results} <= set(CAMPAIGN.split("\n\n"))
    assert text_hash(results[0]["text"])


def test_lint_of_a_stored_campaign_agrees_with_check(store):
    """A draft competes with the stored promises as it will once stored, so linting a
    campaign that is already stored judges it exactly as `check` does."""
    emb = HashingEmbedder()
    drink = "Welcome\n\nEvery guest gets a free welcome drink on arrival."
    autumn = "Autumn offer\n\nEvery guest gets a free drink at the bar on Sundays."
    draft = Document("campaign", "Welcome", drink, "welcome.txt", language="en")
    pipeline.save(store, draft)
    pipeline.save(store, Document("campaign", "Autumn", autumn, "autumn.txt", language="en"))
    bar = "Bar\n\n1. Serve every arriving guest a complimentary welcome drink at the bar."
    pipeline.save(store, Document("procedure", "Bar", bar, "bar.txt", language="en"))
    run = pipeline.check(store, emb, all_campaigns=True)
    checked = {f["promise_text"]: (f["verdict"], f["confidence"]) for f in store.findings(run)}
    linted = pipeline.lint(store, emb, draft)
    assert len(linted) == 1
    assert checked[linted[0]["text"]] == (linted[0]["verdict"], linted[0]["confidence"])


def test_the_collector_paused_for_a_check_resumes_even_when_it_fails(loaded):
    class Broken(CountingEmbedder):
        def encode(self, texts):
            assert not gc.isenabled(), "judging runs with the cyclic collector paused"
            raise RuntimeError("model gone")

    loaded.db["embeddings"].delete_where()
    with pytest.raises(RuntimeError, match="model gone"):
        pipeline.check(loaded, Broken(), all_campaigns=True)
    assert gc.isenabled()


def test_a_check_reads_stored_word_stems_and_loads_no_lemma_table(loaded, tmp_path):
    """Extraction stores each statement's stems; a check in a fresh process must not pay
    the lemma tables' load again (0.6 s for six languages)."""
    import subprocess
    import sys

    loaded.close()
    script = (
        "import sys\n"
        "from consistency import pipeline, words\n"
        "from consistency.embed import HashingEmbedder\n"
        "from consistency.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "pipeline.check(store, HashingEmbedder(), all_campaigns=True)\n"
        "print(words.lemma_table.cache_info().currsize, len(store.findings(1)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, loaded.path], capture_output=True, text=True, check=True
    )
    tables, findings = map(int, out.stdout.split())
    assert tables == 0 and findings >= 2
    # An older store's rows have no stems until re-extraction fills them in.
    legacy = Store(loaded.path)
    legacy.db.execute("update statements set terms = null, words = null")
    legacy.db.execute("update documents set extractor_version = 'old'")
    legacy.db.conn.commit()
    assert pipeline.refresh(legacy) == 2
    assert all(s["terms"] for s in legacy.statements())
    legacy.close()


def _rows(store, run_id):
    return sorted(
        (f["statement_id"], f["verdict"], f["confidence"], f["evidence"], f["conflicts"])
        for f in store.findings(run_id)
    )


class RenamedEmbedder(HashingEmbedder):
    name = "another-test-embedder"


def test_only_organisations_whose_inputs_changed_are_judged_again(store):
    docs = [
        *_docs(),
        Document("campaign", "Bank offer", "Open an account and get a free debit card.",
                 "bank-offer.txt", language="en", organisation="bank"),
        Document("procedure", "Bank SOP", "Issue every new account holder a debit card.",
                 "bank-sop.txt", language="en", organisation="bank"),
    ]  # fmt: skip
    for d in docs:
        pipeline.save(store, d)
    emb = HashingEmbedder()
    first = pipeline.check(store, emb, all_campaigns=True)
    again = pipeline.check(store, emb, all_campaigns=True)
    assert store.run(first)["judged"] == store.run(first)["promises"] == 3
    assert store.run(again)["judged"] == 0
    assert _rows(store, again) == _rows(store, first)

    pipeline.save(store, _docs(CAMPAIGN.replace("2 pm", "3 pm"))[0])
    edited = pipeline.check(store, emb, all_campaigns=True)
    assert store.run(edited)["judged"] == 2, "the hotel's two promises, not the bank's"
    assert _rows(store, edited) == _rows(store, pipeline.check(store, emb, rejudge=True,
                                                               all_campaigns=True))  # fmt: skip
    bank = next(f for f in store.findings(edited) if f["organisation"] == "bank")
    triage.record(store, "note", promise_text=bank["promise_text"], note="ok", actor="Ana")
    assert store.run(pipeline.check(store, emb, all_campaigns=True))["judged"] == 1

    # Words are weighed across every organisation's procedures: any procedure edit
    # judges everything again.
    docs[3].text += "\nReplace lost cards within 5 days."
    pipeline.save(store, docs[3])
    assert store.run(pipeline.check(store, emb, all_campaigns=True))["judged"] == 3
    with pytest.warns(UserWarning, match="calibrated for"):
        renamed = pipeline.check(store, RenamedEmbedder(), all_campaigns=True)
    assert store.run(renamed)["judged"] == 3


def test_a_campaign_leaving_force_drops_its_findings_and_keeps_the_others(store):
    docs = _docs()
    docs[0].valid_until = "2026-03-31"
    for d in docs:
        pipeline.save(store, d)
    emb = HashingEmbedder()
    assert store.run(pipeline.check(store, emb, today="2026-03-01"))["promises"] == 2
    assert store.run(pipeline.check(store, emb, today="2026-04-01"))["promises"] == 0
