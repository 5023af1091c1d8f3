"""Issue 19: the app over SSH with a real SSH client library (asyncssh), on SQLite and PostgreSQL.

Each lifter's key opens their own dashboard whatever SSH username is sent; a set logged survives an
abrupt disconnect and the workout resumes on reconnect; unknown keys and passwords are refused."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.serve.helpers import CURSOR_TO, PASSWORD, Client, asyncssh, wait_no_sessions


def _sets(world, user):
    ws = world.services.workouts(user.id)
    return [(s.weight, s.reps) for sess in ws.list_sessions() for e in ws.get_session(sess.id).entries
            for s in e.sets]


async def test_a_set_survives_an_abrupt_disconnect_and_the_workout_resumes(world, start_gym):
    gym = await start_gym()
    client = await Client.connect(gym.port, world.keys.alice, username="root")
    await client.wait_for("Hello Alice")
    await client.log_set("100", "5")
    client.abort()  # no goodbye: the socket just closes
    await wait_no_sessions(gym)
    assert _sets(world, world.alice) == [(100, 5)]

    again = await Client.connect(gym.port, world.keys.alice)
    await again.wait_for("Resume today's workout · 1 set")
    again.send("\r")
    await again.wait_until(lambda s: "Squat (Barbell)" in s and "100 kg" in s, "the resumed workout")
    await again.wait_for("Set 2")
    again.send("102.5x5\r")
    await again.wait_for("Set 2 logged")
    again.send("\x11")  # ctrl+q: quit
    assert await again.wait_closed() == 0
    assert sorted(_sets(world, world.alice)) == [(100, 5), (102.5, 5)]


async def test_a_key_opens_only_its_owners_account_whatever_the_username(world, start_gym):
    gym = await start_gym()
    alice = await Client.connect(gym.port, world.keys.alice)
    await alice.log_set("140", "3")
    alice.send("\x11")
    await alice.wait_closed()

    bob = await Client.connect(gym.port, world.keys.bob, username="alice")  # the username picks nothing
    screen = await bob.wait_for("Hello Bob")
    assert "alice" not in screen.lower()
    assert "Resume" not in screen and "0 workouts this week" in screen
    bob.send("h")  # bob's history: none of alice's workouts
    screen = await bob.wait_until(lambda s: "History" in s or "No workouts" in s, "bob's history")
    assert "140" not in screen and "Squat" not in screen
    await bob.close()
    assert _sets(world, world.bob) == []


async def test_a_saved_log_in_on_the_server_never_chooses_the_account(world, start_gym):
    """The server's Unix user saved bob's log-in (token files in the data directory and in the
    children's directory): alice's key still opens alice, no log-in is written there, and the
    only glance written is alice's own (drawn first on her next connection, never for bob)."""
    from overload_tui.services.auth import TokenStore

    gym = await start_gym()
    bob_token = gym.auth.issue_token(world.bob.id)
    for directory in (world.data_dir, gym.sessions_dir):
        TokenStore.for_database(gym.services.db, directory).save(bob_token)
        TokenStore.for_database(world.services.db, directory).save(bob_token)
    before = sorted(p.name for p in gym.sessions_dir.iterdir())
    client = await Client.connect(gym.port, world.keys.alice, username="bob")
    screen = await client.wait_for("Hello Alice")
    assert "bob" not in screen.lower()
    client.send("\x11")
    await client.wait_closed()
    after = sorted(p.name for p in gym.sessions_dir.iterdir() if not p.name.startswith("journal"))
    new = sorted(set(after) - set(before))
    assert [n for n in new if n.startswith("token-")] == []
    assert [n.rsplit("-", 1)[1] for n in new if n.startswith("glance-")] == [f"user{world.alice.id}"]
    bob = await Client.connect(gym.port, world.keys.bob, username="alice")
    screen = await bob.wait_for("Hello Bob")
    assert "alice" not in screen.lower()
    await bob.close()


async def test_an_unknown_key_is_refused_with_a_message_and_starts_no_app(world, start_gym, caplog):
    caplog.set_level(logging.INFO, logger="overload.serve")
    gym = await start_gym()
    shown: list[str] = []

    class Kbd(asyncssh.SSHClient):
        def kbdint_auth_requested(self):
            return ""

        def kbdint_challenge_received(self, name, instructions, lang, prompts):
            shown.append(instructions)
            return []

    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        await asyncssh.connect("127.0.0.1", gym.port, username="alice", client_keys=[world.keys.stranger],
                               known_hosts=None, agent_path=None, client_factory=Kbd)
    assert shown and "not registered" in shown[0]
    assert world.keys.stranger.get_fingerprint("sha256") in shown[0]
    assert not gym.running and gym.sessions.total == 0
    await _until(lambda: any("refused: no registered key" in r.getMessage() for r in caplog.records))


async def test_passwords_are_refused(world, start_gym):
    gym = await start_gym()
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        await asyncssh.connect("127.0.0.1", gym.port, username="alice", password=PASSWORD, client_keys=[],
                               known_hosts=None, agent_path=None, preferred_auth=("password",))
    assert not gym.running


async def test_allow_password_opens_the_login_screen_and_keeps_no_log_in(world, start_gym):
    gym = await start_gym(allow_password=True)
    client = await Client.connect(gym.port, None, username="bob", password="unused",
                                  preferred_auth=("keyboard-interactive",))
    await client.wait_for("Username")
    client.send("alice")
    await client.wait_for("alice")
    client.send("\r")
    client.send(PASSWORD + "\r")
    await client.wait_for("Hello Alice")
    client.send("\x11")
    assert await client.wait_closed() == 0
    assert not [p for p in gym.sessions_dir.iterdir() if p.name.startswith(("token-", "glance-"))]
    # A registered key still opens its own account at once, with the login screen allowed.
    bob = await Client.connect(gym.port, world.keys.bob)
    await bob.wait_for("Hello Bob")
    await bob.close()


async def test_logging_out_ends_the_session_without_password_log_in(world, start_gym):
    gym = await start_gym()
    client = await Client.connect(gym.port, world.keys.alice)
    await client.wait_for("Hello Alice")
    client.send("l")  # log out
    await client.wait_for("Log out alice?")
    client.send("y")
    status = await client.wait_closed()
    assert status == 1
    assert "Username" not in client.text()


async def test_sessions_are_capped_per_lifter_and_in_all(world, start_gym):
    gym = await start_gym(max_sessions_per_user=1, max_sessions=2)
    first = await Client.connect(gym.port, world.keys.alice)
    await first.wait_for("Hello Alice")
    second = await Client.connect(gym.port, world.keys.alice)
    await second.wait_for("sessions open already")
    assert await second.wait_closed() == 1
    bob = await Client.connect(gym.port, world.keys.bob)
    await bob.wait_for("Hello Bob")
    third = await Client.connect(gym.port, world.keys.bob)  # two in all: full
    await third.wait_for("the server has 2 sessions open already")
    assert await third.wait_closed() == 1
    await first.close()
    await bob.close()


async def test_an_idle_session_ends_after_the_timeout(world, start_gym):
    gym = await start_gym(idle_timeout=3)
    client = await Client.connect(gym.port, world.keys.alice)
    await client.wait_for("without a key", timeout=60)
    await client.wait_closed()
    assert not gym.running


async def test_failed_log_ins_are_limited_per_address(world, start_gym):
    gym = await start_gym(max_failures=2, failure_window=600)
    for _ in range(2):
        with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
            await asyncssh.connect("127.0.0.1", gym.port, username="x", client_keys=[world.keys.stranger],
                                   known_hosts=None, agent_path=None, preferred_auth=("publickey",))
    await _until(lambda: gym.limiter.blocked_for("127.0.0.1") > 0)
    with pytest.raises(asyncssh.DisconnectError) as refused:  # even a good key, from that address
        await asyncssh.connect("127.0.0.1", gym.port, username="x", client_keys=[world.keys.alice],
                               known_hosts=None, agent_path=None)
    assert "too many failed log-ins" in str(refused.value)


async def test_size_resizes_keys_and_paste_pass_through(world, start_gym):
    gym = await start_gym()
    client = await Client.connect(gym.port, world.keys.alice, cols=100, rows=30)
    await client.wait_for("this week")  # the dashboard drawn whole at 100x30
    start = len(client.term.raw)
    client.chan.change_terminal_size(50, 20)

    def moves_at_new_size() -> list[tuple[int, int]]:
        """The cursor moves since the last one beyond 50x20 (a frame of the old size may still
        have been on its way when the size changed)."""
        moves = [(int(r), int(c)) for r, c in CURSOR_TO.findall(bytes(client.term.raw[start:]))]
        old = [i for i, (r, c) in enumerate(moves) if r > 20 or c > 50]
        return moves[old[-1] + 1:] if old else moves

    def repainted(_screen: str) -> bool:  # top row to bottom row, within 50 columns
        rows = {r for r, _ in moves_at_new_size()}
        return 1 in rows and 20 in rows

    await client.wait_until(repainted, "a redraw at 50x20")
    client.chan.change_terminal_size(100, 30)
    client.term.screen = type(client.term.screen)(100, 30)
    await client.wait_for("f1 Keys")
    client.send("\x1bOP")  # F1: every key of the screen
    await client.wait_for("Cursor down")  # the keys panel
    client.send("\x1bOP")
    await client.wait_until(lambda s: "Cursor down" not in s, "the keys panel closed")
    client.send("\x10")  # ctrl+p: the command palette
    await client.wait_for("Search")
    client.send("\x07")  # ctrl+g closes it
    await client.wait_until(lambda s: "Search" not in s, "the palette closed")
    client.send("n")
    await client.wait_until(lambda s: "Add an exercise" in s or "No exercises yet" in s, "a new workout")
    client.send("\x1b[200~bench\x1b[201~")  # a paste (bracketed): the picker's search, or the set box
    await client.wait_until(lambda s: "Bench Press" in s or "bench" in s, "the paste shown")
    await client.close()


async def test_log_lines_one_per_connection_without_secrets(world, start_gym, caplog):
    caplog.set_level(logging.INFO, logger="overload.serve")
    gym = await start_gym()
    client = await Client.connect(gym.port, world.keys.alice, username="user=bob")
    await client.wait_for("Hello Alice")
    client.send("\x11")
    await client.wait_closed()
    await client.close()
    await _until(lambda: any("user=alice" in r.getMessage() for r in caplog.records))
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ssh ")]
    assert len(lines) == 1
    line = lines[0]
    assert "ssh-user='user=bob'" in line and "user=alice(id" in line
    assert world.keys.alice.get_fingerprint("sha256") in line
    assert "eyJ" not in line and PASSWORD not in line and "PRIVATE" not in line


async def _until(check, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "condition never held"
        await asyncio.sleep(0.05)


async def test_a_hung_up_app_ends_by_itself_with_its_saves_done(world, start_gym):
    """The client gone, the app ends on its own: exit 129 (128 + SIGHUP), never by the server's
    kill 15 s later (137). A hang-up brings two SIGHUPs (the server's and the kernel's) and a
    SIGCONT (the kernel's, which Textual takes for a return from ctrl+z): none of them may leave a
    thread behind that keeps the process up. Three times, as the race is in the signals' order."""
    gym = await start_gym()
    statuses = []
    for attempt in range(3):
        client = await Client.connect(gym.port, world.keys.alice)
        if attempt == 0:
            await client.log_set("100", "5")
        else:
            await client.wait_for("this week")
        (session,) = gym.running
        client.abort()
        await wait_no_sessions(gym)
        statuses += session.owner.exit_statuses
    assert statuses == [129, 129, 129]
    assert _sets(world, world.alice) == [(100, 5)]


async def test_lifters_log_at_the_same_time(world, start_gym):
    gym = await start_gym()
    alice, bob = await asyncio.gather(Client.connect(gym.port, world.keys.alice), Client.connect(gym.port, world.keys.bob))
    await asyncio.gather(alice.log_set("100", "5"), bob.log_set("60", "8"))
    await asyncio.gather(alice.close(), bob.close())
    await wait_no_sessions(gym)
    assert _sets(world, world.alice) == [(100, 5)] and _sets(world, world.bob) == [(60, 8)]


async def test_a_removed_key_no_longer_opens_the_account(world, start_gym):
    from overload_tui.services.ssh_keys import SshKeyService

    gym = await start_gym()
    svc = SshKeyService(world.services.db, world.alice.id)
    svc.remove(svc.keys()[0].id)
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        await asyncssh.connect("127.0.0.1", gym.port, username="alice", client_keys=[world.keys.alice],
                               known_hosts=None, agent_path=None, preferred_auth=("publickey",))
    assert not gym.running


async def test_a_client_gone_while_its_app_starts_leaves_no_app_behind(world, start_gym):
    gym = await start_gym()
    for _ in range(3):
        client = await Client.connect(gym.port, world.keys.alice)
        client.abort()  # at once: the app is still starting
    # Each app ends as soon as it has opened its database (a hang-up waits for that); on a loaded
    # machine three starting at once take a while. Without the hang-up they would run for an hour.
    await wait_no_sessions(gym, timeout=180)
    assert gym.sessions.total == 0


async def test_the_apps_environment_has_the_clients_terminal_and_no_token(world, start_gym):
    gym = await start_gym()
    client = await Client.connect(gym.port, world.keys.alice,
                                  env={"COLORTERM": "truecolor", "LANG": "de_DE.UTF-8", "LD_PRELOAD": "/nowhere.so"})
    await client.wait_for("Hello Alice")
    (session,) = list(gym.running)
    with open(f"/proc/{session.proc.pid}/environ", "rb") as fh:
        env = dict(item.split(b"=", 1) for item in fh.read().split(b"\0") if b"=" in item)
    assert env[b"TERM"] == b"xterm-256color" and env[b"COLORTERM"] == b"truecolor"
    assert env[b"LANG"] == b"de_DE.UTF-8" and b"LD_PRELOAD" not in env
    assert env[b"OVERLOAD_DATA_DIR"] == str(gym.sessions_dir).encode()
    assert b"OVERLOAD_SSH_TOKEN" not in env
    assert not any(b"eyJ" in value for value in env.values())  # no JWT anywhere in it
    await client.close()
