"""Estimated one-rep max (e1RM) from a set of `weight x reps`.

The estimate is `weight * factor(reps)`; the factor depends only on the reps and never
decreases as the reps grow, so the estimate is monotone in both weight and reps and is
never below the weight lifted. Results are not rounded: the screens format them.
"""

from __future__ import annotations

import math
from enum import StrEnum

from overload_tui.domain.errors import ValidationError

TRUSTED_MAX_REPS = 12
CAVEAT = "Estimates are only reliable up to about 12 reps."
# Brzycki's denominator (37 - reps) reaches zero at 37 reps; past this we hold the factor.
BRZYCKI_MAX_REPS = 36


class Formula(StrEnum):
    EPLEY = "epley"
    BRZYCKI = "brzycki"


def _factor(reps: int, formula: Formula) -> float:
    if reps == 1:
        return 1.0
    if formula is Formula.BRZYCKI:
        # Brzycki is undefined from 37 reps on. We cap the reps at 36 (factor 36) rather
        # than switch to Epley, so the estimate stays finite and never drops as reps rise.
        # Such estimates are meaningless anyway: see CAVEAT and is_trusted().
        capped = min(reps, BRZYCKI_MAX_REPS)
        return 36.0 / (37 - capped)
    return 1.0 + reps / 30.0


def estimate_1rm(weight: float, reps: int, formula: Formula | str = Formula.EPLEY) -> float:
    """Epley `w * (1 + r/30)` or Brzycki `w * 36 / (37 - r)`; one rep returns the weight.

    Raises ValidationError for a negative or non-finite weight, or reps below 1.
    """
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise ValidationError("Weight must be a number.")
    if not math.isfinite(weight) or weight < 0:
        raise ValidationError("Weight must be a finite number, 0 or more.")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise ValidationError("Reps must be a whole number, at least 1.")
    try:
        formula = Formula(formula)
    except ValueError:
        raise ValidationError(f"Formula must be epley or brzycki, not {str(formula)[:20]!r}.") from None
    return float(weight) * _factor(reps, formula)


def is_trusted(reps: int) -> bool:
    """True when an estimate from this many reps is worth showing without the CAVEAT."""
    return 1 <= reps <= TRUSTED_MAX_REPS
