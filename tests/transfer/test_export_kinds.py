"""Strong CSV export of every kind of set, as Strong writes them, and the round trip back in."""

from __future__ import annotations

import csv
import io

from tests.transfer.kinds import EVERY_KIND, NEW_KINDS, custom_kinds, every_kind_file, stored_sets


def _rows(text: str) -> dict[str, list[tuple[str, ...]]]:
    """exercise -> its rows' (Set Order, Weight, Reps, Distance, Seconds)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for row in list(csv.DictReader(io.StringIO(text))):
        out.setdefault(row["Exercise Name"], []).append(
            (row["Set Order"], row["Weight"], row["Reps"], row["Distance"], row["Seconds"])
        )
    return out


def test_every_kind_is_written_as_strong_writes_it(services, alice, transfer):
    transfer.commit_import(transfer.plan_parsed(every_kind_file(), "everything.csv"))
    exported = transfer.export_strong_csv()
    assert (exported.sets, exported.distance_sets) == (14, 5)
    assert _rows(exported.text) == {
        "Plank": [("1", "0.0", "0", "0", "60"), ("2", "0.0", "0", "0", "42.5")],  # one timed rep: 0 reps
        "Running": [("1", "0.0", "0", "8.04672", "1800")],  # 5 mi, in km to the millimetre
        "Rowing (Machine)": [("1", "0.0", "8", "3.2", "720"), ("2", "0.0", "0", "2.0", "450")],  # whole sets
        "Sled Push": [("1", "80.0", "0", "0.02", "0")],
        "Push Up": [("1", "0.0", "20", "0", "0")],
        "Pull Up (Weighted)": [("1", "10.0", "8", "0", "0"), ("2", "0.0", "10", "0", "0")],
        "Pull Up (Assisted)": [("1", "-20.0", "8", "0", "0")],  # the assistance, negative
        "Bench Press (Barbell)": [("1", "100.0", "5", "0", "0")],
        "Farmer Carry Long": [("1", "40.0", "2", "0.09144", "50")],
        "Dead Bug Hold": [("1", "0.0", "3", "0", "60")],
        "Dragon Hold": [("1", "0.0", "0", "0", "15")],
    }
    text, summary = transfer.export("strong-csv")
    assert summary == "1 workout, 14 sets (weights in kg, distances in km)"


def test_strong_csv_round_trip_gives_the_same_sets_for_every_kind(services, alice, bob, transfer, bob_transfer):
    transfer.commit_import(transfer.plan_parsed(every_kind_file(), "everything.csv"))
    report = bob_transfer.import_file(transfer.export_strong_csv().text.encode(), name="strong.csv")
    assert report.written and not report.invalid and not report.skipped
    assert (report.sets, report.timed_sets, report.distance_sets, report.reps_only_sets) == (14, 4, 5, 2)
    assert report.off_kind_sets == 0
    assert custom_kinds(services, bob.id) == NEW_KINDS

    # The same sets; a CSV has one distance unit for the file, so distances come back as km.
    def in_km(sets: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
        return {name: [(*s[:4], "km" if s[3] is not None else None) for s in rows] for name, rows in sets.items()}

    assert stored_sets(services, bob.id) == in_km(EVERY_KIND)
