"""The built-in exercise catalogue: its shape, its aliases, and coverage of real exports."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from overload_tui.db.catalogue import (
    _ALIASES_AS_TYPED,
    ALIASES,
    CATALOGUE,
    CatalogueExercise,
    normalise,
    resolve,
)
from overload_tui.domain.enums import Category, Equipment
from overload_tui.domain.validation import NAME_MAX, SUBCATEGORY_MAX, clean_name

# The copies kept with the transfer tests (so a clean checkout has them), else the shared originals.
_COPIES = Path(__file__).resolve().parent / "transfer" / "data"
FIXTURES = _COPIES if _COPIES.is_dir() else Path(__file__).resolve().parents[2] / "shared/fixtures/imports"
NAMES = {e.name for e in CATALOGUE}

# Strong spells these differently from Hevy; Hevy's spelling is the catalogue
# name and Strong's is an alias (see the module docstring).
STRONG_NAMES_VIA_ALIAS = {"Leg Press", "Calf Press on Seated Leg Press"}


def _number(text: str | None) -> float:
    try:
        return float((text or "").strip() or 0)
    except ValueError:
        return 0.0


def _logged_names(filename: str, name_col: str, weight_cols: tuple[str, ...], reps_col: str) -> set[str]:
    """Distinct exercise names with at least one row of weight > 0 or reps > 0.

    That filter leaves out rows that are not lifts at all (Hevy's "Warm Up" has
    neither), so no explicit exclusion list is needed for these fixtures.
    """
    if not FIXTURES.is_dir():
        pytest.skip(f"fixture directory {FIXTURES} is missing")
    path = FIXTURES / filename
    if not path.is_file():
        pytest.skip(f"fixture {path} is missing")
    names: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            weight = max((_number(row.get(col)) for col in weight_cols), default=0.0)
            if weight > 0 or _number(row.get(reps_col)) > 0:
                names.add(row[name_col])
    assert names, f"no lifts read from {path}"
    return names


def _resolves(name: str) -> bool:
    return name in NAMES or ALIASES.get(normalise(name)) in NAMES


# --- shape -------------------------------------------------------------------


def test_at_least_150_entries_of_the_right_type() -> None:
    assert len(CATALOGUE) >= 150
    assert all(isinstance(e, CatalogueExercise) for e in CATALOGUE)
    assert all(isinstance(e.category, Category) for e in CATALOGUE)
    assert all(e.equipment is None or isinstance(e.equipment, Equipment) for e in CATALOGUE)


def test_names_are_unique_case_insensitively_and_after_normalising() -> None:
    lowered = Counter(e.name.casefold() for e in CATALOGUE)
    assert [n for n, c in lowered.items() if c > 1] == []
    normalised = Counter(normalise(e.name) for e in CATALOGUE)
    assert [n for n, c in normalised.items() if c > 1] == []


def test_names_and_subcategories_fit_the_columns() -> None:
    for e in CATALOGUE:
        assert len(e.name) <= min(100, NAME_MAX), e.name
        assert clean_name(e.name) == e.name, e.name  # trimmed, single spaces, no control chars
        assert e.subcategory, f"{e.name} has no subcategory"
        assert len(e.subcategory) <= min(100, SUBCATEGORY_MAX), e.name
        assert e.subcategory == e.subcategory.strip()


def test_every_category_has_at_least_12_exercises() -> None:
    counts = Counter(e.category for e in CATALOGUE)
    for category in Category:
        assert counts[category] >= 12, (category, counts[category])


def test_every_equipment_value_has_at_least_5_exercises() -> None:
    counts = Counter(e.equipment for e in CATALOGUE)
    for equipment in Equipment:
        assert counts[equipment] >= 5, (equipment, counts[equipment])


# --- normalise and aliases ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Lat Pulldown - Close Grip (Cable) ", "lat pulldown close grip cable"),
        ("Pull-up", "pull up"),
        ("PULL   UP", "pull up"),
        ("Farmer's Walk", "farmers walk"),
        ("Bent Over Row, Barbell", "bent over row barbell"),
        ("Seated Super- Bayesian High Cable Curl", "seated super bayesian high cable curl"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(expected) == expected


def test_alias_keys_are_normalised_and_values_are_catalogue_names() -> None:
    assert len(ALIASES) >= 100
    for key, value in ALIASES.items():
        assert key and normalise(key) == key, key
        assert value in NAMES, f"{key!r} -> {value!r} is not in the catalogue"


def test_alias_spellings_do_not_collide() -> None:
    # Two spellings written in the table must not normalise to the same key
    # (the later one would silently replace the earlier).
    typed = [normalise(k) for k in _ALIASES_AS_TYPED]
    assert sorted(k for k, c in Counter(typed).items() if c > 1) == []
    assert len(ALIASES) == len(_ALIASES_AS_TYPED)


def test_aliases_never_shadow_a_catalogue_name() -> None:
    normalised_names = {normalise(e.name) for e in CATALOGUE}
    shadowing = sorted(k for k in ALIASES if k in normalised_names)
    assert shadowing == []


@pytest.mark.parametrize(
    ("alternative", "canonical"),
    [
        ("Pull-up", "Pull Up"),
        ("Pullup", "Pull Up"),
        ("chin-up", "Chin Up"),
        ("Barbell Row", "Bent Over Row (Barbell)"),
        ("Lat Pull Down", "Lat Pulldown (Cable)"),
        ("Flat Barbell Bench Press", "Bench Press (Barbell)"),
        ("Barbell Squat", "Squat (Barbell)"),
        ("Dumbbell Curl", "Bicep Curl (Dumbbell)"),
        ("Leg Extension Machine", "Leg Extension (Machine)"),
        ("Triceps Pushdown (Cable)", "Triceps Pushdown"),
        ("leg press", "Leg Press (Machine)"),
    ],
)
def test_resolve(alternative: str, canonical: str) -> None:
    entry = resolve(alternative)
    assert entry is not None and entry.name == canonical


def test_resolve_unknown_name() -> None:
    assert resolve("Underwater Basket Weaving") is None


# --- real exports ---------------------------------------------------------------


def test_strong_fixture_names_resolve() -> None:
    names = _logged_names("strong_sample.csv", "Exercise Name", ("Weight",), "Reps")
    assert sorted(n for n in names if not _resolves(n)) == []
    # Strong's own spelling is the catalogue name unless Hevy spells it differently.
    assert sorted(names - NAMES) == sorted(STRONG_NAMES_VIA_ALIAS & names)


def test_hevy_fixture_names_are_catalogue_names() -> None:
    names = _logged_names("hevy_sample.csv", "exercise_title", ("weight_kg", "weight_lbs"), "reps")
    assert sorted(n for n in names if not _resolves(n)) == []
    assert sorted(names - NAMES) == []


def test_fitnotes_fixture_names_resolve_through_aliases() -> None:
    names = _logged_names("fitnotes_sample.csv", "Exercise", ("Weight", "Weight (lbs)", "Weight (kgs)"), "Reps")
    assert sorted(n for n in names if not _resolves(n)) == []
