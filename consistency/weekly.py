"""What the weekly gap report says: a week's state against the week before.

A week's state is its last run, read with the human decisions made before the week
ended. Two states are compared by promise content hash; a re-worded promise (same
campaign source, overlapping position, new hash) is "changed", not "new" plus
"resolved". Weeks are ISO weeks in the zone named by HINGE_TZ (default UTC).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import HingeError
from .snapshot import Snapshot, describe_conflict, figures, load, states
from .store import Store, now_iso

WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.I)
TREND_WEEKS = 12
OLDEST = 10


def timezone(name: str | None = None) -> ZoneInfo:
    name = name or os.environ.get("HINGE_TZ") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise HingeError(
            f"unknown time zone {name!r}: set HINGE_TZ to a name like Europe/Madrid or UTC"
        ) from err


def parse_time(text: str) -> datetime:
    """An ISO timestamp; one without an offset is taken as UTC."""
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Week:
    year: int
    number: int
    tz: ZoneInfo

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time(), self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.monday + timedelta(days=7), time(), self.tz)

    def shift(self, weeks: int) -> Week:
        year, number, _ = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return Week(year, number, self.tz)

    @classmethod
    def of(cls, moment: datetime | date, tz: ZoneInfo) -> Week:
        day = moment.astimezone(tz).date() if isinstance(moment, datetime) else moment
        year, number, _ = day.isocalendar()
        return cls(year, number, tz)


def parse_week(text: str, tz: ZoneInfo) -> Week:
    """A week like 2026-W47, or a date meaning its week; anything else is a HingeError."""
    m = WEEK_RE.match(text)
    if not m:
        try:
            return Week.of(date.fromisoformat(text.strip()), tz)
        except ValueError:
            raise HingeError(
                f"{text!r} is not a week: use an ISO week like 2026-W47 or a date like 2026-11-18"
            ) from None
    year, number = int(m[1]), int(m[2])
    if not 1970 <= year <= 9000:
        raise HingeError(f"{text.strip()}: pick a year between 1970 and 9000")
    weeks_in_year = date(year, 12, 28).isocalendar()[1]
    if not 1 <= number <= weeks_in_year:
        raise HingeError(f"{text.strip()} does not exist: {year} has weeks W01 to W{weeks_in_year}")
    return Week(year, number, tz)


def _runs(store: Store) -> list[dict[str, Any]]:
    runs = [dict(r, at=parse_time(r["started_at"])) for r in store.runs()]
    return sorted(runs, key=lambda r: (r["at"], r["id"]))


def _last_before(runs: list[dict[str, Any]], moment: datetime) -> dict[str, Any] | None:
    return next((r for r in reversed(runs) if r["at"] < moment), None)


def build(store: Store, week: Week | None = None, tz: ZoneInfo | None = None) -> dict[str, Any]:
    """The report of one week (default: the week of the latest run) as plain data."""
    tz = week.tz if week else (tz or timezone())
    runs = _runs(store)
    if week is None:
        week = Week.of(runs[-1]["at"] if runs else datetime.now(UTC), tz)
    report: dict[str, Any] = {
        "week": week.label,
        "timezone": tz.key,
        "from": week.monday.isoformat(),
        "to": (week.monday + timedelta(days=6)).isoformat(),
        "generated_at": now_iso(),
        "notice": None,
        "run": None,
        "baseline": None,
        "headline": {},
        **{k: [] for k in ("new", "changed", "resolved", "still_open", "oldest")},
        "by_team": [],
        "by_campaign": [],
        "by_channel": [],
        "campaigns": _calendar(store, week),
        "trend": [],
    }
    current_run = _last_before(runs, week.end)
    if not runs:
        report["notice"] = "No checks yet: run `hinge check` first, then report again."
        return report
    if current_run is None:
        first = runs[0]["at"]
        report["notice"] = (
            f"No check ran in or before {week.label}: the first check ran on"
            f" {first.astimezone(tz).date()} ({Week.of(first, tz).label})."
        )
        return report
    decisions = [dict(d, at=parse_time(d["created_at"])) for d in store.decisions()]
    cur = load(store, current_run, week.end, decisions)
    base_run = _last_before(runs, week.start)
    base = load(store, base_run, week.start, decisions) if base_run else None
    if Week.of(current_run["at"], tz) != week:
        report["notice"] = (
            f"No check ran in {week.label}; this is the state of the latest earlier check,"
            f" run #{current_run['id']} on {current_run['at'].astimezone(tz).date()}."
        )
    report["run"] = _run_info(current_run, tz)
    report["baseline"] = _run_info(base_run, tz) if base_run else None
    report["headline"] = _headline(cur, base)
    rows = _compare(store, cur, base, tz, {r["id"]: r["at"] for r in runs})
    for row in rows:
        report[row["status"]].append(row)
    open_rows = [r for r in rows if r["status"] != "resolved"]
    report["oldest"] = sorted(open_rows, key=lambda r: (-r["age_days"], r["promise"]))[:OLDEST]
    for key in ("team", "campaign", "channel"):
        report[f"by_{key}"] = _groups(open_rows, base, key)
    report["trend"] = _trend(store, runs, week, decisions)
    return report


def _run_info(run: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": run["id"],
        "started_at": run["started_at"],
        "date": run["at"].astimezone(tz).date().isoformat(),
        "week": Week.of(run["at"], tz).label,
    }


def _headline(cur: Snapshot, base: Snapshot | None) -> dict[str, Any]:
    now = figures(cur.verdicts, cur.states)
    before = figures(base.verdicts, base.states) if base else None
    out = {}
    for key, value in now.items():
        previous = before[key] if before else None
        change = None if value is None or previous is None else value - previous
        out[key] = {"value": value, "previous": previous, "change": change}
    return out


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


def _compare(
    store: Store, cur: Snapshot, base: Snapshot | None, tz: ZoneInfo, when: dict[int, datetime]
) -> list[dict[str, Any]]:
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
    latest = store.latest_version(source)
    run_day = cur.run["at"].astimezone(tz).date().isoformat()
    if latest and latest["valid_until"] and latest["valid_until"] < run_day:
        return f"campaign expired on {latest['valid_until']}"
    if latest is None:
        return "campaign removed"
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


def _groups(open_rows: list[dict], base: Snapshot | None, key: str) -> list[dict[str, Any]]:
    def name(value: str | None) -> str:
        return value or "(none)"

    now: dict[str, int] = {}
    for r in open_rows:
        now[name(r[key])] = now.get(name(r[key]), 0) + 1
    before: dict[str, int] = {}
    for h in base.open() if base else ():
        f = base.findings[h]
        value = ((f["evidence"] or [{}])[0].get("team")) if key == "team" else f[key]
        before[name(value)] = before.get(name(value), 0) + 1
    names = sorted(set(now) | set(before), key=lambda n: (-now.get(n, 0), n))
    return [
        {"name": n, "open": now.get(n, 0), "change": now.get(n, 0) - before.get(n, 0)}
        for n in names
    ]


def _calendar(store: Store, week: Week) -> dict[str, list[dict[str, Any]]]:
    """Campaigns whose last day falls in this week, and those starting next week."""
    first, last = week.monday.isoformat(), (week.monday + timedelta(days=6)).isoformat()
    n_first = (week.monday + timedelta(days=7)).isoformat()
    n_last = (week.monday + timedelta(days=13)).isoformat()
    out: dict[str, list[dict[str, Any]]] = {"ending": [], "starting": []}
    for d in store.documents(kind="campaign"):
        item = {k: d[k] for k in ("title", "channel", "valid_from", "valid_until", "promises")}
        if d["valid_until"] and first <= d["valid_until"] <= last:
            out["ending"].append(item)
        if d["valid_from"] and n_first <= d["valid_from"] <= n_last:
            out["starting"].append(item)
    return out


def _point(
    store: Store, run: dict[str, Any], until: datetime, decisions: list[dict[str, Any]]
) -> dict[str, Any]:
    verdicts = store.run_verdicts(run["id"])
    return figures(verdicts, states(decisions, until, verdicts))


def _trend(
    store: Store, runs: list[dict[str, Any]], week: Week, decisions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Coverage and open gaps at the end of each of the last 12 weeks; None without a check."""
    out = []
    for back in range(TREND_WEEKS - 1, -1, -1):
        w = week.shift(-back)
        run = _last_before(runs, w.end)
        point: dict[str, Any] = {"week": w.label, "coverage": None, "open_gaps": None}
        if run is not None and run["at"] >= w.start:
            fig = _point(store, run, w.end, decisions)
            point.update(coverage=fig["coverage"], open_gaps=fig["open_gaps"])
        out.append(point)
    return out


def overview(store: Store, tz: ZoneInfo | None = None) -> list[dict[str, Any]]:
    """Each week that had a check, newest first, with its headline figures."""
    tz = tz or timezone()
    runs = _runs(store)
    decisions = [dict(d, at=parse_time(d["created_at"])) for d in store.decisions()]
    out = []
    for week in sorted({Week.of(r["at"], tz) for r in runs}, key=lambda w: w.monday)[::-1]:
        run = _last_before(runs, week.end)
        out.append(
            {
                "week": week.label,
                "from": week.monday.isoformat(),
                "to": (week.monday + timedelta(days=6)).isoformat(),
                "run": _run_info(run, tz),
                **_point(store, run, week.end, decisions),
            }
        )
    return out
