"""Log in, create an account, log out, and open straight on the dashboard with a saved log-in."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Static

from overload_tui.screens.dashboard import DashboardScreen
from overload_tui.screens.login import LoginScreen
from tests.tui.helpers import PASSWORD, settle, sqlite_only, type_text, until


def message(app) -> str:
    return str(app.screen.query_one("#login-message", Static).render())


async def test_register_logout_and_login_with_email(services, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+r")  # new account
        for text in ("carol", "carol@example.com", "Carol [b]C[/b]", "s3cret pass", "s3cret pass"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert app.user.username == "carol"
        # The account is in the database and the log-in is saved on this terminal.
        users = {u.username: u for u in services.auth.list_users()}
        assert users["carol"].name == "Carol [b]C[/b]"
        assert services.auth.verify_token(services.tokens.load()).username == "carol"

        await pilot.press("l", "y")  # log out, confirmed
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert services.tokens.load() is None
        assert app.user is None

        await type_text(pilot, "Carol@Example.com")
        await pilot.press("enter")
        await type_text(pilot, "s3cret pass")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard again")
        await settle(pilot)
        assert services.auth.verify_token(services.tokens.load()).username == "carol"


@sqlite_only
async def test_wrong_password_is_said_inline_and_keeps_the_username(services, alice, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "alice")
        await pilot.press("enter")
        await type_text(pilot, "wrong password")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Wrong username, email or password" in message(app)
        assert app.screen.query_one("#identifier", Input).value == "alice"
        assert services.tokens.load() is None
        # The password is selected: typing replaces it.
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


@sqlite_only
async def test_register_errors_are_inline(services, alice, make_app):
    app = make_app()
    async with app.run_test(size=(45, 20)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        for text in ("alice", "other@example.com", "", "long enough", "long enougX"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert "The two passwords differ" in message(app)
        await type_text(pilot, "long enough")  # the repeat field is selected: typing replaces it
        await pilot.press("enter")
        await settle(pilot)
        assert "taken" in message(app)
        assert isinstance(app.screen, LoginScreen)
        assert [u.username for u in services.auth.list_users()] == ["alice"]
        await type_text(pilot, "alice2")  # the username is selected now
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert [u.username for u in services.auth.list_users()] == ["alice", "alice2"]


@sqlite_only
async def test_saved_login_opens_the_dashboard(services, logged_in, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.user.username == "alice"


@sqlite_only
async def test_invalid_saved_login_says_why(services, alice, make_app):
    services.tokens.save("not-a-token")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "no longer valid" in message(app)
        assert services.tokens.load() is None  # a useless token is not kept


@sqlite_only
async def test_password_change_invalidates_saved_login(services, logged_in, make_app):
    services.auth.set_password("alice", "a new password")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "no longer valid" in message(app)


@sqlite_only
async def test_world_readable_token_file_is_refused(services, logged_in, make_app):
    services.tokens.path.chmod(0o644)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "chmod 600" in message(app)


def fields(app) -> str:
    """What the login form holds (for a failed wait): each field's value, the focus, the message."""
    screen = app.screen
    if not isinstance(screen, LoginScreen):
        return f"not the login form: {type(screen).__name__}"
    values = {box.id: box.value if not box.password else f"{len(box.value)} characters" for box in screen.query(Input)}
    return f"fields: {values}; focused: {getattr(app.focused, 'id', None)}; message: {message(app)!r}"


async def form_up(pilot, registering: bool = False) -> None:
    """Until the login form (or the new-account form) is up with the focus in its first field;
    not until the database has opened behind it."""
    app = pilot.app

    def up() -> bool:
        screen = app.screen
        return (isinstance(screen, LoginScreen) and screen.registering == registering
                and (not registering or screen.query_one("#repeat").is_mounted)
                and app.focused is screen.query_one("#identifier"))

    await until(pilot, up, "the new-account form" if registering else "the login form", seen=lambda: fields(app))


async def logged_in_from_the_form(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard (each key in its field)",
                seen=lambda: fields(app))
    await settle(pilot)


def burst(app, text: str) -> None:
    """Keys as a fast typist, a paste or a slow SSH link deliver them: all queued at once."""
    from textual import events

    for char in text:
        key = {"\r": "enter", "\t": "tab", "\b": "shift+tab"}.get(char, char)
        app.post_message(events.Key(key, char if key == char else None))


@sqlite_only
async def test_keys_typed_in_a_burst_land_in_their_fields(services, alice, make_app):
    for groups in ([f"alice\r{PASSWORD}\r"], ["alice", "\r", PASSWORD, "\r"]):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await form_up(pilot)  # the form is up (the database may still be opening behind it)
            for group in groups:  # all at once; or a group at a time, each just after the last
                burst(app, group)
                await asyncio.sleep(0)
            await logged_in_from_the_form(pilot)
            assert isinstance(app.screen, DashboardScreen)  # logged in: each key in its field
        services.tokens.clear()  # logged out: the form again

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await form_up(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+r")  # a new account: five fields, the name left empty
        await form_up(pilot, registering=True)
        burst(app, "carol\rcarol@example.com\r\rs3cret-pass\rs3cret-pass\r")
        await logged_in_from_the_form(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.user.username == "carol" and app.user.email == "carol@example.com"


@sqlite_only
async def test_tab_in_a_burst_moves_to_the_next_field(services, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await form_up(pilot)
        await pilot.press("ctrl+r")
        await form_up(pilot, registering=True)
        # Tab to the name, shift+Tab (\b here) back to the email skipped: all queued at once.
        burst(app, "dave\t\tDave\bdave@example.com\t\ts3cret-pass\ts3cret-pass\r")
        await logged_in_from_the_form(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert (app.user.username, app.user.email, app.user.name) == ("dave", "dave@example.com", "Dave")


@sqlite_only
async def test_keys_typed_before_a_field_has_its_focus_are_not_typed_over(services, make_app):
    """The field's focus arrives between the keys (seen in tmux): Input selects its text on focus,
    and the next key replaced what was typed before."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await form_up(pilot)
        await pilot.press("ctrl+r")
        await form_up(pilot, registering=True)
        screen = app.screen
        password = screen.query_one("#password", Input)
        screen.typing_into = password  # as Tab leaves it: the keys follow to the password
        burst(app, "abc")
        await asyncio.sleep(0)
        password.focus()
        burst(app, "def")
        await settle(pilot)
        assert password.value == "abcdef"
