"""Issue 17, the side door: the CLI acts for a lifter only as that lifter.

Anyone with the database URL could run ``overload export --user alice`` and get her whole log.
Now a command acts for the lifter whose saved log-in this Unix user holds, or for one whose
password is given; acting for anyone else is an admin command (``--admin``), and says so."""

from __future__ import annotations

import json

import pytest

from overload_tui.__main__ import main
from overload_tui.services import Services

BOB_PW = "bob's own password"


@pytest.fixture
def bob(services):
    return services.auth.register("bob", "bob@example.com", BOB_PW, "Bob")


@pytest.fixture
def cli(database_url, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _log_in_here(services, who) -> None:
    services.tokens.save(services.auth.issue_token(who.id))


def _logged_workout(services, who) -> None:
    ws = services.workouts(who.id)
    session = ws.start_session(name="Secret squats")
    squat = ws.search_exercises("Squat (Barbell)")[0]
    es = ws.add_entry(squat.id, session_id=session.id)
    ws.add_set(es.id, 140, 3)
    ws.finish_session(session.id)


def test_another_lifters_log_needs_their_password(services, alice, bob, cli):
    _logged_workout(services, alice)
    _log_in_here(services, bob)  # this Unix user is bob
    code, out, err = cli("export", "--user", "alice", "--format", "json")
    assert code == 1 and out == "" and "password" in err and err.count("\n") == 1
    code, out, err = cli("export", "--user", "alice", "--format", "json", stdin="guess\n")
    assert code == 1 and out == "" and "Secret" not in err
    code, out, _ = cli("export", "--user", "alice", "--format", "json", stdin="correct horse\n")
    assert code == 0 and "Secret squats" in out


def test_the_saved_log_in_is_who_a_command_acts_for(services, alice, bob, cli):
    _logged_workout(services, alice)
    _log_in_here(services, bob)
    code, out, _ = cli("export", "--format", "json")
    assert code == 0 and "Secret squats" not in out
    assert json.loads(out)["user"] == "bob"
    code, out, err = cli("bodyweight", "80", "--user", "alice")
    assert code == 1 and "password" in err
    assert services.body(alice.id).entries() == []
    code, out, _ = cli("bodyweight", "80")
    assert code == 0 and "for bob" in out and len(services.body(bob.id).entries()) == 1


def test_without_a_saved_log_in_nothing_is_done_without_a_password(services, alice, cli, tmp_path):
    csv = tmp_path / "strong.csv"
    csv.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n"
                   "2024-01-02 18:00:00,Legs,Squat (Barbell),1,100,5\n")
    code, _, err = cli("import", str(csv), "--user", "alice")
    assert code == 1 and "password" in err
    code, _, err = cli("import", str(csv))
    assert code == 1 and "not logged in" in err
    assert services.workouts(alice.id).list_sessions() == []
    code, out, _ = cli("import", str(csv), "--user", "alice", stdin="correct horse\n")
    assert code == 0 and len(services.workouts(alice.id).list_sessions()) == 1


def test_wrong_cli_passwords_count_like_log_ins(services, alice, cli):
    from sqlalchemy import func, select

    from overload_tui.db.models import LoginAttempt
    from overload_tui.services.auth import account_subject

    for _ in range(3):
        assert cli("export", "--user", "alice", "--format", "json", stdin="wrong\n")[0] == 1
    with services.db.read() as s:
        counted = s.scalar(select(func.count()).where(LoginAttempt.subject == account_subject(alice.id)))
    assert counted == 3  # the same counter as the app's log-in screen: slowed down after 5


def test_admin_commands_act_for_anyone_and_say_so(services, alice, bob, cli):
    _logged_workout(services, alice)
    _log_in_here(services, bob)
    code, out, err = cli("export", "--admin", "--user", "alice", "--format", "json")
    assert code == 0 and "Secret squats" in out and "admin: acting for alice" in err
    code, _, err = cli("export", "--admin", "--format", "json")
    assert code == 1 and "--admin needs --user" in err


def test_a_lifter_changes_their_own_password_with_the_old_one(services, bob, cli, database_url, data_dir):
    _log_in_here(services, bob)
    code, _, err = cli("passwd", stdin="not it\nnew password 1\n")
    assert code == 1 and "current password is wrong" in err
    code, out, _ = cli("passwd", stdin=f"{BOB_PW}\nnew password 1\n")
    assert code == 0 and "Password changed for bob" in out
    again = Services.open(database_url, data_dir=data_dir, bcrypt_rounds=4)
    try:  # this terminal's saved log-in was renewed; the new password works
        assert again.auth.verify_token(again.tokens.load()).username == "bob"
        assert again.auth.authenticate("bob", "new password 1").id == bob.id
    finally:
        again.close()
