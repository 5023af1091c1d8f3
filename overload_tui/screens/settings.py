"""Settings: the user's weight unit, e1RM formula, progression, increments, bar and plates, rest times.

The weight unit (kg or lbs) comes first: the increments, bar and plates below it are the ones of
the unit chosen (a kg gym and a pounds gym are kept apart; choosing the other unit in the form
shows the other's, and saving keeps both). In pounds, lower-body lifts have increments of their own.

They are the user's, kept in the database (``SettingsService``), so they follow the user to any
terminal. The form keeps what was typed when a save fails and shows each problem under its
field; nothing is saved until every field is valid. Keys work in tmux and over SSH: ctrl+s
saves, ctrl+g goes back (escape too, but tmux delays a lone Escape by its ``escape-time``),
ctrl+r puts the defaults in the form (not saved until ctrl+s).

``SettingsScreen`` is a ``Screen[UserSettings | None]``: it dismisses with the settings last
saved (None when nothing was saved), so the caller can apply them at once:
``app.push_screen(SettingsScreen(), callback)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static

from overload_tui.domain.e1rm import CAVEAT
from overload_tui.domain.enums import Equipment
from overload_tui.domain.errors import OverloadError
from overload_tui.domain.units import WeightUnit
from overload_tui.services.settings import (
    DEFAULTS,
    EQUIPMENT_LABELS,
    INCREMENT_TABLES,
    SettingsValidationError,
    UserSettings,
)
from overload_tui.widgets.confirm import ConfirmScreen
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.screen_style import StyledOnce

UNITS = [("kg: kilograms", WeightUnit.KG.value), ("lbs: pounds", WeightUnit.LBS.value)]
FORMULAS = [("Epley (default)", "epley"), ("Brzycki", "brzycki")]
SCHEMES = [("Double progression: a rep range", "double"), ("Linear: fixed reps", "linear")]
# Each unit's gym: its increments table and bar/plates fields (the machine's stacks are shared).
WEIGHTED = [e for e in EQUIPMENT_LABELS if e is not Equipment.MACHINE]  # barbell first
GEAR = {
    WeightUnit.KG: {"increments": "increments", "bar": "bar_weight", "plates": "plates"},
    WeightUnit.LBS: {"increments": "increments_lb", "bar": "bar_weight_lb", "plates": "plates_lb"},
}

# (field, label, unit or hint shown after the box)
_PROGRESSION_FIELDS = [
    ("rep_min", "Rep range from", "reps"),
    ("rep_max", "Rep range to", "reps (when the template sets no targets)"),
    ("linear_reps", "Linear target", "reps"),
    ("deload_after", "Deload after", "sessions in a row below the range"),
    ("deload_percent", "Deload by", "%"),
]
_REST_FIELDS = [
    ("rest_heavy", "Heavy compounds", "seconds (squat, bench, deadlift, rows...)"),
    ("rest_default", "Other exercises", "seconds"),
    ("rest_isolation", "Isolation and core", "seconds (curls, raises, planks...)"),
    ("rest_step", "Timer +/- step", "seconds"),
]


def _dom_id(field: str) -> str:
    """'increments.barbell' -> 'increments-barbell' (ids cannot hold dots)."""
    return field.replace(".", "-")


def _number(value: float) -> str:
    return f"{value:g}"


def form_values(settings: UserSettings) -> dict[str, str]:
    """Every form field's text for ``settings`` (keys as in SettingsValidationError.errors)."""
    values = {
        "weight_unit": settings.weight_unit.value,
        "e1rm_formula": settings.e1rm_formula.value,
        "progression": settings.progression.value,
        "rep_min": str(settings.rep_min),
        "rep_max": str(settings.rep_max),
        "linear_reps": str(settings.linear_reps),
        "deload_after": str(settings.deload_after),
        "deload_percent": _number(settings.deload_percent),
        "bar_weight": _number(settings.bar_weight),
        "plates": ", ".join(_number(p) for p in settings.plates),
        "bar_weight_lb": _number(settings.bar_weight_lb),
        "plates_lb": ", ".join(_number(p) for p in settings.plates_lb),
        "rest_heavy": str(settings.rest_heavy),
        "rest_default": str(settings.rest_default),
        "rest_isolation": str(settings.rest_isolation),
        "rest_step": str(settings.rest_step),
    }
    for equipment in Equipment:
        values[f"increments.{equipment.value}"] = _number(settings.increments.get(equipment, 0.0))
    for table in ("increments_lb", "lower_increments_lb"):  # the machine's stacks: increments
        for equipment in WEIGHTED:
            values[f"{table}.{equipment.value}"] = _number(getattr(settings, table).get(equipment, 0.0))
    return values


class SettingsScreen(StyledOnce, Screen[UserSettings | None]):
    """The settings form. Reads ``app.services`` and ``app.user``; saves with ``app.call_service``."""

    CSS_PATH = "settings.tcss"
    TITLE = "Settings"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "defaults", "Defaults"),
        Binding("ctrl+g", "back", "Back", priority=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saved: UserSettings | None = None    # what the last save wrote (dismiss value)
        self._loaded: dict[str, str] | None = None  # form values as last loaded or saved
        self._busy = False

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-form"):
            yield Static(Text("Weight unit"), classes="section")
            yield from self._select_row("weight_unit", "Weights in", UNITS)
            yield Static(Text("How you type and read weights; ctrl+t in a workout sets one exercise's."),
                         classes="hint")
            yield Static(Text("Estimated 1RM"), classes="section")
            yield from self._select_row("e1rm_formula", "Formula", FORMULAS)
            yield Static(Text(CAVEAT), classes="hint")
            yield Static(Text("Progression"), classes="section")
            yield from self._select_row("progression", "Scheme", SCHEMES)
            for field, label, hint in _PROGRESSION_FIELDS:
                yield from self._input_row(field, label, hint)
            yield Static(Text("Weight added when every set reaches the top of the range"), classes="section",
                         id="increments-title")
            for unit, gear in GEAR.items():
                with Vertical(classes=f"gear unit-{unit.value}"):
                    if unit is WeightUnit.LBS:
                        yield Static(Text("Upper body (and anything not known as lower body)"), classes="hint")
                    yield from self._increment_rows(gear["increments"], unit)
            yield from self._input_row(f"increments.{Equipment.MACHINE.value}", "Machine", "stacks")
            with Vertical(classes="gear unit-lbs"):
                yield Static(Text("Lower body (squats, deadlifts, leg work)"), classes="hint")
                yield from self._increment_rows("lower_increments_lb", WeightUnit.LBS)
            yield Static(Text("Barbell and plates (plate calculator)"), classes="section")
            for unit, gear in GEAR.items():
                with Vertical(classes=f"gear unit-{unit.value}"):
                    name = "lb" if unit is WeightUnit.LBS else "kg"
                    yield from self._input_row(gear["bar"], "Bar", name)
                    yield from self._input_row(gear["plates"], "Plates", f"{name} each, separated by commas")
            yield Static(Text("Rest timer"), classes="section")
            for field, label, hint in _REST_FIELDS:
                yield from self._input_row(field, label, hint)
            yield Static(Text(""), id="status")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Defaults (ctrl+r)", id="defaults")
                yield Button("Back (ctrl+g)", id="back")
        yield KeysFooter()

    def _increment_rows(self, table: str, unit: WeightUnit) -> Iterator[Any]:
        name = "lb" if unit is WeightUnit.LBS else "kg"
        for equipment in WEIGHTED:
            label = EQUIPMENT_LABELS[equipment].removesuffix(" increment")
            yield from self._input_row(f"{table}.{equipment.value}", label, name)

    def _input_row(self, field: str, label: str, hint: str) -> Iterator[Any]:
        with Horizontal(classes="row"):
            yield Label(Text(label), classes="label")
            yield Input(id=_dom_id(field), classes=f"value {field.replace('.', '-')}", compact=True)
            yield Label(Text(hint), classes="unit")
        yield Static(Text(""), id=f"error-{_dom_id(field)}", classes="error")

    def _select_row(self, field: str, label: str, options: list[tuple[str, str]]) -> Iterator[Any]:
        with Horizontal(classes="row"):
            yield Label(Text(label), classes="label")
            yield Select(options, allow_blank=False, id=_dom_id(field), classes="choice", compact=True)
        yield Static(Text(""), id=f"error-{_dom_id(field)}", classes="error")

    # -- loading ------------------------------------------------------------------------------
    @property
    def _service(self):
        user = getattr(self.app, "user", None)
        if user is None:
            raise OverloadError("Log in to change your settings.")
        return self.app.services.settings(user.id)

    def on_mount(self) -> None:
        self.sub_title = "yours on every terminal"
        form = self.query_one("#settings-form")
        form.loading = True
        try:
            service = self._service
        except OverloadError as error:
            form.loading = False
            self._status(str(error), error=True)
            return
        self._call(service.get, on_done=self._on_loaded, on_error=self._on_load_error)

    def _call(self, fn, *args: Any, on_done, on_error, **kwargs: Any) -> None:
        """app.call_service, dropping the answer if this screen has closed meanwhile."""

        def guard(callback):
            return lambda value: callback(value) if self.is_attached else None

        self.app.call_service(fn, *args, on_done=guard(on_done), on_error=guard(on_error), **kwargs)

    def _on_loaded(self, settings: UserSettings) -> None:
        self.query_one("#settings-form").loading = False
        self._fill(settings)
        self._loaded = self.values()
        self.query_one("#e1rm_formula", Select).focus()

    def _on_load_error(self, error: OverloadError) -> None:
        self.query_one("#settings-form").loading = False
        self._status(f"Could not load your settings: {error}", error=True)

    def _fill(self, settings: UserSettings) -> None:
        for field, value in form_values(settings).items():
            self.query_one(f"#{_dom_id(field)}").value = value  # an Input or a Select
        self._show_gear(settings.weight_unit.value)

    @on(Select.Changed, "#weight_unit")
    def _unit_chosen(self, event: Select.Changed) -> None:
        self._show_gear(str(event.value))

    def _show_gear(self, unit: str) -> None:
        """Show the increments, bar and plates of ``unit`` (the other unit's stay in the form)."""
        self.query_one("#settings-form").set_class(unit == WeightUnit.LBS, "-lbs")

    def _unit_of(self, field: str) -> str | None:
        """The unit whose gear ``field`` is (None: a field of every unit)."""
        widget = self.query_one(f"#{_dom_id(field)}")
        gear = next((a for a in widget.ancestors if a.has_class("gear")), None)
        return None if gear is None else next(c for c in gear.classes if c.startswith("unit-")).removeprefix("unit-")

    def _elsewhere(self, fields: Any) -> list[str]:
        """The units, not shown now, that hold some of ``fields`` (of this form)."""
        shown = str(self.query_one("#weight_unit", Select).value)
        return sorted({u for f in fields if self.query(f"#{_dom_id(f)}") and (u := self._unit_of(f)) not in (None, shown)})

    # -- the form -----------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """What the form holds now, per field."""
        return {
            field: str(self.query_one(f"#{_dom_id(field)}").value)
            for field in form_values(DEFAULTS)
        }

    def changes(self) -> dict[str, Any]:
        """The form as keyword arguments for SettingsService.update."""
        values = self.values()
        tables = {
            table: {key.removeprefix(f"{table}."): values.pop(key) for key in list(values) if key.startswith(f"{table}.")}
            for table in INCREMENT_TABLES
        }
        return {**values, **tables}

    @property
    def dirty(self) -> bool:
        return self._loaded is not None and self.values() != self._loaded

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    def _show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".error").results(Static):
            label.update(Text(""))
            label.remove_class("-shown")
        first = None
        for field, message in errors.items():
            found = self.query(f"#error-{_dom_id(field)}")
            if not found:  # a field this form does not have: say it in the status line
                continue
            label = found.first(Static)
            label.update(Text(message))
            label.add_class("-shown")
            if not self._elsewhere([field]):  # the other unit's fields are not on screen
                first = first or self.query_one(f"#{_dom_id(field)}")
        for field in form_values(DEFAULTS):
            self.query_one(f"#{_dom_id(field)}").set_class(field in errors, "-invalid")
        if first is not None:
            first.focus()
            first.scroll_visible()

    # -- actions ------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self._busy or self._loaded is None:
            return
        self._busy = True
        self._status("Saving…")
        try:
            service = self._service
        except OverloadError as error:
            self._busy = False
            self._status(str(error), error=True)
            return
        self._call(service.update, on_done=self._on_saved, on_error=self._on_save_error, **self.changes())

    def _on_saved(self, settings: UserSettings) -> None:
        self._busy = False
        self.saved = settings
        self._show_errors({})
        self._fill(settings)  # normalised: plates sorted, "2,5" -> "2.5"
        self._loaded = self.values()
        self._status("Saved.")
        self.notify("Settings saved.", markup=False)

    def _on_save_error(self, error: OverloadError) -> None:
        self._busy = False
        if isinstance(error, SettingsValidationError):
            self._show_errors(error.errors)
            n = len(error.errors)
            where = "".join(f" Some are in the {unit} settings: choose {unit} above to see them."
                            for unit in self._elsewhere(error.errors))
            self._status(
                f"Not saved: {n} field{'s' if n != 1 else ''} to fix, marked in red.{where}", error=True
            )
        else:
            self._status(f"Not saved: {error}", error=True)

    def action_defaults(self) -> None:
        """The defaults in the form, in the unit chosen (a lifter's unit is not a default to undo)."""
        if self._loaded is None:
            return
        self._fill(replace(DEFAULTS, weight_unit=WeightUnit(str(self.query_one("#weight_unit", Select).value))))
        self._show_errors({})
        self._status("Defaults filled in: ctrl+s saves them.")

    def action_back(self) -> None:
        if not self.dirty:
            self.dismiss(self.saved)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(self.saved)

        self.app.push_screen(
            ConfirmScreen("Leave without saving your changes?", yes="Discard", no="Stay"), answer
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#defaults")
    def _defaults_pressed(self) -> None:
        self.action_defaults()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a box saves, like ctrl+s."""
        self.action_save()
