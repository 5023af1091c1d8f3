"""The body-weight log (issue 15) on both databases, and `overload bodyweight`."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from overload_tui import clock
from overload_tui.__main__ import main
from overload_tui.domain.bodyweight import BodyWeightLog, validate_body_weight
from overload_tui.domain.errors import NotFoundError, ValidationError
from overload_tui.services.body import BodyWeightEntry, parse_day

TODAY = datetime(2026, 12, 6, 9, 30)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TODAY)


@pytest.fixture
def body(services, alice):
    return services.body(alice.id)


def test_log_list_and_one_entry_per_day(body, services, bob):
    assert body.entries() == [] and body.latest() is None and body.on(TODAY) is None
    assert body.log(82.5) == BodyWeightEntry(date(2026, 12, 6), 82.5)
    body.log("80,25", on="2026-11-01")
    body.log(81, on=date(2026, 11, 20))
    assert body.log(83.0, on="today") == BodyWeightEntry(date(2026, 12, 6), 83.0)  # replaces today's
    assert body.entries() == [
        BodyWeightEntry(date(2026, 11, 1), 80.25),
        BodyWeightEntry(date(2026, 11, 20), 81.0),
        BodyWeightEntry(date(2026, 12, 6), 83.0),
    ]
    assert body.entries(since=date(2026, 11, 2)) == body.entries()[1:]
    assert body.latest() == BodyWeightEntry(date(2026, 12, 6), 83.0)
    assert services.body(bob.id).entries() == []  # one lifter's log is not another's


def test_the_weight_of_a_day(body):
    body.log(80, on="2026-11-01")
    body.log(82, on="2026-11-20")
    assert body.on(date(2026, 11, 1)) == 80  # that day's
    assert body.on(datetime(2026, 11, 19, 23, 0)) == 80  # the latest before
    assert body.on(date(2026, 12, 5)) == 82
    assert body.on(date(2026, 10, 1)) == 80  # none before: the earliest after


@pytest.mark.parametrize(
    ("weight", "on", "field"),
    [
        (0, None, "weight"), (-70, None, "weight"), (500.5, None, "weight"), ("heavy", None, "weight"),
        ("", None, "weight"), (float("nan"), None, "weight"), (True, None, "weight"),
        (80, "2026-12-07", "date"), (80, "1/12/2026", "date"), (80, "1899-12-31", "date"),
    ],
)
def test_refused_with_the_field(body, weight, on, field):
    with pytest.raises(ValidationError) as caught:
        body.log(weight, on=on)
    assert caught.value.field == field
    assert body.entries() == []


def test_limits_are_allowed(body):
    assert body.log(500).weight == 500
    assert body.log(0.001, on="yesterday") == BodyWeightEntry(date(2026, 12, 5), 0.001)


def test_remove(body):
    body.log(80, on="2026-11-01")
    body.remove("2026-11-01")
    assert body.entries() == []
    with pytest.raises(NotFoundError):
        body.remove("2026-11-01")


def test_pure_rules():
    log = BodyWeightLog([(date(2026, 1, 10), 80.0), (date(2026, 1, 1), 79.0)])
    assert [log.on(date(2025, 12, 31)), log.on(date(2026, 1, 5)), log.on(date(2026, 2, 1))] == [79, 79, 80]
    assert not BodyWeightLog() and BodyWeightLog().on(date(2026, 1, 1)) is None
    assert validate_body_weight(" 82,5 ") == 82.5
    assert parse_day(None) == date(2026, 12, 6)


def test_command_line(services, alice, database_url, capsys):
    base = ["--database", database_url, "bodyweight"]
    assert main([*base, "82.5", "--admin", "--user", "alice"]) == 0
    assert main([*base, "81", "--date", "2026-12-01", "--admin", "--user", "alice"]) == 0
    assert main([*base, "81.5", "--date", "2026-12-01", "--admin", "--user", "alice"]) == 0
    out = capsys.readouterr().out
    assert "82.5 kg on 2026-12-06" in out and "81.5 kg on 2026-12-01" in out
    assert main([*base, "--list", "--admin", "--user", "alice"]) == 0
    assert capsys.readouterr().out.splitlines() == ["2026-12-01\t81.5 kg", "2026-12-06\t82.5 kg"]
    assert services.body(alice.id).entries()[0] == BodyWeightEntry(date(2026, 12, 1), 81.5)

    assert main([*base, "0", "--admin", "--user", "alice"]) == 1
    assert "more than 0 kg" in capsys.readouterr().err
    assert main([*base, "--admin", "--user", "alice"]) == 1  # neither a weight nor --list
    assert main([*base, "80", "--admin", "--user", "nobody"]) == 1
    assert services.body(alice.id).latest() == BodyWeightEntry(date(2026, 12, 6), 82.5)
