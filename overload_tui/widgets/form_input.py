"""Form fields that keep every key in order.

``InOrderInput``: the field's own editing keys act the moment they arrive. ``FormInput``: also,
Enter, Tab and shift+Tab move to another field and the keys behind them follow.

Textual applies ``focus()`` after the keys already queued, and an Input's Enter reaches the screen
(``Input.Submitted``) after the keys typed behind it: "alice⏎secret⏎" typed or pasted quickly,
or over a slow SSH link, or while the app is busy (it loads its database layer just after the
login form is drawn), put "secret" in the username box. Here Enter asks the screen at once
(``FormScreen.next_field``) and the keys behind it follow it to the next field.

All of it through Textual's public API: a public ``on_key`` handler (Textual calls each class's
handler along the MRO, the subclass's first, and Input's own, which types a printable key, only
if ``prevent_default`` was not called), the bindings of the fields' classes (``BINDINGS``, in a
``BindingsMap``) run with ``App.run_action``, and Input's public editing methods. One private
name is left: a key for a widget that is not a field goes to it as Textual delivers keys
(``textual_private.forward_key``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Protocol, runtime_checkable

from textual import events
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

from overload_tui.widgets.textual_private import forward_key


@runtime_checkable
class FormScreen(Protocol):
    typing_into: Input | None  # where Enter sent the typing, until that field has the focus

    def next_field(self, field: Input) -> Input | None:
        """The field Enter in ``field`` moves to, or None: Enter submits (Input.Submitted)."""


class InOrderInput(Input):
    """An Input whose own editing keys (ctrl+u, ctrl+a, Enter...) act the moment they arrive,
    and whose keys queued before the focus moved on go where the focus is.

    Textual runs a widget's bindings only once the key has bubbled back up to the App, by which
    time letters typed straight after it (tmux sends them at once; a busy machine queues them) may
    already be in the box: ctrl+u then "strong.csv" could leave the box empty. Here the box's own
    bindings run in order with the letters; every other key goes the usual way.
    """

    # The text scrolls to the cursor all the same. With Textual's "auto", a placeholder wider
    # than the box showed a (zero-height) scroll bar whenever the box was emptied, and hid it
    # when it was filled: two layouts of the whole screen for every set logged.
    DEFAULT_CSS = "InOrderInput { overflow-x: hidden; }"

    # Textual's Input sets its virtual size (Widget's is a layout reactive) to the text's width on
    # every change: each key typed, and each set logged (the box emptied, then filled with the
    # next), laid the whole screen out again. The width only matters for scrolling the text, which
    # needs no layout: here it is a reactive that repaints the box alone.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_value(self, value: str) -> None:
        # After Input's own watcher has set the new width: a layout kept the scroll within the
        # text; shorter text (ctrl+k, delete) must not leave the box scrolled past its end.
        if self.scroll_x > self.max_scroll_x:
            self.scroll_x = self.max_scroll_x

    async def on_key(self, event: events.Key) -> None:
        owner = self.key_owner()
        if owner is self:
            if not event.is_printable and await self.take_key(event):
                # Taken now: not again once it has bubbled up. Input's own handler still runs
                # (no prevent_default): it restarts the cursor's blink, and does nothing else
                # with a key that is not printable. A printable key: Input's handler types it.
                event.stop()
            return
        # Queued for this box before a key in front of it moved the focus (tab, shift+tab, a
        # screen's key run in order here): it belongs where the focus is now, as the keys
        # behind it do. Another such box takes it at once (a key it does not take goes on the
        # usual way, up to the screen's and the App's bindings); any other widget gets it as
        # Textual delivers keys, behind those already queued for it.
        if isinstance(owner, InOrderInput):
            if await owner.take_key(event):
                event.stop()
                event.prevent_default()
            return
        event.stop()
        event.prevent_default()
        forward_key(owner, events.Key(event.key, event.character))

    def key_owner(self) -> Widget:
        """The widget a key that reached this box belongs to: the focused one."""
        focused = self.app.focused
        return self if focused is None else focused

    async def take_key(self, event: events.Key) -> bool:
        """Act on ``event`` now, as this box's key (it may not have the focus yet): a binding of
        ``_in_order()``, else a printable key typed; whether it was taken."""
        return await run_bindings(self._in_order(), event) or type_key(self, event)

    def _in_order(self) -> tuple[DOMNode, ...]:
        """Whose key bindings act in order with the letters: the box's own."""
        return (self,)


async def run_bindings(nodes: Iterable[DOMNode], event: events.Key) -> bool:
    """Run the nodes' own binding for a key that is not printable now, as Textual would once the
    key had bubbled up to the App; whether one did. A binding whose ``check_action`` disables it,
    or whose action is skipped (scrolling a one-line box), lets the key go on, as in Textual;
    priority bindings are the App's, before the key reached the box."""
    if event.is_printable:
        return False
    for node in nodes:
        for binding in class_bindings(type(node)).get(event.key, ()):
            if not binding.priority and await node.app.run_action(binding.action, node):
                return True
    return False


@cache
def class_bindings(cls: type[DOMNode]) -> dict[str, list[Binding]]:
    """The key bindings of a node class: the ``BINDINGS`` of it and its bases, merged as Textual
    merges them (a key bound in a class replaces what its bases bound to that key). The fields and
    screens here neither stop inheriting their bases' bindings nor use an App keymap."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if issubclass(base, DOMNode):
            keys.update(BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings)
    return keys


def type_key(field: Input, event: events.Key) -> bool:
    """Type a printable key into ``field`` as Input does (over the selected text, if any)."""
    if not event.is_printable or event.character is None:
        return False
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(event.character)
    else:
        field.replace(event.character, *selection)
    return True


MOVES = {"enter": 0, "tab": 1, "shift+tab": -1}  # keys that move to another field, in order


class FormInput(InOrderInput):
    """An InOrderInput for a ``FormScreen`` (on any other screen, just that)."""

    def key_owner(self) -> Widget:
        redirect = self._redirect()
        return super().key_owner() if redirect is None else redirect

    async def take_key(self, event: events.Key) -> bool:
        screen = self.screen
        if event.key in MOVES and isinstance(screen, FormScreen):
            following = screen.next_field(self) if event.key == "enter" else self._neighbour(MOVES[event.key])
            if following is not None:
                screen.typing_into = following
                following.focus()
                return True
        return await super().take_key(event)  # Enter that submits, too: in order with the letters

    def _neighbour(self, step: int) -> Input | None:
        """The field Tab (1) or shift+Tab (-1) moves to, when it is one."""
        chain = self.screen.focus_chain
        if self not in chain:
            return None
        following = chain[(chain.index(self) + step) % len(chain)]
        return following if isinstance(following, Input) and following is not self else None

    def _redirect(self) -> Input | None:
        """Where a key that reached this field belongs instead: the field Enter moved on to
        (its focus not there yet), or the focused field (the key was queued before it moved)."""
        screen = self.screen
        pending = getattr(screen, "typing_into", None)
        if pending is not None and pending is not self and pending.is_attached:
            return pending
        focused = screen.focused  # set at once; this field hears of its blur after the keys
        if isinstance(focused, Input) and focused is not self:
            return focused
        return None

    def on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own handler, which selects the text (select_on_focus): the keys
        # typed into this field before its focus arrived would be typed over by the next one.
        screen = self.screen
        if getattr(screen, "typing_into", None) is self:
            screen.typing_into = None  # type: ignore[attr-defined]
            if self.select_on_focus:
                self.select_on_focus = False
                self.call_next(setattr, self, "select_on_focus", True)
