"""Plate calculator: the plates for each side of the bar for the weight being entered.

``PlateCalculator`` is a one-line widget for the logging screen. It is hidden unless the
exercise is a barbell exercise in kg (``set_exercise(equipment, unit)``); ``configure(bar,
plates)`` takes the user's bar and plate set (``UserSettings.bar_weight`` / ``.plates``), and
``show(weight)`` renders, e.g.:

* ``Per side: 25 + 15 (100 kg)``
* ``Just the bar (20 kg)``
* ``Not exact: nearest 100 / 102.5 kg``
* ``Less than the bar (20 kg)``

``plate_text`` is the pure part, tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from overload_tui.domain.enums import Equipment, Unit
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.plates import DEFAULT_BAR, DEFAULT_PLATES, plates_per_side


def _kg(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def plate_text(weight: float | None, bar: float = DEFAULT_BAR, plates: Sequence[float] = DEFAULT_PLATES) -> str:
    """The line to show for ``weight`` kg ('' for no weight or one that cannot be loaded)."""
    if weight is None or not plates:
        return ""
    try:
        load = plates_per_side(weight, bar, plates)
    except ValidationError:
        return ""
    if load.lower is None:
        return f"Less than the bar ({_kg(bar)} kg)"
    if load.exact:
        if not load.per_side:
            return f"Just the bar ({_kg(bar)} kg)"
        return f"Per side: {' + '.join(_kg(p) for p in load.per_side)} ({_kg(load.total)} kg)"
    nearest = [v for v in (load.lower, load.upper) if v is not None]
    return f"Not exact: nearest {' / '.join(_kg(v) for v in nearest)} kg"


class PlateCalculator(Static):
    """Shows the plates per side; hidden for anything but a barbell exercise in kg."""

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
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, name=name, id=id, classes=classes)
        self.bar = float(bar)
        self.plates: tuple[float, ...] = tuple(plates)
        self.weight: float | None = None
        self.applies = False
        self.text = ""
        self._drawn = False
        self.display = False

    def configure(self, bar: float, plates: Sequence[float]) -> None:
        """The user's bar and plate set; redraws the current weight."""
        self.bar = float(bar)
        self.plates = tuple(plates)
        self._render_text()

    def set_exercise(self, equipment: Equipment | str | None, unit: Unit | str = Unit.KG) -> None:
        """Only barbell exercises loaded in kg get plates; anything else hides the widget."""
        self.applies = equipment == Equipment.BARBELL and unit == Unit.KG
        self._render_text()

    def show(self, weight: float | None, bar: float | None = None, plates: Sequence[float] | None = None) -> str:
        """Show the plates for ``weight`` kg (None clears); returns the text shown."""
        if bar is not None:
            self.bar = float(bar)
        if plates is not None:
            self.plates = tuple(plates)
        self.weight = weight
        self._render_text()
        return self.text

    def show_text(self, raw: str) -> str:
        """Like show(), from what is typed in a set box ('100', '100x5', '102,5 x 3')."""
        head = raw.strip().lower().replace(",", ".").replace("×", "x").split("x", 1)[0].strip()
        try:
            weight = float(head) if head else None
        except ValueError:
            weight = None
        return self.show(weight)

    def _render_text(self) -> None:
        text = plate_text(self.weight, self.bar, self.plates) if self.applies else ""
        if text == self.text and self._drawn:
            return  # typing that leaves the weight alone ('100x5' -> '100x6') redraws nothing
        self._drawn = True
        self.text = text
        self.set_class(text.startswith("Not exact"), "-inexact")
        self.update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)  # fixed size: a repaint
        self.display = bool(text)
