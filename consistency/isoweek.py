"""ISO weeks in a configurable time zone (HINGE_TZ, default UTC), and parsing them and
ISO dates."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import HingeError

WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.I)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def timezone(name: str | None = None) -> ZoneInfo:
    name = name or os.environ.get("HINGE_TZ") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise HingeError(
            f"unknown time zone {name!r}: set HINGE_TZ to a name like Europe/Madrid or UTC"
        ) from err


def is_date(value: str) -> bool:
    """A calendar date written YYYY-MM-DD (what valid_from and valid_until hold)."""
    if not DATE_RE.fullmatch(value):
        return False
    try:
        return date.fromisoformat(value) is not None
    except ValueError:
        return False


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
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

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
