"""Two snapshots compared by promise content hash: each gap is new, changed
(re-worded in place), still open or resolved, with how it was resolved and its age."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .snapshot import Snapshot, describe_conflict
from .store import Store


def compare(
    store: Store, cur: Snapshot, base: Snapshot | None, tz: ZoneInfo, when: dict[int, datetime]
) -> list[dict[str, Any]]:
    """One row per gap open in either snapshot; `when` maps run ids to their times."""
    base_open = base.open() if base else set()
    cur_open = cur.open()
    reworded = _rewordings(base, cur) if base else {}  # new hash -> old hash
    rows = []
    for h in sorted(cur_open):
        old = reworded.get(h)
        if old is not None:
            was = base.status(old)
            row = _row(cur, h, "changed", f"re-worded; was {was}", previous_verdict=was)
            row["previous_promise"] = base.findings[old]["promise_text"]
            if not row["assignee"] and old in base.states:  # who had it keeps it
                row["assignee"] = base.states[old].assignee
        elif h in base_open:
            row = _row(cur, h, "still_open", "", previous_verdict=base.status(h))
        else:
            was = base.status(h) if base and h in base.findings else None
            how = {None: "new promise", "dismissed": "reopened after dismissal"}.get(
                was, f"was {was}"
            )
            row = _row(cur, h, "new", how, previous_verdict=was)
        rows.append(row)
    old_of_changed = {reworded[h] for h in cur_open if h in reworded}
    new_of = {old: new for new, old in reworded.items()}
    for h in sorted(base_open - cur_open - old_of_changed):
        row = _row(base, h, "resolved", _how_resolved(store, cur, base, h, new_of.get(h), tz))
        row["previous_verdict"] = row["verdict"]
        row["verdict"] = cur.status(h) if h in cur.findings else "not checked"
        rows.append(row)
    _ages(store, cur, rows, reworded, when, tz)
    return rows


def _row(snap: Snapshot, h: str, status: str, how: str, **extra: Any) -> dict[str, Any]:
    f = snap.findings[h]
    best = f["evidence"][0] if f["evidence"] else None
    state = snap.states.get(h)
    return {
        "status": status,
        "how": how,
        "promise_hash": h,
        "promise": f["promise_text"],
        "verdict": snap.status(h),
        "previous_verdict": None,
        "campaign": f["campaign"],
        "channel": f["channel"] or "",
        "team": (best or {}).get("team") or "",
        "evidence": best["text"] if best else "",
        "conflicts": [describe_conflict(c) for c in f["conflicts"]],
        "age_days": 0,
        "first_gap": None,
        "assignee": state.assignee if state else None,
        "previous_promise": None,
        **extra,
    }


def _how_resolved(
    store: Store, cur: Snapshot, base: Snapshot, h: str, new: str | None, tz: ZoneInfo
) -> str:
    if h in cur.findings:
        status, state = cur.status(h), cur.states.get(h)
        if status == "dismissed":
            return f"dismissed: {(state.dismissed_reason or 'no reason').replace('_', ' ')}"
        if state and state.linked_hash:
            return "procedure linked"
        best = cur.findings[h]["evidence"][0] if cur.findings[h]["evidence"] else {}
        return f"covered by procedure {best.get('document') or ''}".strip()
    if new is not None:
        return f"campaign changed: re-worded, now {cur.status(new)}"
    source = base.findings[h]["source"]
    latest = store.current_document(source)
    run_day = cur.run["at"].astimezone(tz).date().isoformat()
    if latest and latest["valid_until"] and latest["valid_until"] < run_day:
        return f"campaign expired on {latest['valid_until']}"
    if latest is None:
        return "campaign removed"
    if base.findings[h]["promise_text"] in (latest.get("text") or ""):
        # Still in the campaign, but no longer judged: the detector now reads it as
        # marketing colour (see judge.SURE_PROMISE), or its cues were refitted.
        return "no longer read as a promise"
    return "campaign changed: promise removed"


def _rewordings(base: Snapshot, cur: Snapshot) -> dict[str, str]:
    """new hash -> old hash for promises re-worded in place (same source, overlapping span)."""
    gone = [h for h in base.findings if h not in cur.findings]
    fresh = [h for h in cur.findings if h not in base.findings]
    pairs = []
    for old in gone:
        o = base.findings[old]
        for new in fresh:
            n = cur.findings[new]
            overlap = min(o["end"], n["end"]) - max(o["start"], n["start"])
            if n["source"] == o["source"] and overlap > 0:
                pairs.append((overlap, old, new))
    out: dict[str, str] = {}
    used: set[str] = set()
    for _, old, new in sorted(pairs, reverse=True):
        if new not in out and old not in used:
            out[new] = old
            used.add(old)
    return out


def _ages(
    store: Store,
    cur: Snapshot,
    rows: list[dict[str, Any]],
    reworded: dict[str, str],
    when: dict[int, datetime],
    tz: ZoneInfo,
) -> None:
    """Age of an open gap: days since the first run (up to now) in which it was a gap."""
    hashes = [r["promise_hash"] for r in rows] + list(reworded.values())
    gap_runs = store.gap_runs(hashes)
    now = cur.run["at"]

    def first(h: str) -> datetime | None:
        times = [when[i] for i in gap_runs.get(h, ()) if when[i] <= now]
        return min(times, default=None)

    for r in rows:
        if r["status"] == "resolved":
            continue
        h = r["promise_hash"]
        candidates = [t for t in (first(h), first(reworded.get(h, ""))) if t is not None]
        if candidates:
            since = min(candidates)
            r["first_gap"] = since.astimezone(tz).date().isoformat()
            r["age_days"] = (now.astimezone(tz).date() - since.astimezone(tz).date()).days
