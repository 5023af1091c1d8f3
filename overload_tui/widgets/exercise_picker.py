"""The logging screen's exercise picker: the shared one (type to filter by name, muscle or
equipment; exercises trained lately first) plus ctrl+n to create a custom exercise (its name, muscle group, equipment and what its sets
are: weight x reps, reps, weighted, assisted, time or distance)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from overload_tui.domain.enums import Category
from overload_tui.domain.validation import KIND_CHOICES
from overload_tui.services.dto import ExerciseInfo
from overload_tui.widgets.exercise_select import ExerciseSelectScreen
from overload_tui.widgets.form_dialog import FormDialog, FormField

CATEGORIES = ", ".join(c.value for c in Category)


class ExercisePickerScreen(ExerciseSelectScreen):
    BINDINGS = [Binding("ctrl+n", "create", "New exercise", tooltip="Create a custom exercise")]

    def __init__(self) -> None:
        super().__init__("Add an exercise")

    def action_create(self) -> None:
        ws = self.app.workouts
        typed = self.query_one(Input).value.strip()
        fields = [
            FormField("name", "Name", typed, "e.g. Landmine Press", max_length=100),
            FormField("category", "Muscle group", "", CATEGORIES),
            FormField("equipment", "Equipment (optional)", "", "barbell, dumbbell, machine, bodyweight…"),
            FormField("kind", "Sets are (optional: bodyweight → reps, else weight)", "", KIND_CHOICES),
        ]

        def save(values: dict[str, str]) -> ExerciseInfo:
            return ws.create_exercise(values["name"], values["category"], values["equipment"] or None,
                                      kind=values["kind"] or None)

        def created(exercise: ExerciseInfo | None) -> None:
            if exercise is not None:
                self.dismiss(exercise)

        self.app.push_screen(FormDialog("New exercise", fields, save, save_label="Create"), created)
