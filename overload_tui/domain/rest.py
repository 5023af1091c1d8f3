"""Rest between sets: a default duration per exercise, the countdown text, a timer value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from overload_tui.domain.enums import Category, Equipment
from overload_tui.domain.errors import ValidationError

HEAVY_REST = 180
DEFAULT_REST = 120
ISOLATION_REST = 90

# Matched as whole words on the lower-cased name with punctuation turned into spaces.
_ISOLATION = re.compile(
    r"\b(curls?|extensions?|raises?|fly|flys|flies|flyes?|pushdowns?|pressdowns?|kickbacks?"
    r"|crunch(es)?|planks?|shrugs?|face pulls?|pec decks?|crushers?|sit ups?|situps?"
    r"|calf|calves|pullovers?|abs?|woodchops?|rollouts?)\b"
)
_BARBELL_COMPOUND = re.compile(r"\b(squats?|bench|deadlifts?|press(es)?|rows?|cleans?|snatch(es)?|jerks?)\b")
_ALWAYS_HEAVY = re.compile(r"\b(leg press(es)?|hack squats?)\b")
_WEIGHTED = re.compile(r"\bweighted\b")
_BODYWEIGHT_COMPOUND = re.compile(r"\b(pull ups?|pullups?|chin ups?|chinups?|dips?)\b")


def default_rest_seconds(category: Category | str, equipment: Equipment | str | None, name: str) -> int:
    """About 180 s for heavy compounds, 90 s for isolation and core work, 120 s otherwise.

    Heavy compounds: barbell squats, bench, deadlifts, presses, rows (and the Olympic
    lifts), leg press, hack squat, weighted pull-ups/chin-ups/dips. Isolation: curls,
    extensions, raises, flyes, pushdowns, kickbacks, shrugs, calf raises, and anything in
    the core category. Isolation words win ("barbell curl", "leg extension": 90 s).
    """
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", str(name).lower()).split())
    if category == Category.CORE or _ISOLATION.search(text):
        return ISOLATION_REST
    barbell = equipment == Equipment.BARBELL or re.search(r"\bbarbell\b", text) is not None
    if _ALWAYS_HEAVY.search(text) or (barbell and _BARBELL_COMPOUND.search(text)):
        return HEAVY_REST
    if _WEIGHTED.search(text) and _BODYWEIGHT_COMPOUND.search(text):
        return HEAVY_REST
    return DEFAULT_REST


def format_countdown(seconds: float) -> str:
    """'2:05'; from an hour on '1:02:05'. Fractions round up (0.2 s left shows 0:01);
    negative or non-finite values show 0:00."""
    if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds <= 0:
        return "0:00"
    total = math.ceil(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@dataclass(frozen=True, slots=True)
class RestTimer:
    """A countdown started at a `time.monotonic()` reading; pure: pass `now` in."""

    started_at: float
    duration: float

    def __post_init__(self) -> None:
        for value in (self.started_at, self.duration):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValidationError("Timer values must be finite numbers.")
        if self.duration < 0:
            raise ValidationError("A rest cannot be negative.")

    def remaining(self, now: float) -> float:
        """Seconds left: 0 to duration (a `now` before the start counts as the start)."""
        return max(0.0, self.duration - max(0.0, now - self.started_at))

    def done(self, now: float) -> bool:
        return self.remaining(now) <= 0

    def adjusted(self, delta_seconds: float) -> RestTimer:
        """The same timer made longer (or shorter with a negative delta); duration >= 0."""
        if isinstance(delta_seconds, bool) or not isinstance(delta_seconds, (int, float)) \
                or not math.isfinite(delta_seconds):
            raise ValidationError("A timer adjustment must be a finite number of seconds.")
        return replace(self, duration=max(0.0, self.duration + delta_seconds))
