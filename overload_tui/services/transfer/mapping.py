"""Exercise names of a file -> exercises of the app: the catalogue, the user's own, or new ones.

Order: the catalogue (exact, normalised, then known aliases: :func:`catalogue.resolve`), then the
user's own custom exercises (same normalised name), else a new custom exercise whose category
comes from the file where it has one (FitNotes) or is guessed from the name.
"""

from __future__ import annotations

from dataclasses import dataclass

from overload_tui.db import catalogue
from overload_tui.domain.enums import Category, Equipment

# FitNotes' categories (and a few other apps' words) -> the schema's categories.
# None: the row is not a weight exercise (handled by the reader) or the word says nothing.
FILE_CATEGORIES: dict[str, Category | None] = {
    "chest": Category.CHEST,
    "back": Category.BACK,
    "lats": Category.BACK,
    "upper back": Category.BACK,
    "lower back": Category.BACK,
    "traps": Category.BACK,
    "legs": Category.LEGS,
    "leg": Category.LEGS,
    "quads": Category.LEGS,
    "quadriceps": Category.LEGS,
    "hamstrings": Category.LEGS,
    "glutes": Category.LEGS,
    "calves": Category.LEGS,
    "shoulders": Category.SHOULDERS,
    "shoulder": Category.SHOULDERS,
    "delts": Category.SHOULDERS,
    "biceps": Category.ARMS,
    "triceps": Category.ARMS,
    "forearms": Category.ARMS,
    "arms": Category.ARMS,
    "abs": Category.CORE,
    "core": Category.CORE,
    "abdominals": Category.CORE,
    "obliques": Category.CORE,
}

# Words of a name -> category, first match wins (more specific words first).
_GUESSES: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.CORE, ("crunch", "plank", "sit up", "situp", "leg raise", "knee raise", "russian twist",
                     "ab wheel", "rollout", "dragon flag", "side bend", "wood chop", "woodchop", "pallof",
                     "hollow", "dead bug", "v up", "oblique", "abs", "ab ", "core", "toes to bar")),
    (Category.ARMS, ("curl", "tricep", "bicep", "skull", "pushdown", "push down", "pressdown",
                     "kickback", "jm press", "dip machine", "wrist", "forearm", "hammer")),
    (Category.SHOULDERS, ("shoulder", "lateral raise", "front raise", "overhead press", "military",
                          "arnold", "face pull", "rear delt", "reverse fly", "upright row", "delt",
                          "ohp", "y raise")),
    (Category.CHEST, ("bench", "chest", "fly", "flye", "pec", "push up", "pushup", "crossover",
                      "dip", "floor press", "svend")),
    (Category.BACK, ("row", "pulldown", "pull down", "pull up", "pullup", "chin up", "chinup", "lat ",
                     "shrug", "back extension", "hyperextension", "deadlift", "pullover", "good morning",
                     "rack pull")),
    (Category.LEGS, ("squat", "lunge", "leg", "calf", "glute", "hip", "thrust", "adduct", "abduct",
                     "hamstring", "quad", "step up", "romanian", "rdl", "split squat", "hack", "sissy",
                     "nordic", "bridge",
                     # cardio of FitNotes' Cardio category: the catalogue files running and cycling as legs
                     "run", "jog", "cycling", "bike", "treadmill", "elliptical", "stair", "sprint", "burpee")),
)  # fmt: skip
DEFAULT_CATEGORY = Category.CORE

_EQUIPMENT: tuple[tuple[Equipment, tuple[str, ...]], ...] = (
    (Equipment.RESISTANCE_BAND, ("band",)),
    (Equipment.KETTLEBELL, ("kettlebell", "kb ")),
    (Equipment.DUMBBELL, ("dumbbell", "db ")),
    (Equipment.MACHINE, ("machine", "cable", "smith", "pulldown", "pushdown", "push down", "pressdown",
                         "leg press", "pec deck", "crossover")),
    (Equipment.BARBELL, ("barbell", "ez bar", "trap bar", "bar ")),
    (Equipment.BODYWEIGHT, ("bodyweight", "pull up", "push up", "chin up", "dip", "plank", "assisted")),
)


def _words(name: str) -> str:
    return f" {catalogue.normalise(name)} "


def guess_category(name: str) -> Category | None:
    text = _words(name)
    for category, words in _GUESSES:
        if any(f" {w.strip()} " in text or (not w.endswith(" ") and f" {w}" in text) for w in words):
            return category
    return None


def guess_equipment(name: str) -> Equipment | None:
    text = _words(name)
    for equipment, words in _EQUIPMENT:
        if any(f" {w.strip()} " in text or (not w.endswith(" ") and f" {w}" in text) for w in words):
            return equipment
    return None


def category_from_file(hint: str | None) -> Category | None:
    if not hint:
        return None
    return FILE_CATEGORIES.get(" ".join(hint.lower().split()))


@dataclass(frozen=True, slots=True)
class Known:
    """An exercise already in the database that a name may map to."""

    id: int
    name: str
    category: Category
    custom: bool


@dataclass(slots=True)
class Target:
    """Where a file name goes: an existing exercise (``id``) or a new custom one (``id`` None)."""

    name: str
    how: str
    category: Category
    note: str | None = None
    id: int | None = None
    equipment: Equipment | None = None
    subcategory: str | None = None


class ExerciseMatcher:
    """Maps names for one user, given the catalogue rows and that user's custom exercises."""

    def __init__(self, known: list[Known]) -> None:
        self.catalogue_by_name = {k.name.casefold(): k for k in known if not k.custom}
        self.custom_by_key = {}
        for k in known:
            if k.custom:
                self.custom_by_key.setdefault(catalogue.normalise(k.name), k)
        self._new: dict[str, Target] = {}  # normalised name -> the one new exercise for it

    def match(
        self,
        name: str,
        *,
        custom: bool | None = None,
        category_hint: str | None = None,
        definition: tuple[Category, str | None, Equipment | None] | None = None,
    ) -> Target:
        """``custom`` True/False comes from a backup (it knows); None means resolve by name."""
        key = catalogue.normalise(name)
        if custom is not True:
            if custom is False and name.casefold() in self.catalogue_by_name:
                k = self.catalogue_by_name[name.casefold()]
                return Target(k.name, "catalogue", k.category, id=k.id)
            entry = catalogue.resolve(name)
            if entry is not None and entry.name.casefold() in self.catalogue_by_name:
                k = self.catalogue_by_name[entry.name.casefold()]
                if name == entry.name:
                    how = "catalogue"
                elif key == catalogue.normalise(entry.name):
                    how = "catalogue (spelling)"
                else:
                    how = "catalogue (alias)"
                return Target(k.name, how, k.category, id=k.id)
        if key in self.custom_by_key:
            k = self.custom_by_key[key]
            return Target(k.name, "your exercise", k.category, id=k.id)
        if key in self._new:
            return self._new[key]
        if definition is not None:
            category, subcategory, equipment = definition
            target = Target(name, "new custom exercise", category, "from the backup",
                            equipment=equipment, subcategory=subcategory)  # fmt: skip
        else:
            entry = catalogue.resolve(name)  # in the catalogue but missing from this database
            from_file = category_from_file(category_hint)
            guessed = guess_category(name)
            if entry is not None:
                category, note = entry.category, "as in the catalogue"
            elif from_file is not None:
                category, note = from_file, f"from the file's category {category_hint}"
            elif guessed is not None:
                category, note = guessed, "guessed from the name"
            else:
                category = DEFAULT_CATEGORY
                why = f"the file's category {category_hint} says nothing" if category_hint else "no guess from the name"
                note = f"by default, {why}: change it in the app"
            equipment = entry.equipment if entry is not None else guess_equipment(name)
            subcategory = entry.subcategory if entry is not None else None
            target = Target(name, "new custom exercise", category, note, equipment=equipment,
                            subcategory=subcategory)  # fmt: skip
        self._new[key] = target
        return target

