"""Verdict quality with the real packaged model: what the judge must see that cosine
similarity cannot, and the bundled corpora scored against the naive baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency import pipeline
from consistency.evaluate import evaluate
from consistency.models import Document

pytestmark = pytest.mark.slow

CAMPAIGN = """Spring at the Seaside

Book two nights and late checkout until 2 pm is on us.

Every guest gets a complimentary welcome drink on arrival.

Dogs stay free, and we'll have a bed and a bowl waiting in your room.

Returns accepted within 30 days of purchase.

Our support team is available 24/7 by phone.

Book now and make memories that last!"""

PROCEDURES = """Front desk: check-out and arrivals

1. Standard check-out time is 11:00.
2. Late check-out until 12:00 is free; anything later needs duty manager approval.
3. Serve every arriving guest a complimentary welcome drink at the bar.
4. Dogs are accepted in the two garden rooms only; confirm the room type at booking.
5. Returns are accepted within 14 days of purchase with a receipt.
6. The phone line is staffed 09:00-17:00, Monday to Friday.
7. Count the float at the end of every shift."""


@pytest.fixture
def verdicts(store, embedder):
    pipeline.save(store, Document("campaign", "Spring", CAMPAIGN, "spring.txt", language="en"))
    pipeline.save(store, Document("procedure", "SOP", PROCEDURES, "sop.txt", language="en"))
    run = pipeline.check(store, embedder, all_campaigns=True)
    return {f["promise_text"]: f for f in store.findings(run)}


def _find(verdicts, start):
    return next(f for text, f in verdicts.items() if text.startswith(start))


@pytest.mark.parametrize(
    "promise, kind",
    [
        ("Book two nights and late checkout", "time"),  # 2 pm against 12:00
        ("Returns accepted within 30 days", "duration"),  # 30 against 14 days
        ("Our support team is available 24/7", "days"),  # 24/7 against Monday to Friday
    ],
)
def test_rival_values_are_contradictions(verdicts, promise, kind):
    finding = _find(verdicts, promise)
    assert finding["verdict"] == "contradicted"
    assert kind in {c["kind"] for c in finding["conflicts"]}


def test_a_delivered_promise_is_covered_with_its_step_first(verdicts):
    finding = _find(verdicts, "Every guest gets a complimentary welcome drink")
    assert finding["verdict"] == "covered"
    assert "welcome drink at the bar" in finding["evidence"][0]["text"]


def test_topic_without_the_benefit_is_not_covered(verdicts):
    # The procedure says which rooms take dogs; nothing gives the bed and bowl for free.
    assert _find(verdicts, "Dogs stay free")["verdict"] != "covered"


def test_a_call_to_action_is_not_judged(verdicts):
    assert not any(text.startswith("Book now") for text in verdicts)


def test_bundled_corpora_beat_flagging_everything(embedder):
    folder = Path(__file__).parent.parent / "corpora"
    corpora = [
        folder / f"{name}.json" for name in ("harbour-bank", "seaside-hotel", "skyhop-airlines")
    ]
    result = evaluate(corpora, embedder)
    assert result["promise_detection"]["f1"] > 0.8
    assert result["gaps"]["oracle"]["f1"] > result["baseline"]["flag_everything_f1"]
    assert result["evidence"]["recall_at_5"] > 0.8
    assert set(result["files"]) == {json_name.stem for json_name in corpora}


def test_calibrate_fits_on_the_given_corpora_and_leaves_the_shipped_file_alone(embedder, tmp_path):
    from consistency import calibrate, judge
    from consistency.gold import load_gold

    folder = Path(__file__).parent.parent / "corpora"
    paths = [folder / f"{n}.json" for n in ("harbour-bank", "seaside-hotel", "skyhop-airlines")]
    out = calibrate.calibrate(paths, embedder, tmp_path / "cal.json")
    cal = json.loads(out.read_text())
    assert cal["model"] == embedder.name
    assert cal["contradiction_threshold"] in calibrate.CONTRADICTION_THRESHOLDS
    assert cal["cover_threshold"] in calibrate.COVER_THRESHOLDS
    assert set(cal["leave_one_out"]) == {p.stem for p in paths}
    # On the cases it was fitted to, the contradiction gate earns its place, and the
    # whole calibration beats flagging every promise.
    cases = calibrate.read(calibrate.gold_cases([load_gold(p) for p in paths], embedder))
    shut = cal | {"contradiction_threshold": 1.1}
    assert calibrate._objective(cases, cal) > calibrate._objective(cases, shut)
    gaps = sum(r.gold != "covered" for r in cases)
    flag_all = 2 * gaps / (gaps + len(cases))
    assert calibrate.scores(cases, cal)["gaps"] > flag_all
    # The shipped calibration was not touched by a run with an output path.
    assert judge.calibration()["calibrated_on"] != cal["calibrated_on"]


def test_a_step_stating_the_promised_value_outranks_steps_that_only_share_words(store, embedder):
    # "$0.00" is "free" in other words; the vectors put the step last of five.
    campaign = "Spring Ski Week\n\nKids 5 and under ski free, every day of the season."
    steps = """Ticket window

1. Kids' group lessons take at most 6 children per instructor.
2. Children's helmets are available to rent at the shop.
3. Age 0-5: ring product CUB0 at $0.00.
4. Lost tickets are replaced once per season.
5. Kids' ski school meets at the carousel at 9:30."""
    pipeline.save(store, Document("campaign", "Spring", campaign, "c.txt", language="en"))
    pipeline.save(store, Document("procedure", "SOP", steps, "p.txt", language="en"))
    run = pipeline.check(store, embedder, all_campaigns=True)
    (finding,) = store.findings(run)
    shown = [e["text"] for e in finding["evidence"]]
    priced = shown.index("Age 0-5: ring product CUB0 at $0.00.")
    assert priced < shown.index("Lost tickets are replaced once per season.")
    assert priced < shown.index("Children's helmets are available to rent at the shop.")
