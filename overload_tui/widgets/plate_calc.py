"""Plate calculator: the plates for each side of the bar for the weight being entered.

``PlateCalculator`` is a one-line widget for the logging screen. It is hidden unless the
exercise is a barbell exercise loaded in kg or lbs (``set_exercise(equipment, unit)``: in
pounds it shows the pounds bar and plates, never kilograms); ``use_settings(settings)`` takes
the user's bar and plates of both units (``UserSettings.bar_for`` / ``plates_for``),
``configure(bar, plates, unit)`` one unit's, and ``show(weight)`` renders the weight (in the
exercise's unit), e.g.:

* ``Per side: 25 + 15 (100 kg)``, ``Per side: 45 + 45 (225 lb)``
* ``Just the bar (20 kg)``, ``Just the bar (45 lb)``
* ``Not exact: nearest 100 / 102.5 kg``
* ``Less than the bar (20 kg)``

``show_text`` reads the weight typed in the set box; one typed in the other unit ('100kg x 5'
on a pounds exercise) is converted first. ``plate_text`` is the pure part, tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.widgets import Static

from overload_tui.domain.enums import Equipment
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plates import DEFAULT_BAR, DEFAULT_PLATES, default_bar, default_plates, plates_per_side
from overload_tui.domain.units import LoadUnit, WeightUnit, convert, label, load_unit, weight_unit

# The weight at the start of what is typed: '100', '102,5 x 3', '225lb x 5', '100 kg 5'.
_TYPED = re.compile(r"\s*([0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)\s*(kgs?|lbs?)?(?=$|[\sx×*])", re.IGNORECASE)


class Gear(Protocol):
    """What the calculator needs from the user's settings (``services.settings.UserSettings``)."""

    def bar_for(self, unit: WeightUnit) -> float: ...
    def plates_for(self, unit: WeightUnit) -> Sequence[float]: ...


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def plate_text(
    weight: float | None,
    bar: float | None = DEFAULT_BAR,
    plates: Sequence[float] | None = DEFAULT_PLATES,
    unit: WeightUnit | str = WeightUnit.KG,
) -> str:
    """The line to show for ``weight`` in ``unit``, with the bar and plates in ``unit`` (None:
    that unit's defaults); '' for no weight or one that cannot be loaded."""
    unit = weight_unit(unit)
    bar = default_bar(unit) if bar is None else bar
    plates = default_plates(unit) if plates is None else plates
    if weight is None or not plates:
        return ""
    try:
        load = plates_per_side(weight, bar, plates, unit=unit)
    except ValidationError:
        return ""
    name = label(unit)
    if load.lower is None:
        return f"Less than the bar ({_num(bar)} {name})"
    if load.exact:
        if not load.per_side:
            return f"Just the bar ({_num(bar)} {name})"
        return f"Per side: {' + '.join(_num(p) for p in load.per_side)} ({_num(load.total)} {name})"
    nearest = [v for v in (load.lower, load.upper) if v is not None]
    return f"Not exact: nearest {' / '.join(_num(v) for v in nearest)} {name}"


class PlateCalculator(Static):
    """Shows the plates per side; hidden for anything but a barbell exercise in kg or lbs."""

    DEFAULT_CSS = """
    PlateCalculator {
        width: 1fr;  /* what the rest timer leaves: a new text needs no layout */
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    PlateCalculator.-inexact {
        color: $warning;
    }
    """

    can_focus = False

    def __init__(
        self,
        bar: float = DEFAULT_BAR,
        plates: Sequence[float] = DEFAULT_PLATES,
        *,
        settings: Gear | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, name=name, id=id, classes=classes)
        # Each unit's bar and plates (the kg ones as given, pounds' defaults until told).
        self.gear: dict[WeightUnit, tuple[float, tuple[float, ...]]] = {
            WeightUnit.KG: (float(bar), tuple(plates)),
            WeightUnit.LBS: (default_bar(WeightUnit.LBS), default_plates(WeightUnit.LBS)),
        }
        if settings is not None:
            self.gear.update({u: (float(settings.bar_for(u)), tuple(settings.plates_for(u))) for u in WeightUnit})
        self.unit = WeightUnit.KG  # what the exercise loads in (and the weights shown)
        self.weight: float | None = None
        self.applies = False
        self.text = ""
        self._drawn = False
        self.display = False

    @property
    def bar(self) -> float:
        return self.gear[self.unit][0]

    @property
    def plates(self) -> tuple[float, ...]:
        return self.gear[self.unit][1]

    def configure(self, bar: float, plates: Sequence[float], unit: WeightUnit | str = WeightUnit.KG) -> None:
        """The user's bar and plate set in ``unit``; redraws the current weight."""
        self.gear[weight_unit(unit)] = (float(bar), tuple(plates))
        self._render_text()

    def use_settings(self, settings: Gear) -> None:
        """The user's bar and plates of both units (``UserSettings``); redraws the current weight."""
        for unit in WeightUnit:
            self.gear[unit] = (float(settings.bar_for(unit)), tuple(settings.plates_for(unit)))
        self._render_text()

    def set_exercise(self, equipment: Equipment | str | None, unit: LoadUnit | str = LoadUnit.KG) -> None:
        """Barbell exercises loaded in kg or lbs get plates (in that unit); anything else hides
        the widget. The weights shown afterwards are in ``unit``."""
        loaded = load_unit(unit)
        self.applies = equipment == Equipment.BARBELL and loaded is not LoadUnit.STACKS
        if self.applies:
            self.unit = weight_unit(loaded.value)
        self._render_text()

    def show(self, weight: float | None, bar: float | None = None, plates: Sequence[float] | None = None) -> str:
        """Show the plates for ``weight`` in the exercise's unit (None clears); ``bar`` and
        ``plates`` (that unit's) replace the configured ones. Returns the text shown."""
        if bar is not None or plates is not None:
            self.gear[self.unit] = (self.bar if bar is None else float(bar), self.plates if plates is None else tuple(plates))
        self.weight = weight
        self._render_text()
        return self.text

    def show_text(self, raw: str) -> str:
        """Like show(), from what is typed in a set box ('100', '100x5', '102,5 x 3', '225lb x 5')."""
        match = _TYPED.match(raw)
        weight = None
        if match:
            weight = float(match[1].replace(",", "."))
            if match[2]:  # typed in a unit: read in the exercise's
                weight = convert(weight, match[2], self.unit)
        return self.show(weight)

    def _render_text(self) -> None:
        text = plate_text(self.weight, self.bar, self.plates, self.unit) if self.applies else ""
        if text == self.text and self._drawn:
            return  # typing that leaves the weight alone ('100x5' -> '100x6') redraws nothing
        self._drawn = True
        self.text = text
        self.set_class(text.startswith("Not exact"), "-inexact")
        self.update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)  # fixed size: a repaint
        self.display = bool(text)
