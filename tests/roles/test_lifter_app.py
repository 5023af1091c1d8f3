"""The app's services over a lifter's own role: everything a lifter does works, for them only."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from overload_tui.domain.errors import AuthError, NotFoundError
from overload_tui.services.auth import LOGIN_FAILED
from tests.roles.conftest import PASSWORDS

pytestmark = pytest.mark.postgres

STRONG_CSV = Path(__file__).parents[1] / "transfer" / "data" / "strong_sample.csv"


@pytest.fixture
def alice_services(world, lifter_data_dir):
    from overload_tui.services import Services

    services = Services.open(world.alice.url, data_dir=lifter_data_dir, bcrypt_rounds=4)
    try:
        yield services
    finally:
        services.close()


def test_start_up_only_reads_the_revision(world, lifter_data_dir):
    """Opening at head as a lifter neither migrates nor seeds (the role could not)."""
    from sqlalchemy import event

    from overload_tui.services import Services

    statements: list[str] = []
    services = Services.open(world.alice.url, data_dir=lifter_data_dir, bcrypt_rounds=4)
    try:
        event.listen(services.db.engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        services.auth.login("alice", PASSWORDS["alice"])
    finally:
        services.close()
    assert not any(s.lstrip().upper().startswith(("CREATE", "ALTER", "GRANT")) for s in statements)


def test_log_in_as_yourself_not_as_another_lifter(world, alice_services):
    auth = alice_services.auth
    assert [u.username for u in auth.list_users()] == ["alice"]
    assert auth.login("alice", PASSWORDS["alice"]).user.id == world.alice.id
    assert auth.login("alice@example.com", PASSWORDS["alice"]).user.id == world.alice.id
    # Bob's account is hidden: his right password is "unknown account", like any name.
    for ident in ("bob", "bob@example.com", "nobody"):
        with pytest.raises(AuthError) as info:
            auth.login(ident, PASSWORDS["bob"])
        assert str(info.value) == LOGIN_FAILED
    with pytest.raises(NotFoundError):
        auth.get_user(world.bob.id)


def test_failed_log_ins_are_counted_on_your_own_account(world, alice_services):
    subject = hashlib.sha256(f"account:{world.alice.id}".encode()).hexdigest()
    with pytest.raises(AuthError):
        alice_services.auth.login("alice", "wrong password")
    assert world.owner_count("SELECT count(*) FROM login_attempts WHERE subject = %s", (subject,)) == 1
    alice_services.auth.login("alice", PASSWORDS["alice"])  # a right password clears the counter
    assert world.owner_count("SELECT count(*) FROM login_attempts WHERE subject = %s", (subject,)) == 0


def test_token_and_password_change(world, alice_services):
    auth = alice_services.auth
    token = auth.login("alice", PASSWORDS["alice"]).token
    assert auth.verify_token(token).id == world.alice.id
    new_token = auth.change_password(world.alice.id, PASSWORDS["alice"], "another good one")
    assert auth.verify_token(new_token).id == world.alice.id
    auth.change_password(world.alice.id, "another good one", PASSWORDS["alice"])


def test_a_workout_from_start_to_history(world, alice_services):
    ws = alice_services.workouts(world.alice.id)
    bench = next(e for e in ws.search_exercises("Bench Press (Barbell)") if e.name == "Bench Press (Barbell)")
    assert not any(e.name == "Bob Press" for e in ws.search_exercises("press", limit=None))
    session = ws.start_session(datetime(2026, 11, 20, 18, 0), template_id=world.alice.template_id)
    entry = session.entries[0]
    first = ws.add_set(entry.id, 100, 5, client_id="a1b2c3d4-0000-4000-8000-000000000001")
    assert ws.add_set(entry.id, 100, 5, client_id="a1b2c3d4-0000-4000-8000-000000000001").id == first.id
    ws.update_set(first.id, reps=6)
    ws.finish_session(session.id)
    history = ws.exercise_history(bench.id)
    assert [s.reps for h in history for s in h.sets] == [6]
    assert {s.id for s in ws.list_sessions()} >= {session.id, world.alice.session_id}
    assert world.bob.session_id not in {s.id for s in ws.list_sessions()}
    with pytest.raises(NotFoundError):
        ws.get_session(world.bob.session_id)
    tpl = ws.save_session_as_template(session.id, "From Nov 20")
    assert tpl.id in {t.id for t in ws.list_templates()}
    progress = alice_services.progress(world.alice.id)
    assert progress.records(bench.id) is not None
    progress.weekly_volume(date(2026, 11, 16))
    custom = ws.create_exercise("Alice Squat", "legs", "barbell")
    ws.delete_exercise(custom.id)


def test_settings_and_body_weight(world, alice_services):
    settings = alice_services.settings(world.alice.id)
    assert settings.update(weight_unit="lbs").weight_unit == "lbs"
    settings.update(weight_unit="kg")
    body = alice_services.body(world.alice.id)
    body.log(81.5, on=date(2026, 11, 21))
    body.log(82, on=date(2026, 11, 21))
    assert body.latest().weight == 82
    assert world.owner_count("SELECT count(*) FROM body_weights WHERE user_id = %s", (world.bob.id,)) == 1


def test_import_and_export(world, alice_services, tmp_path):
    from overload_tui.services.transfer import TransferService

    with pytest.raises(NotFoundError):
        TransferService.for_username(alice_services.db, "bob")
    svc = TransferService.for_username(alice_services.db, "alice")
    count = "SELECT count(*) FROM sets JOIN exercise_sessions es ON es.id = sets.exercise_session_id" \
        " JOIN sessions s ON s.id = es.session_id WHERE s.user_id = %s"
    before = world.owner_count(count, (world.alice.id,))
    report = svc.commit_import(svc.plan_import(STRONG_CSV, unit="kg"))
    assert report.sets > 0
    assert world.owner_count(count, (world.alice.id,)) == before + report.sets
    assert svc.commit_import(svc.plan_import(STRONG_CSV, unit="kg")).sets == 0  # a second time adds nothing
    text, _ = svc.export("json")
    backup = json.loads(text)
    assert "Bob Press" not in text and "bob workout" not in text
    assert backup
    csv_text, _ = svc.export("strong-csv")
    assert "Bent Over Row (Barbell)" in csv_text
    assert world.owner_count("SELECT count(*) FROM sessions WHERE user_id = %s", (world.bob.id,)) == 1


def test_making_an_account_is_for_the_admin(alice_services):
    """A lifter's role may not insert users: a typed error with one line, whatever the name (a
    taken name is not revealed by a clash either)."""
    from overload_tui.domain.errors import NotPermittedError

    for name in ("newbie", "bob"):
        with pytest.raises(NotPermittedError) as info:
            alice_services.auth.register(name, f"{name}@example.org", "a good password")
        assert "admin" in str(info.value) and len(str(info.value).splitlines()) == 1
