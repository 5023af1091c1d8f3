"""Accounts in pounds, on both databases: the auth service writes the new user's unit in the
same transaction; `overload user add --unit lbs`, `overload user list` and `overload bodyweight`
in the user's unit (body weights stay kilograms in the table)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import text

from overload_tui.__main__ import main
from overload_tui.domain.errors import ValidationError
from overload_tui.domain.units import WeightUnit, from_kg, to_kg


def stored(services, user_id) -> dict[str, str]:
    with services.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT key, value FROM user_settings WHERE user_id = :u"), {"u": user_id}).all()
    return dict(rows)


def test_register_stores_the_unit(services):
    erin = services.auth.register("erin", "erin@example.com", "correct horse", unit="lbs")
    assert services.settings(erin.id).get().weight_unit is WeightUnit.LBS
    assert stored(services, erin.id) == {"weight_unit": "lbs"}
    kim = services.auth.register("kim", "kim@example.com", "correct horse")  # kg: the default, no row
    assert services.settings(kim.id).get().weight_unit is WeightUnit.KG and stored(services, kim.id) == {}
    with pytest.raises(ValidationError) as caught:
        services.auth.register("lou", "lou@example.com", "correct horse", unit="stone")
    assert caught.value.field == "weight_unit"
    assert [u.username for u in services.auth.list_users()] == ["erin", "kim"]  # no half-made account


def test_register_writes_user_and_unit_in_one_transaction(services, monkeypatch):
    """A failure after the unit's row is queued leaves no account behind."""
    from overload_tui.services import auth

    def broken(**changes):
        return {"weight_unit": "lbs", "rep_max": None}  # NOT NULL: the INSERT fails

    monkeypatch.setattr(auth, "initial_rows", broken)
    with pytest.raises(Exception):
        services.auth.register("erin", "erin@example.com", "correct horse", unit="lbs")
    assert services.auth.list_users() == []


def _cli(url, *args, stdin=""):
    return main(["--database", url, *args]) if not stdin else _with_stdin(stdin, url, *args)


def _with_stdin(stdin, url, *args):
    import sys

    real = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--database", url, *args])
    finally:
        sys.stdin = real


def test_user_add_with_unit_and_list(services, database_url, capsys):
    assert _cli(database_url, "user", "add", "erin", "--email", "e@example.com", "--unit", "lbs",
                stdin="s3cret-pass\n") == 0
    assert "Created user erin" in capsys.readouterr().out
    assert _cli(database_url, "user", "add", "kim", "--email", "k@example.com", stdin="s3cret-pass\n") == 0
    capsys.readouterr()
    assert _cli(database_url, "user", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:] for line in lines] == [
        ["erin", "e@example.com", "", "lbs"], ["kim", "k@example.com", "", "kg"]]
    erin = next(u for u in services.auth.list_users() if u.username == "erin")
    assert services.settings(erin.id).get().weight_unit is WeightUnit.LBS
    with pytest.raises(SystemExit):  # argparse: kg or lbs only
        _cli(database_url, "user", "add", "lou", "--email", "l@example.com", "--unit", "stone")
    assert "invalid choice" in capsys.readouterr().err


def test_bodyweight_in_the_users_unit(services, database_url, capsys):
    erin = services.auth.register("erin", "erin@example.com", "correct horse", unit="lbs")
    base = ("bodyweight", "--admin", "--user", "erin")
    assert _cli(database_url, *base, "180.4", "--date", "2026-01-02") == 0
    assert capsys.readouterr().out == "Logged 180.4 lb on 2026-01-02 for erin.\n"
    assert _cli(database_url, *base, "82.5", "--unit", "kg", "--date", "2026-01-03") == 0  # another unit
    assert "Logged 82.5 kg on 2026-01-03" in capsys.readouterr().out
    kg = [e.weight for e in services.body(erin.id).entries()]
    assert kg == [to_kg(180.4, "lbs"), 82.5]  # the table holds kilograms, exactly
    assert from_kg(kg[0], "lbs") == 180.4
    assert _cli(database_url, *base, "--list") == 0
    assert capsys.readouterr().out.splitlines() == ["2026-01-02\t180.4 lb", "2026-01-03\t181.88 lb"]
    assert _cli(database_url, *base, "--list", "--unit", "kg") == 0
    assert capsys.readouterr().out.splitlines() == ["2026-01-02\t81.828 kg", "2026-01-03\t82.5 kg"]  # to the gram
    assert _cli(database_url, *base, "1200", "--date", "2026-01-04") == 1  # limits in the unit typed
    assert "at most 1102.31 lb" in capsys.readouterr().err
    assert [e.measured_on for e in services.body(erin.id).entries()] == [date(2026, 1, 2), date(2026, 1, 3)]
