"""Issue 6: hostile text through the services.

Rich markup, SQL-shaped text, format placeholders and any script are stored and returned exactly
as typed (showing them as plain text is the UI's job). Control characters (ANSI escapes
included), lone surrogates, text-direction overrides in one-line names, and over-long values are
refused with a message that says what is wrong (and the limit), and nothing is stored.
"""

from __future__ import annotations

import pytest

from overload_tui.domain.errors import ValidationError
from overload_tui.domain.validation import NAME_MAX, NOTES_MAX

LITERAL = [
    "[bold red]Bench[/]",
    "[link=https://evil.example]click me[/link]",
    "[/]",
    "[[not closed",
    "\\[escaped]",
    ":warning: :smile:",
    "Robert'); DROP TABLE sets;--",
    "1' OR '1'='1",
    "%s %(name)s :name ? $1 %%",
    "{0} {name!r} {{}}",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "NULL",
    "💪 Überkopf-Drücken",
    "שכיבות סמיכה",  # right-to-left script, no control characters
    "e\u0301 z\u200dw",  # combining accent, zero-width joiner (emoji sequences need it)
    "x" * NAME_MAX,
]
NOTES_ONLY = [
    "line one\n\tline two\n",
    "\u202eRTL override in free text\u202c",
    "y" * NOTES_MAX,
]


def test_literal_text_round_trips(services, alice, ws):
    for i, text in enumerate(LITERAL):
        ex = ws.create_exercise(text if i else text, "chest", "barbell")
        assert ex.name == text and ws.get_exercise(ex.id).name == text
        assert any(e.id == ex.id for e in ws.search_exercises(text))
        renamed = f"{text[:NAME_MAX - 3]} #{i}"[:NAME_MAX]
        assert ws.rename_exercise(ex.id, renamed).name == renamed
        sess = ws.start_session(name=text, notes=text)
        assert (sess.name, sess.notes) == (text, text)
        entry = ws.add_entry(ex.id, session_id=sess.id)
        ws.set_entry_notes(entry.id, text)
        got = ws.get_session(sess.id)
        assert (got.name, got.notes, got.entries[0].notes) == (text, text, text)
        tpl = ws.create_template(text, text)
        assert (tpl.name, tpl.description) == (text, text)
        assert ws.update_template(tpl.id, name=text, description=text).name == text
        copy = ws.save_session_as_template(sess.id, text, text)
        assert (ws.get_template(copy.id).name, ws.get_template(copy.id).description) == (text, text)
    summaries = ws.list_sessions(limit=len(LITERAL))
    assert {s.name for s in summaries} == set(LITERAL)
    for text in NOTES_ONLY:
        sess = ws.start_session(notes=text)
        assert ws.get_session(sess.id).notes == text
        assert ws.update_session(sess.id, notes=text).notes == text
    # Display names too.
    user = services.auth.register("mallory", "m@example.com", "long enough pw", LITERAL[1])
    assert services.auth.get_user(user.id).name == LITERAL[1]


REFUSED_EVERYWHERE = {
    "\x1b[31mred\x1b[0m": "control characters",  # ANSI colour
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\": "control characters",  # OSC 8 link
    "bell\x07": "control characters",
    "nul\x00byte": "control characters",
    "csi\x9b31m": "control characters",  # 8-bit CSI
    "paste \udcff": "not valid text",  # lone surrogate
}
REFUSED_IN_NAMES = {
    "Bench \u202eesserP": "text-direction",
    "x" * (NAME_MAX + 1): f"at most {NAME_MAX} characters",
    "   ": "cannot be empty",
}


def _refused(call, match):
    with pytest.raises(ValidationError, match=match) as info:
        call()
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_hostile_text_is_refused_with_a_reason(services, alice, ws):
    bench = ws.search_exercises("bench press")[0]
    sess = ws.start_session(name="ok", notes="ok")
    entry = ws.add_entry(bench.id, session_id=sess.id)
    tpl = ws.create_template("ok")
    custom = ws.create_exercise("ok curl", "arms")
    before = (ws.get_session(sess.id), ws.get_template(tpl.id), ws.get_exercise(custom.id), ws.list_sessions())

    names = {**REFUSED_EVERYWHERE, **REFUSED_IN_NAMES}
    for text, match in names.items():
        _refused(lambda: ws.create_exercise(text, "chest"), match)
        _refused(lambda: ws.rename_exercise(custom.id, text), match)
        _refused(lambda: ws.create_template(text), match)
        _refused(lambda: ws.update_template(tpl.id, name=text), match)
        _refused(lambda: ws.save_session_as_template(sess.id, text), match)
        if text.strip():  # a blank workout name just means "no name"
            _refused(lambda: ws.start_session(name=text), match)
            _refused(lambda: ws.update_session(sess.id, name=text), match)
            _refused(lambda: services.auth.register("eve", "eve@example.com", "long enough pw", text), match)
    notes = {**REFUSED_EVERYWHERE, "n" * (NOTES_MAX + 1): f"at most {NOTES_MAX} characters"}
    for text, match in notes.items():
        _refused(lambda: ws.start_session(notes=text), match)
        _refused(lambda: ws.update_session(sess.id, notes=text), match)
        _refused(lambda: ws.set_entry_notes(entry.id, text), match)
        _refused(lambda: ws.create_template("fine", text), match)
        _refused(lambda: ws.update_template(tpl.id, description=text), match)
    _refused(lambda: ws.set_entry_notes(entry.id, "z" * 5_000_000), f"at most {NOTES_MAX}")  # a huge paste

    after = (ws.get_session(sess.id), ws.get_template(tpl.id), ws.get_exercise(custom.id), ws.list_sessions())
    assert after == before, "a refused value was stored"
    assert [t.name for t in ws.list_templates()] == ["ok"]
    assert [u.username for u in services.auth.list_users()] == ["alice"]


@pytest.mark.parametrize(
    ("username", "email", "password"),
    [
        ("eve", "eve\udcff@example.com", "long enough pw"),
        ("eve", "eve@example.com", "long enough \udcff"),
        ("eve", "e\x1bve@example.com", "long enough pw"),
        ("[bold]eve", "eve@example.com", "long enough pw"),
        ("eve;--", "eve@example.com", "long enough pw"),
    ],
)
def test_account_fields_refuse_unstorable_text(services, username, email, password):
    with pytest.raises(ValidationError):
        services.auth.register(username, email, password)


@pytest.mark.parametrize("identifier", ["al\udcffice", "' OR 1=1 --", "[bold]alice", "alice\x00", "%", "_____"])
def test_hostile_identifiers_just_fail_to_log_in(services, alice, identifier):
    from overload_tui.domain.errors import AuthError
    from overload_tui.services.auth import LOGIN_FAILED

    with pytest.raises(AuthError) as info:
        services.auth.login(identifier, "correct horse")
    assert str(info.value) == LOGIN_FAILED
    with pytest.raises(AuthError):
        services.auth.login("alice", "correct horse\udcff")


@pytest.mark.parametrize("bad", ["nul\x00byte", "paste \udcff"])
def test_text_the_driver_cannot_send_is_a_validation_error(services, bad):
    """The last line of defence, for text that reaches SQL unvalidated (a lookup, a filter)."""
    from sqlalchemy import text

    from overload_tui.services.base import ServiceBase

    probe = ServiceBase(services.db)
    try:
        with probe._tx() as s:
            assert s.execute(text("SELECT :v"), {"v": bad}).scalar() == bad  # SQLite takes NUL
    except ValidationError as error:
        assert str(error) == "That text contains characters that cannot be stored."
