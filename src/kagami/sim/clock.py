"""Time in the simulated world: the election window, Japanese daily and weekly rhythms, holidays, and
the office hours of a foreign operator.

Times are integer microseconds since the Unix epoch (UTC). Rhythms are weights per hour of the window;
:func:`sample_times` draws event times from them.

>>> w = Window.from_iso("2025-07-03T00:00:00+09:00", days=19)
>>> w.hours, w.local_hour(w.start_us, 9), w.local_hour(w.start_us, 8)
(456, 0, 23)
>>> date(2025, 7, 21) in jp_holidays(2025)
True
>>> float(office_weights(w, 8, 9, 18)[:24].sum()) > 0, float(office_weights(w, 8, 9, 18)[3])
(True, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np

US_PER_S = 1_000_000
US_PER_MIN = 60 * US_PER_S
US_PER_HOUR = 60 * US_PER_MIN
US_PER_DAY = 24 * US_PER_HOUR
JST_H = 9

#: Relative posting intensity by JST hour on working days: a commute bump, lunch, and the late evening.
JST_WORKDAY = (0.95, 0.55, 0.3, 0.17, 0.12, 0.15, 0.35, 0.75, 0.95, 0.75, 0.65, 0.72,
               1.15, 0.95, 0.72, 0.72, 0.78, 0.92, 1.05, 1.25, 1.45, 1.65, 1.75, 1.45)  # fmt: skip
#: On weekends and holidays people sleep later and post through the day.
JST_DAYOFF = (1.15, 0.85, 0.5, 0.3, 0.18, 0.14, 0.18, 0.32, 0.55, 0.8, 0.98, 1.08,
              1.12, 1.1, 1.05, 1.0, 1.0, 1.05, 1.12, 1.28, 1.45, 1.55, 1.55, 1.35)  # fmt: skip

#: Chinese public holidays and the weekend days worked in exchange (State Council notices), 2024-2026.
CN_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in [
        "2024-01-01",
        "2024-02-10",
        "2024-02-11",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-02-15",
        "2024-02-16",
        "2024-02-17",
        "2024-04-04",
        "2024-04-05",
        "2024-04-06",
        "2024-05-01",
        "2024-05-02",
        "2024-05-03",
        "2024-05-04",
        "2024-05-05",
        "2024-06-10",
        "2024-09-15",
        "2024-09-16",
        "2024-09-17",
        "2024-10-01",
        "2024-10-02",
        "2024-10-03",
        "2024-10-04",
        "2024-10-05",
        "2024-10-06",
        "2024-10-07",
        "2025-01-01",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-02-01",
        "2025-02-02",
        "2025-02-03",
        "2025-02-04",
        "2025-04-04",
        "2025-04-05",
        "2025-04-06",
        "2025-05-01",
        "2025-05-02",
        "2025-05-03",
        "2025-05-04",
        "2025-05-05",
        "2025-05-31",
        "2025-06-01",
        "2025-06-02",
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-04",
        "2025-10-05",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        "2026-02-15",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-02-21",
        "2026-02-22",
        "2026-02-23",
        "2026-04-04",
        "2026-04-05",
        "2026-04-06",
        "2026-05-01",
        "2026-05-02",
        "2026-05-03",
        "2026-05-04",
        "2026-05-05",
        "2026-06-19",
        "2026-06-20",
        "2026-06-21",
        "2026-09-25",
        "2026-09-26",
        "2026-09-27",
        "2026-10-01",
        "2026-10-02",
        "2026-10-03",
        "2026-10-04",
        "2026-10-05",
        "2026-10-06",
        "2026-10-07",
    ]
)
CN_WORKDAYS = frozenset(
    date.fromisoformat(d)
    for d in [
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
)


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


@lru_cache(maxsize=32)
def jp_holidays(year: int) -> frozenset[date]:
    """Japan's national holidays of a year (1980-2099), with substitute and sandwiched days."""
    fixed = [(1, 1), (2, 11), (2, 23), (4, 29), (5, 3), (5, 4), (5, 5), (8, 11), (11, 3), (11, 23)]
    days = {date(year, m, d) for m, d in fixed}
    days |= {
        _nth_monday(year, 1, 2),  # 成人の日
        _nth_monday(year, 7, 3),  # 海の日
        _nth_monday(year, 9, 3),  # 敬老の日
        _nth_monday(year, 10, 2),  # スポーツの日
        date(year, 3, int(20.8431 + 0.242194 * (year - 1980) - (year - 1980) // 4)),  # 春分の日
        date(year, 9, int(23.2488 + 0.242194 * (year - 1980) - (year - 1980) // 4)),  # 秋分の日
    }
    for d in sorted(days):  # 振替休日: a Sunday holiday moves to the next ordinary day
        if d.weekday() == 6:
            nxt = d + timedelta(days=1)
            while nxt in days:
                nxt += timedelta(days=1)
            days.add(nxt)
    for d in sorted(days):  # 国民の休日: a day between two holidays
        gap = d + timedelta(days=2)
        if gap in days and d + timedelta(days=1) not in days and (d + timedelta(days=1)).weekday() != 6:
            days.add(d + timedelta(days=1))
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class Window:
    """The simulated period: whole hours from ``start_us`` for ``days`` days."""

    start_us: int
    days: int

    @classmethod
    def from_iso(cls, start: str, days: int) -> Window:
        dt = datetime.fromisoformat(start)
        return cls(int(dt.timestamp()) * US_PER_S, days)

    @property
    def hours(self) -> int:
        return self.days * 24

    @property
    def end_us(self) -> int:
        return self.start_us + self.days * US_PER_DAY

    def local_hour(self, t_us: int, offset_h: int) -> int:
        """Hour of the day at a UTC offset."""
        return int((t_us // US_PER_HOUR + offset_h) % 24)

    def local_dates(self, offset_h: int) -> list[date]:
        """The local date of each hour of the window."""
        base = datetime.fromtimestamp(self.start_us / US_PER_S, UTC) + timedelta(hours=offset_h)
        return [(base + timedelta(hours=h)).date() for h in range(self.hours)]

    def local_hours(self, offset_h: int) -> np.ndarray:
        return (np.arange(self.hours) + self.start_us // US_PER_HOUR + offset_h) % 24


def _day_off(d: date) -> bool:
    return d.weekday() >= 5 or d in jp_holidays(d.year)


def human_weights(window: Window, shift_h: int = 0) -> np.ndarray:
    """A Japanese resident's hourly intensity: working-day or day-off curve, shifted by ``shift_h``."""
    dates = window.local_dates(JST_H - shift_h)
    hours = window.local_hours(JST_H - shift_h)
    work, off = np.array(JST_WORKDAY), np.array(JST_DAYOFF)
    offs = np.array([_day_off(d) for d in dates])
    out: np.ndarray = np.where(offs, off[hours], work[hours])
    return out


def office_weights(window: Window, utc_offset_h: int, start_h: int, end_h: int) -> np.ndarray:
    """A foreign office's working hours at a UTC offset, weekdays only, closed on Chinese holidays."""
    dates = window.local_dates(utc_offset_h)
    hours = window.local_hours(utc_offset_h)
    lunch = hours == 12
    working = np.array([(d.weekday() < 5 and d not in CN_HOLIDAYS) or d in CN_WORKDAYS for d in dates])
    w = ((hours >= start_h) & (hours < end_h) & working).astype(float)
    return np.where(lunch & (w > 0), 0.25, w)


def flat_weights(window: Window) -> np.ndarray:
    """Round the clock, every day: scheduled automation."""
    return np.ones(window.hours)


def surge(window: Window, weights: np.ndarray, at_us: int, hours: int, factor: float) -> np.ndarray:
    """``weights`` multiplied by ``factor`` for ``hours`` hours from ``at_us`` (election night)."""
    out = weights.astype(float).copy()
    first = (at_us - window.start_us) // US_PER_HOUR
    lo, hi = max(0, first), min(window.hours, first + hours)
    out[lo:hi] *= factor
    return out


def sample_times(rng: np.random.Generator, weights: np.ndarray, n: int, window: Window) -> np.ndarray:
    """``n`` sorted event times (µs) drawn from hourly ``weights``, uniform within each hour."""
    if n <= 0 or weights.sum() <= 0:
        return np.zeros(0, dtype=np.int64)
    cum = np.cumsum(weights)
    bins = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
    bins = np.minimum(bins, len(weights) - 1)
    t = window.start_us + bins * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n)
    return np.sort(t.astype(np.int64))


def iso_ms(t_us: int) -> str:
    """``2025-07-03T12:00:00.123Z``: the timestamp form both platforms write."""
    s, us = divmod(t_us, US_PER_S)
    return datetime.fromtimestamp(s, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{us // 1000:03d}Z"
