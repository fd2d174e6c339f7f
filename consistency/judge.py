"""Verdicts: does the ranked evidence deliver the promise, contradict it, or neither?

Embeddings see topic, not commitment: "returns within 14 days" and "returns
within 30 days" are near-identical vectors. So the judge reads the facts both
sides state (durations, money, times, days, channels, polarity) and how much of
the promise the evidence speaks to; the weights that turn those
signals into a verdict are learned by `hinge calibrate` and kept in
data/calibration.json with the model they belong to.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .facts import WEEK
from .words import stems_near, stored_terms, unpacked

CALIBRATION_FILE = "calibration.json"
EVIDENCE_SHOWN = 5
QUANTITY_KINDS = ("duration", "money", "percent", "count", "time", "days")
COMPARED_KINDS = QUANTITY_KINDS + ("channel",)
NEGATIVE_POLARITY = {"refuses", "charges", "requires_approval", "not_guaranteed", "never"}
REFUSALS = {"refuses", "requires_approval", "not_guaranteed"}
# Durations that bound opposite things are no rivals: "change up to an hour before the
# film" and "let latecomers in up to 20 minutes after it starts"; "within 3 days" and
# "at least 15 minutes".
OPPOSITE_BOUNDS = ({"before", "after"}, {"within", "at_least"})
# Words after "only" that make up what it confines the service to. Leave-one-out on 159
# corpora (oracle, calibration refitted per fold), none/2/3/4 words: gaps 0.7685, 0.7699,
# 0.7694, 0.7681; contradictions 0.6271, 0.6293, 0.6312, 0.6280.
RESTRICTION_SCOPE = 2
CLAUSE_BREAK = re.compile(r"[.;:,()\[\]–—]")
PENNY = 0.011
# "A third off" is 33.33% and staff write "33%".
PERCENT_SLACK = 0.5
WHOLE_DAY = {("00:00", "24:00"), ("00:00", "23:59"), ("00:00", "00:00")}
LOCAL_WINDOW = 50  # characters either side of a disagreeing fact read as its context
AGREEMENT_MARGIN = 0.1  # how much less on-topic an agreeing statement may be than a rival
# Margins of cosines span about ±0.3; scaled so the regularised fit treats them like the
# other features, which span [0, 1].
SPECIFICITY_SCALE = 3.0
# Candidates searched for a disagreement, and for an agreement that outweighs it. Deeper
# finds more rivals, most of them about neighbouring topics. Each depth from 2 to 5
# scores within noise of the others once fixed, but letting `hinge calibrate` pick one
# per fit chased near-ties and lost to every fixed depth (benchmarks/conflict_depth.py);
# 2 also did best replaying the first eight held-out rounds.
CONFLICT_DEPTH = 2
# The nearest candidates, read together: a promise's evidence is often split over
# neighbouring steps.
NEAR = 3
# rival_value was dropped: it is 1 - refusal for all but a few candidates, and leaving
# it out scored better leave-one-corpus-out.
CONFLICT_FEATURES = (
    "cosine", "lexical", "reciprocal_rank", "refusal", "agrees", "local", "refusal_local",
    "specificity",
)  # fmt: skip
# A statement the detector is unsure of (promise score under this) that no procedure
# delivers is most often marketing colour ("We know the 6pm fridge stare"), so it is not
# reported as an uncovered promise. A procedure that contradicts it is still reported:
# a disagreement shows the business treats it as a promise. 0.65 and 0.7 score within
# 0.003 of each other leave-one-corpus-out, and the folds' choice between them moves with
# the data (benchmarks/doubtful_promises.py); both beat reporting every flagged statement
# by 0.01 to 0.015.
SURE_PROMISE = 0.65
# What a promise is taken to do when a procedure refuses it.
GRANTS = {"kind": "polarity", "text": "", "value": {"polarity": "grants"}}
FEATURES = (
    "cosine", "fact_support", "fact_missing", "lexical", "lexical_top3", "unseen", "specificity",
)  # fmt: skip


@dataclass
class Evidence:
    statement: dict[str, Any]  # a procedure statement row: id, text, facts, document_title...
    cosine: float
    lexical: float
    score: float
    # How much closer the statement is to this promise than to any other (0: no rival).
    specificity: float = 0.0


@dataclass
class Case:
    promise: dict[str, Any]  # a promise statement row: text, facts
    evidence: list[Evidence]  # best first
    lexical_top3: float = 0.0  # promise term weight found in the NEAR candidates
    unseen: float = 0.0  # promise term weight found in no procedure at all
    specificity: float = 0.0  # how much closer its best statements are to it than to rivals


@dataclass
class Verdict:
    verdict: str
    confidence: float
    evidence: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    features: dict[str, float]


@cache
def calibration() -> dict[str, Any]:
    return json.loads(resources.files("consistency.data").joinpath(CALIBRATION_FILE).read_text())


def check_model(model: str) -> None:
    if calibration()["model"] != model:
        warnings.warn(
            f"thresholds were calibrated for {calibration()['model']}, not {model}; "
            "run `hinge calibrate` on gold corpora to calibrate for this model",
            stacklevel=2,
        )


# -- facts ----------------------------------------------------------------------------


def _values(kind: str, facts: list[dict[str, Any]]) -> set[Any]:
    """Everything a statement states for one kind of fact, as comparable atoms.

    Times, days and channels are sets (a promise of "Monday to Saturday" is kept by
    "Monday to Friday" plus "Saturday"); the rest are single values per fact.
    """
    out: set[Any] = set()
    for f in facts:
        if f["kind"] != kind:
            continue
        v = f["value"]
        if kind == "duration":
            out.add(_duration_atom(float(v.get("hours") or 0)))
        elif kind == "money":
            out.add(0.0 if v.get("free") else round(float(v.get("amount") or 0), 2))
        elif kind == "percent":
            out.add(round(float(v.get("amount") or 0), 2))
        elif kind == "count":
            out.add((v.get("noun"), v.get("amount")))
        elif kind == "time":
            out |= {t for t in (v.get("from"), v.get("to")) if t}
        elif kind == "days" and not v.get("closed"):
            out |= set(WEEK if v.get("always") else v.get("days") or ())
        elif kind == "channel":
            out.add(v.get("channel"))
    return out


# The extractor counts a month as 30 days and a year as 365, so "12 months" would not meet
# "one year", nor "24 months" "two years": whole half-years compare as 360-day years.
HALF_YEAR_HOURS = 4380
# Staff write half a year and more in days of the calendar ("183 days" for "6 months"):
# a count of days within a day of whole calendar months is that many 30-day months.
CALENDAR_MONTH_DAYS = 365.25 / 12


def _duration_atom(hours: float) -> float:
    if hours >= HALF_YEAR_HOURS and hours % HALF_YEAR_HOURS == 0:
        hours = hours * 360 / 365
    days = hours / 24
    if days >= 180 and days == int(days) and days % 30:
        months = round(days / CALENDAR_MONTH_DAYS)
        if abs(days - months * CALENDAR_MONTH_DAYS) <= 1:
            hours = months * 30 * 24
    return round(hours, 1)


def fact_agreement(
    p: dict[str, Any], evidence: list[dict[str, Any]], promise: list[dict[str, Any]] = ()
) -> bool | None:
    """True when the evidence states the promise fact's value, False when it states a
    rival value of the same kind, None when it says nothing comparable.

    A value the promise itself states elsewhere is no rival: "a 14-day cooling-off, then
    your switch within five working days" is not contradicted by "a 14-day cooling-off".
    """
    kind = p["kind"]
    if kind == "days" and p["value"].get("always") and _opening_hours(evidence):
        # "around the clock" is a claim about hours too: "staffed 08:00-21:00 daily" keeps
        # every day of it and breaks it all the same.
        return False
    if kind == "days" and _closed_on(p, evidence):
        return False  # "urgencias también los sábados" against "Sábados ... cerradas"
    if all(f["kind"] != kind for f in evidence):
        return None  # most statements state nothing of this kind: the check runs per candidate
    if kind == "duration":
        bound = p["value"].get("bound")
        evidence = [f for f in evidence if f["kind"] != "duration"
                    or {bound, f["value"].get("bound")} not in OPPOSITE_BOUNDS]  # fmt: skip
    mine, theirs = _values(kind, [p]), _values(kind, evidence)
    if kind in ("duration", "money", "percent", "count", "time"):
        # "collected by 10:00, back the same day from 18:00" is not contradicted at 18:00
        # by a step that says "collections made by 10:00".
        siblings = _values(kind, list(promise)) - mine
        if kind == "money":
            return _money_agreement(mine, theirs, siblings)
        theirs = theirs - siblings
    if kind == "count":
        # Two nights and three bags are not rival values, but staff count the promise's
        # things in their own words: "a pack of 10 classes" is "BON10: 10 prácticas".
        # Leave-one-corpus-out on 141 corpora, oracle gap F1 0.7639 -> 0.7669.
        nouns = {n for n, _ in mine}
        same = {t for t in theirs if t[0] in nouns}
        if not same and theirs:
            return True if {a for _, a in mine} & {a for _, a in theirs} else None
        theirs = same
    if not mine or not theirs:
        return None
    if kind == "channel" and not mine <= theirs and not _polarity(evidence) & REFUSALS:
        # A step that names another channel is most often another step ("the office sends
        # app notifications about closures" beside "we'll text you the day before"); one
        # that confines the service to it disagrees ("changes only by phone"). Counting
        # every other channel as a rival, 20 contradicted verdicts resting on a channel
        # alone were right and 43 wrong (141 corpora, in-sample). Leave-one-out on 147
        # corpora this rule moved contradictions 0.603 -> 0.611 (recall 0.622 -> 0.641)
        # and cost gaps end to end 0.654 -> 0.652.
        return None
    if kind == "time" and _inside_hours(p, evidence):
        # Sessions at 10:00 and 17:00 fall within a promise of "9 h à 19 h": they are
        # events of the day, not other opening hours.
        return None
    if kind in ("time", "days", "channel"):
        return mine <= theirs
    if kind == "percent":
        return _within(mine, theirs, PERCENT_SLACK)
    return bool(mine & theirs)


def _inside_hours(p: dict[str, Any], evidence: list[dict[str, Any]]) -> bool:
    """Whether promise time range `p` holds every time the evidence states, and the
    evidence states only points in time, no range or limit of its own."""
    start, end = p["value"].get("from"), p["value"].get("to")
    if not start or not end or start >= end:
        return False
    times = [f["value"] for f in evidence if f["kind"] == "time"]
    return all(t.get("from") == t.get("to") and start < t["from"] < end for t in times)


def _within(mine: set[float], theirs: set[float], slack: float) -> bool:
    return any(abs(a - b) <= slack for a in mine for b in theirs)


def _money_agreement(mine: set[float], theirs: set[float], siblings: set[float]) -> bool | None:
    """`fact_agreement` for a price, a threshold or "free" (0.0), where the promise's other
    amounts are its `siblings`."""
    if not mine or not theirs:
        return None
    # "orders over £799" against "£799.01 or more": a penny is how a threshold is written.
    # The statement may give the promise's other price too: "from 29 cents a minute or
    # €8.90 an hour" against "0.29 EUR/min, 8.90 EUR".
    if _within(mine, theirs, PENNY):
        return True
    stated = mine | siblings
    worked_out = {round(a - b, 2) for a in stated for b in stated if a > b > 0}
    worked_out |= {round(a + b, 2) for a in stated for b in stated if a != b}
    if theirs & (siblings | worked_out):
        # "pay just £69, saving £30" against "£69 instead of £99", and "save $300 off the
        # $2,195 price" against "takes the list price to $1,895": the statement agrees on
        # the price, and the saving is worked out, not stated. What it states besides
        # is a rival: "1,50 € a trip brings it down to 150 €" against "1,50 EUR a trip,
        # then 250,00 EUR".
        rest = theirs - siblings - worked_out
        return False if rest - {0.0} else None
    if 0.0 in mine:
        # "Free delivery on orders over R$ 1,499" states its threshold apart: "free" meets
        # only "free", and a fee elsewhere is for the threshold fact to meet.
        return None if siblings else False
    # "Spend £75 and get a free beanie" states a threshold, not a price that "free"
    # elsewhere could contradict: amounts meet amounts, free meets prices.
    return False if theirs - {0.0} else None


# Kinds whose value singles out a statement: a procedure that gives the promise's price
# or duration is most likely about it; one that shares a weekday or a channel may not be.
DISTINCTIVE_KINDS = ("duration", "money", "percent", "time")


def distinctive_facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in facts if f["kind"] in DISTINCTIVE_KINDS]


def states_value(
    values: list[dict[str, Any]], statement: list[dict[str, Any]], promise: list[dict[str, Any]]
) -> bool:
    """Whether a statement states one of `values`, the promise's `distinctive_facts`
    (taken once per promise by the caller: this runs for every candidate)."""
    return any(fact_agreement(f, statement, promise) for f in values)


def compare_facts(
    promise: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
    mine: frozenset[str] = frozenset(),
    statement: dict[str, Any] | None = None,
) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """(agreements, conflicts) as pairs of (promise fact, evidence fact). `mine` and
    `statement` (the promise's stems and the evidence's statement row) let a restriction
    to what the promise names be no refusal (`polarity_conflict`)."""
    agree: list[tuple[dict, dict]] = []
    conflict: list[tuple[dict, dict]] = []
    for p in promise:
        if p["kind"] not in COMPARED_KINDS:
            continue
        state = fact_agreement(p, evidence, promise)
        if state is None:
            continue
        (agree if state else conflict).append((p, _shown(p, evidence)))
    refusal = polarity_conflict(promise, evidence, mine, statement)
    if refusal:
        conflict.append((GRANTS, refusal))
    return agree, conflict


def polarity_conflict(
    promise: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
    mine: frozenset[str] = frozenset(),
    statement: dict[str, Any] | None = None,
) -> dict | None:
    """The evidence fact that refuses what the promise grants, if any: a refusal, an
    approval gate, "not guaranteed", a charge against a free offer, or a "never"
    against a guarantee. A promise that itself refuses ("we never ask for your PIN")
    is kept by a procedure that refuses too, and one that names what a restriction
    confines the service to (`mine`, its stems) is kept by it (`_restated`, which reads
    the evidence `statement` row)."""
    p_pol = _polarity(promise)
    if p_pol & NEGATIVE_POLARITY:
        return None
    free = "free" in p_pol or any(f["kind"] == "money" and f["value"].get("free") for f in promise)
    for f in evidence:
        if f["kind"] != "polarity":
            continue
        pol = f["value"].get("polarity")
        if pol in REFUSALS or (pol == "charges" and free) or (pol == "never" and "grants" in p_pol):
            # Only the first refusal counts. Read past a restated restriction, the later
            # refusals of its statement were about something else ("damaged items only,
            # never for missing items"): leave-one-out on 171 corpora, contradictions
            # 0.6257 -> 0.6228, gaps 0.7701 -> 0.7697.
            return None if statement is not None and _restated(mine, statement, f) else f
    return None


def _polarity(facts: list[dict[str, Any]]) -> set[str]:
    return {f["value"].get("polarity") for f in facts if f["kind"] == "polarity"}


def _opening_hours(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Time ranges short of the whole day ("08:00-21:00")."""
    return [f for f in facts if f["kind"] == "time" and f["value"].get("from")
            and f["value"].get("to") and f["value"]["from"] != f["value"]["to"]
            and (f["value"]["from"], f["value"]["to"]) not in WHOLE_DAY]  # fmt: skip


def _closed_on(p: dict[str, Any], facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence's days of closing that fall on days promise fact `p` opens."""
    if p["value"].get("closed"):
        return []
    mine = _values("days", [p])
    return [f for f in facts if f["kind"] == "days" and f["value"].get("closed")
            and mine & set(f["value"].get("days") or ())]  # fmt: skip


def _shown(p: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """The evidence fact shown against promise fact `p`: the first of its kind, or what
    breaks an opening promise: the hours short of round the clock, the days of closing
    (see `fact_agreement`)."""
    if p["kind"] == "days":
        breaking = _closed_on(p, facts) or (p["value"].get("always") and _opening_hours(facts))
        if breaking:
            return breaking[0]
    return next(f for f in facts if f["kind"] == p["kind"])


# -- verdict ----------------------------------------------------------------------------


def fact_states(case: Case, near: list[Evidence]) -> list[tuple[dict, bool | None]]:
    """For each comparable promise fact: agreed (True), contradicted (False) or not
    spoken to (None) by the nearby evidence. Agreement anywhere wins: one step may state
    the rule and the next an exception."""
    out = []
    for f in case.promise["facts"]:
        if f["kind"] not in COMPARED_KINDS:
            continue
        states = [fact_agreement(f, e.statement["facts"], case.promise["facts"]) for e in near]
        out.append((f, True if True in states else False if False in states else None))
    return out


def features(case: Case) -> dict[str, float]:
    """What the coverage model reads, each in [0, 1].

    cosine and lexical say the best candidate is on topic; lexical_top3 asks whether
    the whole promise is spoken to (a promise's evidence is often split over
    neighbouring steps); unseen is the share of the promise's words
    no procedure uses at all; specificity, whether its best statements are closer to
    it than to any other promise (else they keep another promise and only share this
    one's topic); fact_support and fact_missing ask whether the promise's
    numbers, times, days and channels are stated by the evidence.
    """
    ev = case.evidence
    top = ev[0] if ev else None
    # Facts count from statements about as close as the best one: "free" in a step about
    # late check-out says nothing about whether pets stay free.
    near = [e for e in ev[:NEAR] if e.cosine >= ev[0].cosine - AGREEMENT_MARGIN]
    states = fact_states(case, near)
    n = len(states)
    cosine = top.cosine if top else 0.0
    return {
        "cosine": cosine,
        "fact_support": sum(st is True for _, st in states) / n if n else 0.5,
        # Counts are left out: "12 centres" is kept by "any centre", and nouns vary.
        "fact_missing": sum(st is None and f["kind"] != "count" for f, st in states) / n
        if n
        else 0.0,
        "lexical": top.lexical if top else 0.0,
        "lexical_top3": case.lexical_top3,
        "unseen": case.unseen,
        "specificity": max(-1.0, min(1.0, SPECIFICITY_SCALE * case.specificity)),
    }


def _logistic(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1 / (1 + math.exp(-z))


@dataclass
class Conflict:
    """One evidence statement that disagrees with the promise, and how."""

    evidence: Evidence
    conflicts: list[dict[str, Any]]
    features: dict[str, float]


def conflict_candidates(case: Case) -> list[Conflict]:
    """Each of the top candidates that states a rival value no other nearby statement
    agrees with, or refuses what the promise grants. Whether that makes the promise
    contradicted is for the calibrated model in `decide` to say: a rival number in a
    statement about something else is the commonest false alarm."""
    near = case.evidence[:CONFLICT_DEPTH]
    promise = case.promise["facts"]
    compared = [f for f in promise if f["kind"] in COMPARED_KINDS]
    mine = stored_terms(case.promise)
    # Per statement, computed once: what it refuses, and how it meets each promise fact.
    refusals = [polarity_conflict(promise, e.statement["facts"]) for e in near]
    states = [[fact_agreement(f, e.statement["facts"], promise) for f in compared] for e in near]
    # Agreement outweighs a rival value only when it comes from a statement that does
    # not itself disagree: the 24-hour phone line agrees on hours with a promise of
    # 24-hour WhatsApp, but it is about another channel.
    consistent = [
        (o.cosine, row)
        for o, row, refusal in zip(near, states, refusals, strict=True)
        if not refusal and False not in row
    ]
    # A restriction the promise makes too refuses nothing (`_restated`), but its statement
    # still does not outweigh a rival value, as when that rule was measured (e7368fb).
    refusals = [None if r and _restated(mine, e.statement, r) else r
                for e, r in zip(near, refusals, strict=True)]  # fmt: skip
    out = []
    for rank, (e, refusal, row) in enumerate(zip(near, refusals, states, strict=True), start=1):
        found = []
        agrees = 0
        for i, (f, st) in enumerate(zip(compared, row, strict=True)):
            agrees += bool(st)
            if st is not False:
                continue
            # ...and only from a statement about as close to the promise as the rival.
            close = e.cosine - AGREEMENT_MARGIN
            if not any(cosine >= close and other[i] for cosine, other in consistent):
                found.append(_conflict(f, e, _shown(f, e.statement["facts"])))
        if refusal:
            found.append(_conflict(GRANTS, e, refusal))
        if found:
            local = [_local_overlap(mine, e, c) for c in found]
            feats = {
                "cosine": e.cosine,
                "lexical": e.lexical,
                "reciprocal_rank": 1 / rank,
                "refusal": float(refusal is not None),
                "agrees": min(agrees, 2) / 2,
                # A rival value in a statement closer to another promise is about that one.
                "specificity": max(-1.0, min(1.0, SPECIFICITY_SCALE * e.specificity)),
                "local": max(local),
                # A refusal (the last conflict found) counts when it refuses the promise's
                # own words.
                "refusal_local": local[-1] if refusal is not None else 0.0,
            }
            out.append(Conflict(e, found, feats))
    return out


def _restated(mine: frozenset[str], statement: dict[str, Any], refusal: dict[str, Any]) -> bool:
    """Whether a restriction confines the service to what the promise itself names
    (`mine`, its stems): "20% off regular price, front-store only" keeps "save 20% on
    front-store items", "ausschließlich die gesetzliche Zuzahlung" keeps "lediglich die
    gesetzliche Zuzahlung", while "changes only by phone" still refuses a change online.
    The restriction's scope is the next few words of its clause, or, when it ends the
    clause ("front-store only)"), the words before it."""
    if not refusal["value"].get("restricts") or refusal.get("start") is None:
        return False
    text, start, end = statement["text"], refusal["start"], refusal["end"]
    stems = list(unpacked(statement.get("words") or ""))
    after = [w for w, lo, _ in stems if lo >= end and not CLAUSE_BREAK.search(text, end, lo)]
    before = [w for w, _, hi in reversed(stems)
              if hi <= start and not CLAUSE_BREAK.search(text, hi, start)]  # fmt: skip
    scope = after[:RESTRICTION_SCOPE] or before[:RESTRICTION_SCOPE]
    return bool(scope) and all(w in mine for w in scope)


def _local_overlap(mine: frozenset[str], e: Evidence, conflict: dict[str, Any]) -> float:
    """Share of the promise's words (`mine`) near the disagreeing words of the evidence: "no
    private car park" is about the promised car park, "36 months" in a clause about
    redirected payments is not about a seven-day switch."""
    at = conflict.get("evidence_start")
    if at is None or not mine:
        return 0.0
    around = stems_near(e.statement.get("words") or "", at - LOCAL_WINDOW, at + LOCAL_WINDOW)
    return len(mine & around) / len(mine)


def strongest_conflict(candidates: list[Conflict], cal: dict[str, Any]) -> Conflict | None:
    """The most convincing conflicting statement, when the calibrated model finds it
    convincing enough; otherwise None."""
    best, p = None, 0.0
    for c in candidates:
        q = _logistic(cal["contradiction"], c.features)
        if q > p:
            best, p = c, q
    return best if best is not None and p >= cal["contradiction_threshold"] else None


def decide(
    feats: dict[str, float], candidates: list[Conflict], cal: dict[str, Any]
) -> tuple[str, Conflict | None, float]:
    """The verdict from what the judge read of a case (`features` and
    `conflict_candidates`), with the conflict that makes it contradicted, if any, and
    the coverage model's probability. `hinge calibrate` reads each case once and calls
    this for every weight and threshold it tries."""
    p_cover = _logistic(cal["cover"], feats)
    conflict = strongest_conflict(candidates, cal)
    if conflict is not None:
        return "contradicted", conflict, p_cover
    return ("covered" if p_cover >= cal["cover_threshold"] else "uncovered"), None, p_cover


def judge(case: Case, cal: dict[str, Any] | None = None) -> Verdict:
    cal = cal or calibration()
    feats = features(case)
    candidates = conflict_candidates(case)
    verdict, conflict, p_cover = decide(feats, candidates, cal)
    mine = stored_terms(case.promise)
    # Shown by ranking score, where a statement stating the promise's value comes first.
    shown = sorted(case.evidence, key=lambda e: e.score, reverse=True)[:EVIDENCE_SHOWN]
    if conflict is not None:
        # The disagreeing statement is the evidence a reader needs first.
        first = conflict.evidence
        shown = [first] + [e for e in shown if e is not first]
        confidence = min(0.99, 0.5 + first.cosine / 2)
    elif verdict == "covered":
        confidence = p_cover
    else:
        confidence = 1 - p_cover
    return Verdict(
        verdict,
        round(confidence, 3),
        [_evidence_row(case.promise, mine, e) for e in shown[:EVIDENCE_SHOWN]],
        conflict.conflicts if conflict is not None else [],
        feats,
    )


def reported(promise: dict[str, Any], verdict: Verdict) -> bool:
    """Whether a judged statement is reported as a promise (see SURE_PROMISE). A gold
    promise, which carries no score, always is."""
    return verdict.verdict != "uncovered" or promise.get("promise_score", 1.0) >= SURE_PROMISE


def _conflict(p: dict, e: Evidence, e_fact: dict) -> dict[str, Any]:
    return {
        "kind": p["kind"],
        "promise": p.get("text", ""),
        "promise_value": p["value"],
        "evidence": e_fact.get("text", ""),
        "evidence_start": e_fact.get("start"),
        "evidence_value": e_fact["value"],
        "statement_id": e.statement["id"],
    }


def _evidence_row(promise: dict[str, Any], mine: frozenset[str], e: Evidence) -> dict[str, Any]:
    s = e.statement
    agree, conflict = compare_facts(promise["facts"], s["facts"], mine, s)
    return {
        "statement_id": s["id"],
        "document_id": s["document_id"],
        "document": s.get("document_title"),
        "team": s.get("team"),
        "text": s["text"],
        "text_hash": s["text_hash"],
        "start": s["start"],
        "end": s["end"],
        "heading": s.get("heading"),
        "score": round(e.score, 4),
        "cosine": round(e.cosine, 4),
        "agrees": [f for _, f in agree],
        "conflicts": [f for _, f in conflict],
    }
