"""The built-in exercise catalogue that seeds the ``exercises`` table.

Pure data plus two tiny helpers (:func:`normalise` and :func:`resolve`): no
SQLAlchemy, no textual, so it can be imported by the seeding code, the importers
and the tests alike.

Naming follows Strong and Hevy, "Name (Equipment)", so that a Strong or Hevy
export maps onto the catalogue without a lookup table. Where the two apps spell
the same exercise differently, one spelling is the catalogue name and the other
is an entry in :data:`ALIASES` (e.g. Strong's "Leg Press" -> Hevy's
"Leg Press (Machine)"). FitNotes names ("Flat Barbell Bench Press") and common
alternative spellings ("Pull-up", "Barbell Row") also live in :data:`ALIASES`.

Equipment conventions, because the schema has no "cable", "plate" or "smith"
value:

* cable, Smith machine, plate-loaded and selectorised machines -> ``MACHINE``
  (assisted pull-up / dip machines too: the load is the machine's stack);
* bodyweight moves, including their "(Weighted)" variants where the logged
  weight is the added load (plate, belt, vest) -> ``BODYWEIGHT``;
* bands -> ``RESISTANCE_BAND``; EZ bar and trap bar -> ``BARBELL``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from overload_tui.domain.enums import Category, Equipment, ExerciseKind


@dataclass(frozen=True, slots=True)
class CatalogueExercise:
    name: str  # <= 100 chars, unique (case-insensitive and after normalise()) in the catalogue
    category: Category
    subcategory: str | None  # the specific muscle area, e.g. "Upper Chest", "Lats", "Quadriceps"
    equipment: Equipment | None
    kind: ExerciseKind = ExerciseKind.WEIGHT_REPS


# Apostrophes vanish ("Farmer's" -> "farmers"); every other non-alphanumeric
# character ('-', '(', ')', ',', '.', '/', '&', ...) becomes a space, then
# whitespace is collapsed.
_APOSTROPHES_RE = re.compile(r"['\u2018\u2019`\u00b4]")
_PUNCTUATION_RE = re.compile(r"[^\w\s]|_")


def normalise(name: str) -> str:
    """The form used to compare exercise names: lower case, no punctuation, single spaces.

    >>> normalise("  Lat Pulldown - Close Grip (Cable) ")
    'lat pulldown close grip cable'
    >>> normalise("Farmer's Walk")
    'farmers walk'
    """
    text = _APOSTROPHES_RE.sub("", name.casefold())
    text = _PUNCTUATION_RE.sub(" ", text)
    return " ".join(text.split())


_C = Category
_E = Equipment
_MACHINE = _E.MACHINE
_DUMBBELL = _E.DUMBBELL
_BARBELL = _E.BARBELL
_BODYWEIGHT = _E.BODYWEIGHT
_KETTLEBELL = _E.KETTLEBELL
_BAND = _E.RESISTANCE_BAND

# (name, subcategory, equipment), grouped by category.
_CHEST: tuple[tuple[str, str, Equipment], ...] = (
    ("Bench Press (Barbell)", "Mid Chest", _BARBELL),
    ("Bench Press (Dumbbell)", "Mid Chest", _DUMBBELL),
    ("Bench Press (Smith Machine)", "Mid Chest", _MACHINE),
    ("Incline Bench Press (Barbell)", "Upper Chest", _BARBELL),
    ("Incline Bench Press (Dumbbell)", "Upper Chest", _DUMBBELL),
    ("Incline Bench Press (Smith Machine)", "Upper Chest", _MACHINE),
    ("Decline Bench Press (Barbell)", "Lower Chest", _BARBELL),
    ("Decline Bench Press (Dumbbell)", "Lower Chest", _DUMBBELL),
    ("Floor Press (Barbell)", "Mid Chest", _BARBELL),
    ("Floor Press (Kettlebell)", "Mid Chest", _KETTLEBELL),
    ("Chest Press (Machine)", "Mid Chest", _MACHINE),
    ("Incline Chest Press (Machine)", "Upper Chest", _MACHINE),
    ("Iso-Lateral Chest Press (Machine)", "Mid Chest", _MACHINE),
    ("Chest Press (Band)", "Mid Chest", _BAND),
    ("Chest Fly (Dumbbell)", "Mid Chest", _DUMBBELL),
    ("Incline Chest Fly (Dumbbell)", "Upper Chest", _DUMBBELL),
    ("Chest Fly (Machine)", "Mid Chest", _MACHINE),
    ("Chest Fly (Band)", "Mid Chest", _BAND),
    ("Pec Deck (Machine)", "Mid Chest", _MACHINE),
    ("Cable Crossover", "Mid Chest", _MACHINE),
    ("Low Cable Fly Crossovers", "Upper Chest", _MACHINE),
    ("Cable Crossover Ladder", "Mid Chest", _MACHINE),
    ("Bottom-Half Seated Cable Flye", "Mid Chest", _MACHINE),
    ("Pullover (Dumbbell)", "Mid Chest", _DUMBBELL),
    ("Push Up", "Mid Chest", _BODYWEIGHT),
    ("Incline Push Up", "Lower Chest", _BODYWEIGHT),
    ("Decline Push Up", "Upper Chest", _BODYWEIGHT),
    ("Banded Push Up", "Mid Chest", _BAND),
    ("Chest Dip", "Lower Chest", _BODYWEIGHT),
)

_BACK: tuple[tuple[str, str, Equipment], ...] = (
    ("Deadlift (Barbell)", "Lower Back", _BARBELL),
    ("Deadlift (Dumbbell)", "Lower Back", _DUMBBELL),
    ("Deadlift (Trap Bar)", "Lower Back", _BARBELL),
    ("Deadlift (Band)", "Lower Back", _BAND),
    ("Sumo Deadlift (Barbell)", "Lower Back", _BARBELL),
    ("Rack Pull (Barbell)", "Lower Back", _BARBELL),
    ("Back Extension", "Lower Back", _BODYWEIGHT),
    ("Back Extension (Weighted Hyperextension)", "Lower Back", _BODYWEIGHT),
    ("Back Extension (Machine)", "Lower Back", _MACHINE),
    ("Superman", "Lower Back", _BODYWEIGHT),
    ("Bent Over Row (Barbell)", "Upper Back", _BARBELL),
    ("Bent Over Row (Dumbbell)", "Upper Back", _DUMBBELL),
    ("Bent Over Row (Band)", "Upper Back", _BAND),
    ("Pendlay Row (Barbell)", "Upper Back", _BARBELL),
    ("T Bar Row", "Upper Back", _BARBELL),
    ("Dumbbell Row", "Lats", _DUMBBELL),
    ("Kettlebell Row", "Lats", _KETTLEBELL),
    ("Chest Supported Incline Row (Dumbbell)", "Upper Back", _DUMBBELL),
    ("Renegade Row (Dumbbell)", "Upper Back", _DUMBBELL),
    ("Seated Row (Cable)", "Upper Back", _MACHINE),
    ("Seated Row (Machine)", "Upper Back", _MACHINE),
    ("Seated Cable Row - V Grip (Cable)", "Upper Back", _MACHINE),
    ("Seated Cable Row - Bar Wide Grip", "Upper Back", _MACHINE),
    ("Iso-Lateral Row (Machine)", "Upper Back", _MACHINE),
    ("Inverted Row", "Upper Back", _BODYWEIGHT),
    ("Lat Pulldown (Cable)", "Lats", _MACHINE),
    ("Lat Pulldown (Machine)", "Lats", _MACHINE),
    ("Lat Pulldown - Close Grip (Cable)", "Lats", _MACHINE),
    ("Lat Pulldown (Band)", "Lats", _BAND),
    ("Sitting 1-Arm Lat Pulldown", "Lats", _MACHINE),
    ("Straight Arm Lat Pulldown (Cable)", "Lats", _MACHINE),
    ("Pull Up", "Lats", _BODYWEIGHT),
    ("Wide Pull Up", "Lats", _BODYWEIGHT),
    ("Pull Up (Weighted)", "Lats", _BODYWEIGHT),
    ("Pull Up (Assisted)", "Lats", _MACHINE),
    ("Pull Up (Band)", "Lats", _BAND),
    ("Chin Up", "Lats", _BODYWEIGHT),
    ("Chin Up (Assisted)", "Lats", _MACHINE),
    ("Shrug (Barbell)", "Traps", _BARBELL),
    ("Shrug (Dumbbell)", "Traps", _DUMBBELL),
    ("Shrug (Cable)", "Traps", _MACHINE),
    ("Kettlebell High Pull", "Traps", _KETTLEBELL),
)

_LEGS: tuple[tuple[str, str, Equipment], ...] = (
    ("Squat (Barbell)", "Quadriceps", _BARBELL),
    ("Squat (Dumbbell)", "Quadriceps", _DUMBBELL),
    ("Squat (Smith Machine)", "Quadriceps", _MACHINE),
    ("Air Squat", "Quadriceps", _BODYWEIGHT),
    ("Banded Squat", "Quadriceps", _BAND),
    ("Front Squat (Barbell)", "Quadriceps", _BARBELL),
    ("Box Squat (Barbell)", "Quadriceps", _BARBELL),
    ("Goblet Squat (Dumbbell)", "Quadriceps", _DUMBBELL),
    ("Goblet Squat (Kettlebell)", "Quadriceps", _KETTLEBELL),
    ("Hack Squat (Machine)", "Quadriceps", _MACHINE),
    ("Pistol Squat", "Quadriceps", _BODYWEIGHT),
    ("Bulgarian Split Squat", "Quadriceps", _DUMBBELL),
    ("Lunge (Barbell)", "Quadriceps", _BARBELL),
    ("Lunge (Dumbbell)", "Quadriceps", _DUMBBELL),
    ("Lunge (Bodyweight)", "Quadriceps", _BODYWEIGHT),
    ("Reverse Lunge (Dumbbell)", "Quadriceps", _DUMBBELL),
    ("Walking Lunge (Dumbbell)", "Quadriceps", _DUMBBELL),
    ("Step Up", "Quadriceps", _BODYWEIGHT),
    ("Box Jump", "Quadriceps", _BODYWEIGHT),
    ("Wall Sit", "Quadriceps", _BODYWEIGHT),
    ("Leg Press (Machine)", "Quadriceps", _MACHINE),
    ("Leg Extension (Machine)", "Quadriceps", _MACHINE),
    ("Romanian Deadlift (Barbell)", "Hamstrings", _BARBELL),
    ("Romanian Deadlift (Dumbbell)", "Hamstrings", _DUMBBELL),
    ("Single Leg Romanian Deadlift (Dumbbell)", "Hamstrings", _DUMBBELL),
    ("Stiff Leg Deadlift (Barbell)", "Hamstrings", _BARBELL),
    ("Good Morning (Barbell)", "Hamstrings", _BARBELL),
    ("Seated Leg Curl (Machine)", "Hamstrings", _MACHINE),
    ("Lying Leg Curl (Machine)", "Hamstrings", _MACHINE),
    ("Banded Leg Curl", "Hamstrings", _BAND),
    ("Nordic Hamstring Curl", "Hamstrings", _BODYWEIGHT),
    ("Glute Ham Raise", "Hamstrings", _BODYWEIGHT),
    ("Hip Thrust (Barbell)", "Glutes", _BARBELL),
    ("Hip Thrust (Machine)", "Glutes", _MACHINE),
    ("Glute Bridge", "Glutes", _BODYWEIGHT),
    ("Banded Glute Bridge", "Glutes", _BAND),
    ("Glute Kickback (Machine)", "Glutes", _MACHINE),
    ("Cable Pull Through", "Glutes", _MACHINE),
    ("Kettlebell Swing", "Glutes", _KETTLEBELL),
    ("Hip Abduction (Machine)", "Abductors", _MACHINE),
    ("Banded Lateral Walk", "Abductors", _BAND),
    ("Banded Clamshell", "Abductors", _BAND),
    ("Hip Adduction (Machine)", "Adductors", _MACHINE),
    ("Standing Calf Raise", "Calves", _BODYWEIGHT),
    ("Standing Calf Raise (Machine)", "Calves", _MACHINE),
    ("Standing Calf Raise (Dumbbell)", "Calves", _DUMBBELL),
    ("Standing Calf Raise (Barbell)", "Calves", _BARBELL),
    ("Seated Calf Raise (Machine)", "Calves", _MACHINE),
    ("Calf Press (Machine)", "Calves", _MACHINE),
)

_SHOULDERS: tuple[tuple[str, str, Equipment], ...] = (
    ("Overhead Press (Barbell)", "Front Delts", _BARBELL),
    ("Seated Overhead Press (Barbell)", "Front Delts", _BARBELL),
    ("Push Press (Barbell)", "Front Delts", _BARBELL),
    ("Shoulder Press (Dumbbell)", "Front Delts", _DUMBBELL),
    ("Arnold Press (Dumbbell)", "Front Delts", _DUMBBELL),
    ("Shoulder Press (Machine)", "Front Delts", _MACHINE),
    ("Seated Shoulder Press (Machine)", "Front Delts", _MACHINE),
    ("Shoulder Press (Machine Plates)", "Front Delts", _MACHINE),
    ("Overhead Press (Kettlebell)", "Front Delts", _KETTLEBELL),
    ("Banded Overhead Press", "Front Delts", _BAND),
    ("Pike Push Up", "Front Delts", _BODYWEIGHT),
    ("Handstand Push Up", "Front Delts", _BODYWEIGHT),
    ("Front Raise (Dumbbell)", "Front Delts", _DUMBBELL),
    ("Front Raise (Barbell)", "Front Delts", _BARBELL),
    ("Front Raise (Cable)", "Front Delts", _MACHINE),
    ("Banded Front Raise", "Front Delts", _BAND),
    ("Lateral Raise (Dumbbell)", "Side Delts", _DUMBBELL),
    ("Lateral Raise (Cable)", "Side Delts", _MACHINE),
    ("Lateral Raise (Machine)", "Side Delts", _MACHINE),
    ("Single Arm Lateral Raise (Cable)", "Side Delts", _MACHINE),
    ("Meadows Incline DB Lateral Raise", "Side Delts", _DUMBBELL),
    ("Banded Lateral Raise", "Side Delts", _BAND),
    ("Upright Row (Barbell)", "Side Delts", _BARBELL),
    ("Upright Row (Dumbbell)", "Side Delts", _DUMBBELL),
    ("Upright Row (Cable)", "Side Delts", _MACHINE),
    ("Kettlebell Halo", "Side Delts", _KETTLEBELL),
    ("Rear Delt Reverse Fly (Dumbbell)", "Rear Delts", _DUMBBELL),
    ("Rear Delt Reverse Fly (Cable)", "Rear Delts", _MACHINE),
    ("Rear Delt Reverse Fly (Machine)", "Rear Delts", _MACHINE),
    ("Reverse Fly Single Arm (Cable)", "Rear Delts", _MACHINE),
    ("Face Pull (Cable)", "Rear Delts", _MACHINE),
    ("Cable 1-Arm Face Pull", "Rear Delts", _MACHINE),
    ("Banded Face Pull", "Rear Delts", _BAND),
    ("Banded Pull Apart", "Rear Delts", _BAND),
)

_ARMS: tuple[tuple[str, str, Equipment], ...] = (
    ("Bicep Curl (Barbell)", "Biceps", _BARBELL),
    ("Bicep Curl (Dumbbell)", "Biceps", _DUMBBELL),
    ("Bicep Curl (Cable)", "Biceps", _MACHINE),
    ("Bicep Curl (Machine)", "Biceps", _MACHINE),
    ("Bicep Curl (Band)", "Biceps", _BAND),
    ("Bicep Curl (Kettlebell)", "Biceps", _KETTLEBELL),
    ("EZ Bar Biceps Curl", "Biceps", _BARBELL),
    ("Hammer Curl (Dumbbell)", "Biceps", _DUMBBELL),
    ("Hammer Curl (Cable)", "Biceps", _MACHINE),
    ("Hammer Curl (Band)", "Biceps", _BAND),
    ("Preacher Curl (Barbell)", "Biceps", _BARBELL),
    ("Preacher Curl (Dumbbell)", "Biceps", _DUMBBELL),
    ("Preacher Curl (Machine)", "Biceps", _MACHINE),
    ("Concentration Curl", "Biceps", _DUMBBELL),
    ("Seated Incline Curl (Dumbbell)", "Biceps", _DUMBBELL),
    ("Spider Curl (Dumbbell)", "Biceps", _DUMBBELL),
    ("Bayesian Cable Curl", "Biceps", _MACHINE),
    ("Seated Super- Bayesian High Cable Curl", "Biceps", _MACHINE),
    ("Triceps Pushdown", "Triceps", _MACHINE),
    ("Triceps Pressdown", "Triceps", _MACHINE),
    ("Triceps Rope Pushdown", "Triceps", _MACHINE),
    ("Triceps Pushdown (Band)", "Triceps", _BAND),
    ("Triceps Extension (Cable)", "Triceps", _MACHINE),
    ("Triceps Extension (Dumbbell)", "Triceps", _DUMBBELL),
    ("Triceps Extension (Barbell)", "Triceps", _BARBELL),
    ("Triceps Extension (Machine)", "Triceps", _MACHINE),
    ("Katana Triceps Extension", "Triceps", _MACHINE),
    ("Skullcrusher (Barbell)", "Triceps", _BARBELL),
    ("Skullcrusher (Dumbbell)", "Triceps", _DUMBBELL),
    ("JM Press (Barbell)", "Triceps", _BARBELL),
    ("Close Grip Bench Press (Barbell)", "Triceps", _BARBELL),
    ("Triceps Kickback (Cable)", "Triceps", _MACHINE),
    ("Triceps Kickback (Dumbbell)", "Triceps", _DUMBBELL),
    ("Triceps Dip", "Triceps", _BODYWEIGHT),
    ("Triceps Dip (Assisted)", "Triceps", _MACHINE),
    ("Bench Dip", "Triceps", _BODYWEIGHT),
    ("Seated Dip Machine", "Triceps", _MACHINE),
    ("Diamond Push Up", "Triceps", _BODYWEIGHT),
    ("Seated Palms Up Wrist Curl", "Forearms", _DUMBBELL),
    ("Seated Palms Down Wrist Curl", "Forearms", _DUMBBELL),
    ("Reverse Curl (Barbell)", "Forearms", _BARBELL),
)

_CORE: tuple[tuple[str, str, Equipment], ...] = (
    ("Plank", "Abs", _BODYWEIGHT),
    ("Side Plank", "Obliques", _BODYWEIGHT),
    ("Crunch", "Abs", _BODYWEIGHT),
    ("Crunch (Weighted)", "Abs", _BODYWEIGHT),
    ("Crunch (Machine)", "Abs", _MACHINE),
    ("Cable Crunch", "Abs", _MACHINE),
    ("Banded Crunch", "Abs", _BAND),
    ("Decline Crunch", "Abs", _BODYWEIGHT),
    ("Decline Crunch (Weighted)", "Abs", _BODYWEIGHT),
    ("Sit Up", "Abs", _BODYWEIGHT),
    ("V Up", "Abs", _BODYWEIGHT),
    ("Ab Wheel", "Abs", _BODYWEIGHT),
    ("Dragon Flag", "Abs", _BODYWEIGHT),
    ("Dead Bug", "Abs", _BODYWEIGHT),
    ("Mountain Climber", "Abs", _BODYWEIGHT),
    ("Hanging Leg Raise", "Lower Abs", _BODYWEIGHT),
    ("Hanging Knee Raise", "Lower Abs", _BODYWEIGHT),
    ("Lying Leg Raise", "Lower Abs", _BODYWEIGHT),
    ("Toes To Bar", "Lower Abs", _BODYWEIGHT),
    ("Flutter Kicks", "Lower Abs", _BODYWEIGHT),
    ("Bicycle Crunch", "Obliques", _BODYWEIGHT),
    ("Russian Twist", "Obliques", _BODYWEIGHT),
    ("Side Bend (Dumbbell)", "Obliques", _DUMBBELL),
    ("Wood Chop (Cable)", "Obliques", _MACHINE),
    ("Pallof Press (Cable)", "Obliques", _MACHINE),
    ("Banded Pallof Press", "Obliques", _BAND),
    ("Landmine Rotation (Barbell)", "Obliques", _BARBELL),
    ("Kettlebell Windmill", "Obliques", _KETTLEBELL),
    ("Kettlebell Turkish Get Up", "Core Stability", _KETTLEBELL),
    ("Kettlebell Carry", "Core Stability", _KETTLEBELL),
    ("Farmer's Walk (Dumbbell)", "Core Stability", _DUMBBELL),
    ("Dead Hang", "Core Stability", _BODYWEIGHT),
    ("Hollow Body Hold", "Abs", _BODYWEIGHT),
    ("L-Sit", "Abs", _BODYWEIGHT),
)

# Cardio has no category of its own in the spec's enum: it lives under legs (rowing under
# back), with the subcategory "Cardio", and is logged as distance and time.
_CARDIO: tuple[tuple[str, Category, Equipment | None], ...] = (
    ("Running", _C.LEGS, None),
    ("Running (Treadmill)", _C.LEGS, _MACHINE),
    ("Walking", _C.LEGS, None),
    ("Cycling", _C.LEGS, None),
    ("Cycling (Stationary)", _C.LEGS, _MACHINE),
    ("Elliptical Trainer", _C.LEGS, _MACHINE),
    ("Stair Climber", _C.LEGS, _MACHINE),
    ("Swimming", _C.BACK, None),
    ("Rowing (Machine)", _C.BACK, _MACHINE),
    ("Ski Erg", _C.BACK, _MACHINE),
    ("Sled Push", _C.LEGS, _MACHINE),
    ("Sled Pull", _C.LEGS, _MACHINE),
)

# What each catalogue exercise's sets measure, where it is not weight x reps. Bodyweight moves
# are reps only, except the ones people load with a belt (weighted: the logged weight is the
# added load) and the assisted machines (the logged weight is the assistance).
_TIME = {"Plank", "Side Plank", "Wall Sit", "Dead Hang", "Hollow Body Hold", "L-Sit"}
_WEIGHTED = {"Pull Up", "Wide Pull Up", "Chin Up", "Chest Dip", "Triceps Dip", "Muscle Up"}


def _kind(name: str, equipment: Equipment | None, cardio: bool) -> ExerciseKind:
    if cardio:
        return ExerciseKind.DISTANCE
    if name in _TIME:
        return ExerciseKind.TIME
    if name.endswith("(Assisted)"):
        return ExerciseKind.ASSISTED
    if name in _WEIGHTED or (equipment == _BODYWEIGHT and "(Weighted" in name):
        return ExerciseKind.WEIGHTED
    if equipment == _BODYWEIGHT:
        return ExerciseKind.REPS_ONLY
    return ExerciseKind.WEIGHT_REPS

CATALOGUE: tuple[CatalogueExercise, ...] = tuple(
    CatalogueExercise(
        name=name, category=category, subcategory=subcategory, equipment=equipment,
        kind=_kind(name, equipment, cardio=False),
    )
    for category, rows in (
        (_C.CHEST, _CHEST),
        (_C.BACK, _BACK),
        (_C.LEGS, _LEGS),
        (_C.SHOULDERS, _SHOULDERS),
        (_C.ARMS, _ARMS),
        (_C.CORE, _CORE),
    )
    for name, subcategory, equipment in rows
) + tuple(
    CatalogueExercise(name, category, "Cardio", equipment, _kind(name, equipment, cardio=True))
    for name, category, equipment in _CARDIO
)


# Alternative name -> canonical catalogue name. Written out as typed and
# normalised below, so the table stays readable. An alternative whose normalised
# form already equals a catalogue name's (e.g. "Leg Extension Machine" or
# "pull-up") needs no entry: resolve() matches it directly.
_ALIASES_AS_TYPED: dict[str, str] = {
    # --- Strong vs Hevy spellings of the same exercise (Hevy's is the catalogue name)
    "Leg Press": "Leg Press (Machine)",
    "Calf Press on Seated Leg Press": "Calf Press (Machine)",
    "Calf Press on Leg Press": "Calf Press (Machine)",
    "Hip Abductor (Machine)": "Hip Abduction (Machine)",
    "Hip Adductor (Machine)": "Hip Adduction (Machine)",
    "Bent Over One Arm Row (Dumbbell)": "Dumbbell Row",
    "Seated Calf Raise (Plate Loaded)": "Seated Calf Raise (Machine)",
    "Seated Overhead Press (Dumbbell)": "Shoulder Press (Dumbbell)",
    "Overhead Press (Dumbbell)": "Shoulder Press (Dumbbell)",
    "Triceps Pushdown (Cable)": "Triceps Pushdown",
    "Triceps Pushdown (Cable - Straight Bar)": "Triceps Pushdown",
    "Triceps Pushdown (Rope)": "Triceps Rope Pushdown",
    "Overhead Triceps Extension (Cable)": "Triceps Extension (Cable)",
    "Overhead Triceps Extension (Dumbbell)": "Triceps Extension (Dumbbell)",
    "Lying Triceps Extension (Barbell)": "Skullcrusher (Barbell)",
    "Skullcrusher (EZ Bar)": "Skullcrusher (Barbell)",
    "Bicep Curl (EZ Bar)": "EZ Bar Biceps Curl",
    "Preacher Curl (EZ Bar)": "Preacher Curl (Barbell)",
    "Reverse Curl (EZ Bar)": "Reverse Curl (Barbell)",
    "Incline Curl (Dumbbell)": "Seated Incline Curl (Dumbbell)",
    "Reverse Fly (Dumbbell)": "Rear Delt Reverse Fly (Dumbbell)",
    "Reverse Fly (Cable)": "Rear Delt Reverse Fly (Cable)",
    "Reverse Fly (Machine)": "Rear Delt Reverse Fly (Machine)",
    "Chest Fly (Cable)": "Cable Crossover",
    "Bulgarian Split Squat (Dumbbell)": "Bulgarian Split Squat",
    "Concentration Curl (Dumbbell)": "Concentration Curl",
    "Goblet Squat": "Goblet Squat (Dumbbell)",
    "Squat (Bodyweight)": "Air Squat",
    "Lunge": "Lunge (Bodyweight)",
    "Walking Lunge": "Walking Lunge (Dumbbell)",
    "Straight Leg Deadlift (Barbell)": "Stiff Leg Deadlift (Barbell)",
    "Back Extension (Hyperextension)": "Back Extension",
    "Calf Raise (Standing)": "Standing Calf Raise",
    "Seated Calf Raise": "Seated Calf Raise (Machine)",
    "Triceps Dip (Weighted)": "Triceps Dip",
    "Farmers Walk": "Farmer's Walk (Dumbbell)",
    "Farmer Walk": "Farmer's Walk (Dumbbell)",
    "Turkish Get Up": "Kettlebell Turkish Get Up",
    "Kettlebell Goblet Squat": "Goblet Squat (Kettlebell)",
    "Kettlebell Press": "Overhead Press (Kettlebell)",
    "Kettlebell Curl": "Bicep Curl (Kettlebell)",
    "Shoulder Press (Plate Loaded)": "Shoulder Press (Machine Plates)",
    "Chest Press (Plate Loaded)": "Iso-Lateral Chest Press (Machine)",
    # --- FitNotes default names
    "Flat Barbell Bench Press": "Bench Press (Barbell)",
    "Incline Barbell Bench Press": "Incline Bench Press (Barbell)",
    "Decline Barbell Bench Press": "Decline Bench Press (Barbell)",
    "Flat Dumbbell Bench Press": "Bench Press (Dumbbell)",
    "Incline Dumbbell Bench Press": "Incline Bench Press (Dumbbell)",
    "Decline Dumbbell Bench Press": "Decline Bench Press (Dumbbell)",
    "Flat Dumbbell Fly": "Chest Fly (Dumbbell)",
    "Incline Dumbbell Fly": "Incline Chest Fly (Dumbbell)",
    "Close Grip Barbell Bench Press": "Close Grip Bench Press (Barbell)",
    "Barbell Squat": "Squat (Barbell)",
    "Barbell Front Squat": "Front Squat (Barbell)",
    "Romanian Deadlift": "Romanian Deadlift (Barbell)",
    "Stiff-Legged Deadlift": "Stiff Leg Deadlift (Barbell)",
    "Deadlift": "Deadlift (Barbell)",
    "Sumo Deadlift": "Sumo Deadlift (Barbell)",
    "Barbell Row": "Bent Over Row (Barbell)",
    "One-Arm Dumbbell Row": "Dumbbell Row",
    "Seated Cable Row": "Seated Row (Cable)",
    "Lat Pulldown": "Lat Pulldown (Cable)",
    "Hyperextension": "Back Extension",
    "Overhead Press": "Overhead Press (Barbell)",
    "Seated Dumbbell Press": "Shoulder Press (Dumbbell)",
    "Arnold Dumbbell Press": "Arnold Press (Dumbbell)",
    "Lateral Dumbbell Raise": "Lateral Raise (Dumbbell)",
    "Front Dumbbell Raise": "Front Raise (Dumbbell)",
    "Rear Delt Dumbbell Raise": "Rear Delt Reverse Fly (Dumbbell)",
    "Machine Shoulder Press": "Shoulder Press (Machine)",
    "Push Press": "Push Press (Barbell)",
    "Face Pull": "Face Pull (Cable)",
    "Barbell Shrug": "Shrug (Barbell)",
    "Dumbbell Shrug": "Shrug (Dumbbell)",
    "Barbell Curl": "Bicep Curl (Barbell)",
    "Barbell Curl Reverse Grip": "Reverse Curl (Barbell)",
    "Dumbbell Curl": "Bicep Curl (Dumbbell)",
    "Dumbbell Hammer Curl": "Hammer Curl (Dumbbell)",
    "Dumbbell Concentration Curl": "Concentration Curl",
    "Dumbbell Preacher Curl": "Preacher Curl (Dumbbell)",
    "Seated Incline Dumbbell Curl": "Seated Incline Curl (Dumbbell)",
    "EZ-Bar Curl": "EZ Bar Biceps Curl",
    "EZ-Bar Preacher Curl": "Preacher Curl (Barbell)",
    "Cable Curl": "Bicep Curl (Cable)",
    # A custom FitNotes exercise in the fixtures: a curl on the cable pulldown station.
    "Curl Pulldown Bicep": "Bicep Curl (Cable)",
    "Parallel Bar Triceps Dip": "Triceps Dip",
    "Lying Triceps Extension": "Skullcrusher (Barbell)",
    "EZ-Bar Skullcrusher": "Skullcrusher (Barbell)",
    "Cable Overhead Triceps Extension": "Triceps Extension (Cable)",
    "Dumbbell Overhead Triceps Extension": "Triceps Extension (Dumbbell)",
    "Bar Push Down": "Triceps Pushdown",
    "V-Bar Push Down": "Triceps Pushdown",
    "Rope Push Down": "Triceps Rope Pushdown",
    # FitNotes fixture typo of "Tricep Push Up" (logged at 1 lb, i.e. bodyweight).
    "Tricep Push Ul": "Diamond Push Up",
    "Tricep Push Up": "Diamond Push Up",
    "Leg Extension": "Leg Extension (Machine)",
    "Lying Leg Curl": "Lying Leg Curl (Machine)",
    "Seated Leg Curl": "Seated Leg Curl (Machine)",
    "Machine Crunch": "Crunch (Machine)",
    "Ab-Wheel Rollout": "Ab Wheel",
    # --- common alternative spellings
    "Pullup": "Pull Up",
    "Pull Ups": "Pull Up",
    "Pullups": "Pull Up",
    "Weighted Pull Up": "Pull Up (Weighted)",
    "Assisted Pull Up": "Pull Up (Assisted)",
    "Wide Grip Pull Up": "Wide Pull Up",
    "Chinup": "Chin Up",
    "Chin Ups": "Chin Up",
    "Chinups": "Chin Up",
    "Assisted Chin Up": "Chin Up (Assisted)",
    "Pushup": "Push Up",
    "Push Ups": "Push Up",
    "Pushups": "Push Up",
    "Press Up": "Push Up",
    "Diamond Pushup": "Diamond Push Up",
    "Close Grip Push Up": "Diamond Push Up",
    "Triceps Push Up": "Diamond Push Up",
    "Bench Press": "Bench Press (Barbell)",
    "Barbell Bench Press": "Bench Press (Barbell)",
    "Flat Bench Press": "Bench Press (Barbell)",
    "Dumbbell Bench Press": "Bench Press (Dumbbell)",
    "Smith Machine Bench Press": "Bench Press (Smith Machine)",
    "Incline Bench Press": "Incline Bench Press (Barbell)",
    "Incline Dumbbell Press": "Incline Bench Press (Dumbbell)",
    "Decline Bench Press": "Decline Bench Press (Barbell)",
    "Close Grip Bench Press": "Close Grip Bench Press (Barbell)",
    "Chest Press": "Chest Press (Machine)",
    "Machine Chest Press": "Chest Press (Machine)",
    "Hammer Strength Chest Press": "Iso-Lateral Chest Press (Machine)",
    "Dumbbell Fly": "Chest Fly (Dumbbell)",
    "Dumbbell Flyes": "Chest Fly (Dumbbell)",
    "Pec Fly": "Pec Deck (Machine)",
    "Pec Deck": "Pec Deck (Machine)",
    "Machine Fly": "Chest Fly (Machine)",
    "Cable Fly": "Cable Crossover",
    "Cable Flye": "Cable Crossover",
    "Cable Crossovers": "Cable Crossover",
    "Dumbbell Pullover": "Pullover (Dumbbell)",
    "Dips": "Triceps Dip",
    "Tricep Dip": "Triceps Dip",
    "Tricep Dips": "Triceps Dip",
    "Chest Dips": "Chest Dip",
    "Squat": "Squat (Barbell)",
    "Back Squat": "Squat (Barbell)",
    "Barbell Back Squat": "Squat (Barbell)",
    "Smith Machine Squat": "Squat (Smith Machine)",
    "Front Squat": "Front Squat (Barbell)",
    "Bodyweight Squat": "Air Squat",
    "Hack Squat": "Hack Squat (Machine)",
    "Split Squat": "Bulgarian Split Squat",
    "Rear Foot Elevated Split Squat": "Bulgarian Split Squat",
    "Walking Lunges": "Walking Lunge (Dumbbell)",
    "Conventional Deadlift": "Deadlift (Barbell)",
    "Barbell Deadlift": "Deadlift (Barbell)",
    "Trap Bar Deadlift": "Deadlift (Trap Bar)",
    "Hex Bar Deadlift": "Deadlift (Trap Bar)",
    "RDL": "Romanian Deadlift (Barbell)",
    "Barbell Romanian Deadlift": "Romanian Deadlift (Barbell)",
    "Dumbbell Romanian Deadlift": "Romanian Deadlift (Dumbbell)",
    "DB RDL": "Romanian Deadlift (Dumbbell)",
    "Good Morning": "Good Morning (Barbell)",
    "Rack Pull": "Rack Pull (Barbell)",
    "Hip Thrust": "Hip Thrust (Barbell)",
    "Barbell Hip Thrust": "Hip Thrust (Barbell)",
    "Nordic Curl": "Nordic Hamstring Curl",
    "GHR": "Glute Ham Raise",
    "Hip Abductor": "Hip Abduction (Machine)",
    "Hip Adductor": "Hip Adduction (Machine)",
    "Calf Raise": "Standing Calf Raise",
    "Calf Raises": "Standing Calf Raise",
    "Box Jumps": "Box Jump",
    "Kettlebell Swings": "Kettlebell Swing",
    "KB Swing": "Kettlebell Swing",
    "Russian Kettlebell Swing": "Kettlebell Swing",
    "Bent Over Barbell Row": "Bent Over Row (Barbell)",
    "Barbell Bent Over Row": "Bent Over Row (Barbell)",
    "Dumbbell Bent Over Row": "Bent Over Row (Dumbbell)",
    "Single Arm Dumbbell Row": "Dumbbell Row",
    "TBar Row": "T Bar Row",
    "Cable Row": "Seated Row (Cable)",
    "Lat Pull Down": "Lat Pulldown (Cable)",
    "Lat Pull Down (Cable)": "Lat Pulldown (Cable)",
    "Cable Lat Pulldown": "Lat Pulldown (Cable)",
    "Wide Grip Lat Pulldown": "Lat Pulldown (Cable)",
    "Close Grip Lat Pulldown": "Lat Pulldown - Close Grip (Cable)",
    "Single Arm Lat Pulldown": "Sitting 1-Arm Lat Pulldown",
    "Straight Arm Pulldown": "Straight Arm Lat Pulldown (Cable)",
    "Shrug": "Shrug (Barbell)",
    "Military Press": "Overhead Press (Barbell)",
    "OHP": "Overhead Press (Barbell)",
    "Strict Press": "Overhead Press (Barbell)",
    "Standing Overhead Press": "Overhead Press (Barbell)",
    "Barbell Overhead Press": "Overhead Press (Barbell)",
    "Dumbbell Shoulder Press": "Shoulder Press (Dumbbell)",
    "Dumbbell Overhead Press": "Shoulder Press (Dumbbell)",
    "Arnold Press": "Arnold Press (Dumbbell)",
    "Lateral Raise": "Lateral Raise (Dumbbell)",
    "Side Lateral Raise": "Lateral Raise (Dumbbell)",
    "Dumbbell Lateral Raise": "Lateral Raise (Dumbbell)",
    "Cable Lateral Raise": "Lateral Raise (Cable)",
    "Single Arm Cable Lateral Raise": "Single Arm Lateral Raise (Cable)",
    "Front Raise": "Front Raise (Dumbbell)",
    "Upright Row": "Upright Row (Barbell)",
    "Reverse Fly": "Rear Delt Reverse Fly (Dumbbell)",
    "Rear Delt Fly": "Rear Delt Reverse Fly (Dumbbell)",
    "Reverse Pec Deck": "Rear Delt Reverse Fly (Machine)",
    "Single Arm Face Pull": "Cable 1-Arm Face Pull",
    "Band Face Pull": "Banded Face Pull",
    "Face Pull (Band)": "Banded Face Pull",
    "Band Pull Apart": "Banded Pull Apart",
    "Band Pull Aparts": "Banded Pull Apart",
    "Biceps Curl (Dumbbell)": "Bicep Curl (Dumbbell)",
    "Dumbbell Bicep Curl": "Bicep Curl (Dumbbell)",
    "Biceps Curl (Barbell)": "Bicep Curl (Barbell)",
    "Barbell Bicep Curl": "Bicep Curl (Barbell)",
    "Biceps Curl (Cable)": "Bicep Curl (Cable)",
    "Banded Bicep Curl": "Bicep Curl (Band)",
    "EZ Curl": "EZ Bar Biceps Curl",
    "Hammer Curl": "Hammer Curl (Dumbbell)",
    "Preacher Curl": "Preacher Curl (Barbell)",
    "Incline Dumbbell Curl": "Seated Incline Curl (Dumbbell)",
    "Reverse Curl": "Reverse Curl (Barbell)",
    "Reverse Grip Barbell Curl": "Reverse Curl (Barbell)",
    "Wrist Curl": "Seated Palms Up Wrist Curl",
    "Reverse Wrist Curl": "Seated Palms Down Wrist Curl",
    "Seated Palms Up Wrist Curl (Dumbbell)": "Seated Palms Up Wrist Curl",
    "Seated Palms Down Wrist Curl (Dumbbell)": "Seated Palms Down Wrist Curl",
    "Tricep Pushdown": "Triceps Pushdown",
    "Cable Triceps Pushdown": "Triceps Pushdown",
    "Rope Pushdown": "Triceps Rope Pushdown",
    "Tricep Rope Pushdown": "Triceps Rope Pushdown",
    "Banded Triceps Pushdown": "Triceps Pushdown (Band)",
    "Skull Crusher": "Skullcrusher (Barbell)",
    "Skullcrusher": "Skullcrusher (Barbell)",
    "Dumbbell Triceps Extension": "Triceps Extension (Dumbbell)",
    "Tricep Kickback": "Triceps Kickback (Dumbbell)",
    "Dip Machine": "Seated Dip Machine",
    "Planks": "Plank",
    "Crunches": "Crunch",
    "Weighted Crunch": "Crunch (Weighted)",
    "Ab Crunch Machine": "Crunch (Machine)",
    "Situp": "Sit Up",
    "Sit Ups": "Sit Up",
    "Situps": "Sit Up",
    "Hanging Leg Raises": "Hanging Leg Raise",
    "Leg Raise": "Lying Leg Raise",
    "Ab Rollout": "Ab Wheel",
    "Russian Twists": "Russian Twist",
    "Woodchop": "Wood Chop (Cable)",
    "Cable Woodchop": "Wood Chop (Cable)",
    "Pallof Press": "Pallof Press (Cable)",
    "Mountain Climbers": "Mountain Climber",
    "Kettlebell Farmers Carry": "Kettlebell Carry",
    # Cardio and holds
    "Run": "Running",
    "Jogging": "Running",
    "Outdoor Run": "Running",
    "Treadmill": "Running (Treadmill)",
    "Treadmill Run": "Running (Treadmill)",
    "Walk": "Walking",
    "Bike": "Cycling",
    "Stationary Bike": "Cycling (Stationary)",
    "Spin Bike": "Cycling (Stationary)",
    "Elliptical": "Elliptical Trainer",
    "Stairmaster": "Stair Climber",
    "Stair Master": "Stair Climber",
    "Rowing": "Rowing (Machine)",
    "Rower": "Rowing (Machine)",
    "Indoor Rower": "Rowing (Machine)",
    "SkiErg": "Ski Erg",
    "Hollow Hold": "Hollow Body Hold",
    "Hanging": "Dead Hang",
}

ALIASES: dict[str, str] = {normalise(alt): name for alt, name in _ALIASES_AS_TYPED.items()}

_BY_NAME: dict[str, CatalogueExercise] = {e.name: e for e in CATALOGUE}
_BY_NORMALISED: dict[str, CatalogueExercise] = {normalise(e.name): e for e in CATALOGUE}


def resolve(name: str) -> CatalogueExercise | None:
    """The catalogue entry a (possibly foreign) exercise name stands for, or None.

    Exact name first, then the normalised name, then :data:`ALIASES`.
    """
    if name in _BY_NAME:
        return _BY_NAME[name]
    key = normalise(name)
    if key in _BY_NORMALISED:
        return _BY_NORMALISED[key]
    canonical = ALIASES.get(key)
    return _BY_NAME.get(canonical) if canonical is not None else None
