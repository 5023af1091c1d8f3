"""Log in (username or email, and password) or create an account. Enter submits.

A new account chooses the unit its lifter thinks in, kg (the default) or lbs: the choice under
the form, or ctrl+t from any field (the key that switches an exercise's unit in a workout).

This screen can be the app's first frame, drawn while the database layer is still loading: it
imports nothing from the services at module level, and its jobs ask the app for the services
when they run on the database thread (queued behind the opening of the database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from overload_tui.domain.errors import OverloadError, ValidationError
from overload_tui.domain.units import WeightUnit
from overload_tui.screens.messages import Host, LoggedIn
from overload_tui.widgets.footer import KeysFooter
from overload_tui.widgets.form_input import FormInput
from overload_tui.widgets.screen_style import StyledOnce

if TYPE_CHECKING:
    from textual.widgets import Select

    from overload_tui.services.dto import LoginResult

LOGIN_FIELDS = ("identifier", "password")
REGISTER_FIELDS = ("identifier", "email", "name", "password", "repeat")
# The input a registration error is about, from its ``field`` (never from its words).
_FIELD_INPUTS = {"repeat": "repeat", "password": "password", "email": "email",
                 "username": "identifier", "name": "name"}
UNITS = {WeightUnit.KG: "kg: kilograms", WeightUnit.LBS: "lbs: pounds"}  # the choices, in order


class LoginScreen(StyledOnce, Screen[None]):
    app: Host


    BINDINGS = [
        Binding("ctrl+r", "register_mode", "New account", tooltip="Create an account instead"),
        Binding("ctrl+r", "login_mode", "Log in instead", tooltip="Back to logging in"),
        Binding("ctrl+t", "switch_unit", "kg/lbs", tooltip="Lift in kilograms or pounds"),
        Binding("ctrl+g,escape", "login_mode", "Back", show=False),
    ]

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.registering = False
        self.unit = WeightUnit.KG  # the new account's (what the choice shows)
        self.busy = False
        self.typing_into: Input | None = None  # see widgets/form_input.py

    def compose(self) -> ComposeResult:
        # Only what logging in needs: this is usually the app's first frame, and every widget
        # (and every widget type's CSS) is paid for before it is drawn (issue 7). So no header
        # (the box's title names the app) and no buttons (Enter and ctrl+r, in the footer and the
        # line under the form, do what they would); the registration fields are mounted the
        # first time they are asked for.
        with Vertical(id="login-box"):
            with Grid(id="login-form"):
                yield Label("Username", id="identifier-label")
                yield FormInput(placeholder="username or email", id="identifier", compact=True)
                yield Label("Password")
                yield FormInput(placeholder="password", password=True, id="password", compact=True)
            yield Static(id="login-message", markup=False)
        yield KeysFooter()

    def _mount_register_fields(self) -> None:
        if self.query("#email"):
            return
        from textual.widgets import Select  # not paid for on the first frame

        form = self.query_one("#login-form", Grid)
        form.mount(
            Label("Email", classes="register-only"),
            FormInput(placeholder="name@example.com", id="email", classes="register-only", compact=True),
            Label("Name", classes="register-only"),
            FormInput(placeholder="optional", id="name", classes="register-only", compact=True),
            after="#identifier",
        )
        form.mount(
            Label("Repeat", classes="register-only"),
            FormInput(placeholder="the password again", password=True, id="repeat",
                      classes="register-only", compact=True),
            Label("Weights", classes="register-only"),
            Select([(text, unit.value) for unit, text in UNITS.items()], value=self.unit.value, allow_blank=False,
                   id="unit", classes="register-only", compact=True),
        )

    def on_mount(self) -> None:
        self.sub_title = "log in"
        self._update_mode()
        if self.reason:
            self.show_message(self.reason, error=False)
        self.query_one("#identifier", Input).focus()

    # -- modes --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "register_mode":
            return not self.registering
        if action in ("login_mode", "switch_unit"):
            return self.registering
        return True

    def action_register_mode(self) -> None:
        self._mount_register_fields()
        self.registering = True
        self._update_mode()

    def action_login_mode(self) -> None:
        self.registering = False
        self._update_mode()

    def action_switch_unit(self) -> None:
        """kg <-> lbs for the new account."""
        units = list(UNITS)
        self.unit = units[(units.index(self.unit) + 1) % len(units)]
        self.query_one("#unit").value = self.unit.value

    def on_select_changed(self, event: Select.Changed) -> None:
        """A unit chosen in the list (handled by name: Select is imported only when the
        new-account form is first shown)."""
        if event.select.id == "unit":
            self.unit = WeightUnit(str(event.value))

    def _update_mode(self) -> None:
        self.set_class(self.registering, "-register")
        box = self.query_one("#login-box")
        box.border_title = "overload: new account" if self.registering else "overload: log in"
        self.sub_title = "new account" if self.registering else "log in"
        self.query_one("#identifier-label", Label).update("Username")
        self.query_one("#identifier", Input).placeholder = "3-50 letters or digits" if self.registering else "username or email"
        self.show_message(
            "Enter creates the account · ctrl+t: kg or lbs · ctrl+r: log in instead" if self.registering
            else "Enter logs in · ctrl+r: create an account"
        )
        self.refresh_bindings()

    # -- submitting ---------------------------------------------------------------------------
    def _fields(self) -> tuple[str, ...]:
        return REGISTER_FIELDS if self.registering else LOGIN_FIELDS

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def next_field(self, field: Input) -> Input | None:
        """Enter submits a filled-in form; on a half-filled one it moves to the next field (asked
        by the field as Enter arrives: see widgets/form_input.py)."""
        fields = self._fields()
        filled = all(self.value(f) for f in fields if f != "name")
        here = fields.index(field.id) if field.id in fields else len(fields) - 1
        if filled or here == len(fields) - 1:
            return None
        return self.query_one(f"#{fields[here + 1]}", Input)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        app = self.app
        ident, password = self.value("identifier").strip(), self.value("password")
        if self.registering:
            if password != self.value("repeat"):
                self.show_error(ValidationError("The two passwords differ.", field="repeat"))
                return
            email, name = self.value("email").strip(), self.value("name").strip() or None
            unit = self.unit

            def job() -> LoginResult:
                auth = app.require_services().auth
                auth.register(ident, email, password, name, unit)
                return auth.login(ident, password)

            self.show_message("Creating your account…", error=False)
        else:
            if not ident or not password:
                self.show_error(ValidationError("Enter your username (or email) and password."))
                return

            def job() -> LoginResult:
                return app.require_services().auth.login(ident, password)

            self.show_message("Logging in…", error=False)
        self.busy = True
        self.app.call_service(job, on_done=self._done, on_error=self.show_error)

    def _done(self, result: LoginResult) -> None:
        self.busy = False
        self.post_message(LoggedIn(result))

    # -- messages -----------------------------------------------------------------------------
    def show_error(self, error: OverloadError) -> None:
        """Say what is wrong under the form and put the cursor in the field to fix."""
        self.busy = False
        self.show_message(str(error), error=True)
        field = "password"
        if self.registering:
            field = _FIELD_INPUTS.get(error.field or "", "identifier")
        box = self.query_one(f"#{field}", Input)
        box.focus()
        box.select_all()

    def show_message(self, message: str, error: bool = False) -> None:
        label = self.query_one("#login-message", Static)
        label.update(Text(message))
        label.set_class(error, "-error")
