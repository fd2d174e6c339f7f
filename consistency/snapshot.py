"""The state of every promise at one moment: a run's verdicts plus the human
decisions made before that moment, folded as triage folds them (a dismissal takes
a gap off the list; an assignment names who works on it; links are applied by the
run itself, so a link made after the run shows in the next one)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import GAP_VERDICTS
from .store import Store, worst_per_promise
from .triage import PromiseState, fold


def describe_conflict(conflict: dict[str, Any]) -> str:
    evidence = conflict.get("evidence") or conflict.get("evidence_value")
    if conflict["kind"] == "polarity":  # the promise grants; the procedure refuses it
        return f"refusal: the procedure says \u201c{evidence!s}\u201d"
    promise = conflict.get("promise") or conflict.get("promise_value")
    return f"{conflict['kind']}: promise says {promise!s}, procedure says {evidence!s}"


def states(
    decisions: list[dict[str, Any]], until: datetime, hashes: Container[str] | None = None
) -> dict[str, PromiseState]:
    """Each promise's decision state as it stood at `until` (rows carry a parsed `at`)."""
    by_hash: dict[str, list[dict[str, Any]]] = {}
    for d in sorted(decisions, key=lambda d: (d["at"], d["id"])):
        if d["at"] < until and (hashes is None or d["promise_hash"] in hashes):
            by_hash.setdefault(d["promise_hash"], []).append(d)
    return {h: fold(ds) for h, ds in by_hash.items()}


def effective(verdict: str, state: PromiseState | None) -> str:
    return "dismissed" if state and state.status == "dismissed" else verdict


def figures(verdicts: dict[str, str], decided: dict[str, PromiseState]) -> dict[str, Any]:
    """Headline figures: coverage counts dismissed promises out of the total."""
    status = [effective(v, decided.get(h)) for h, v in verdicts.items()]
    promises = sum(s != "dismissed" for s in status)
    covered = status.count("covered")
    return {
        "coverage": covered / promises if promises else None,
        "open_gaps": sum(s in GAP_VERDICTS for s in status),
        "contradictions": status.count("contradicted"),
        "promises": promises,
    }


@dataclass
class Snapshot:
    run: dict[str, Any]
    findings: dict[str, dict[str, Any]]  # promise hash -> finding with its document
    states: dict[str, PromiseState]

    @property
    def verdicts(self) -> dict[str, str]:
        return {h: f["verdict"] for h, f in self.findings.items()}

    def status(self, h: str) -> str:
        return effective(self.findings[h]["verdict"], self.states.get(h))

    def open(self) -> set[str]:
        return {h for h in self.findings if self.status(h) in GAP_VERDICTS}


def load(
    store: Store, run: dict[str, Any], until: datetime, decisions: list[dict[str, Any]]
) -> Snapshot:
    findings = worst_per_promise(store.findings(run["id"]))
    return Snapshot(run, findings, states(decisions, until, set(findings)))
