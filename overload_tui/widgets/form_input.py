"""Form fields that keep every key in order.

``InOrderInput``: the field's own editing keys act the moment they arrive. ``FormInput``: also,
Enter, Tab and shift+Tab move to another field and the keys behind them follow.

Textual applies ``focus()`` after the keys already queued, and an Input's Enter reaches the screen
(``Input.Submitted``) after the keys typed behind it: "alice⏎secret⏎" typed or pasted quickly,
or over a slow SSH link, or while the app is busy (it loads its database layer just after the
login form is drawn), put "secret" in the username box. Here Enter asks the screen at once
(``FormScreen.next_field``) and the keys behind it follow it to the next field.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual import events
from textual.actions import parse
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


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

    def _watch_value(self, value: str) -> None:
        # Textual's Input sets its virtual size (a layout reactive) to the text's width on every
        # change: each key typed, and each set logged (the box emptied, then filled with the next),
        # laid the whole screen out again. The width only matters for scrolling the text, which
        # needs no layout: set it quietly, and Input's own assignment then changes nothing.
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not None and focused is not self:
            # Queued for this box before a key in front of it moved the focus (tab, shift+tab
            # run in order here): it belongs where the focus is now, as the keys behind it do.
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        await self._own_key(event)

    async def _own_key(self, event: events.Key) -> None:
        """A key for this box: its own bindings at once, then Input's handling."""
        if not event.is_printable:
            for node in self._in_order():
                if await run_binding(node, event):
                    self._restart_blink()
                    return
        await super()._on_key(event)

    def _in_order(self) -> tuple[DOMNode, ...]:
        """Whose key bindings act in order with the letters: the box's own."""
        return (self,)


async def run_binding(node: DOMNode, event: events.Key) -> bool:
    """Run ``node``'s own binding for the key now, as Textual would later; whether it did (a
    binding ``check_action`` disables, or whose action skips, e.g. scrolling a one-line box,
    lets the key go on, as in Textual)."""
    for binding in node._bindings.key_to_bindings.get(event.key, ()):
        _, name, params = parse(binding.action)
        if node.check_action(name, params) is not False and await node.app.run_action(binding.action, node):
            event.stop()
            event.prevent_default()
            return True
    return False


MOVES = {"enter": 0, "tab": 1, "shift+tab": -1}  # keys that move to another field, in order


class FormInput(InOrderInput):
    """An InOrderInput for a ``FormScreen`` (on any other screen, just that)."""

    async def _on_key(self, event: events.Key) -> None:
        target = self._redirect()
        if target is None:
            await super()._on_key(event)  # this field's, or the focused widget's if not a field
            return
        event.stop()
        event.prevent_default()
        await (target._own_key(event) if isinstance(target, InOrderInput) else target._on_key(event))

    async def _own_key(self, event: events.Key) -> None:
        screen = self.screen
        if event.key in MOVES and isinstance(screen, FormScreen):
            following = screen.next_field(self) if event.key == "enter" else self._neighbour(MOVES[event.key])
            if following is not None:
                event.stop()
                event.prevent_default()
                screen.typing_into = following
                following.focus()
                return
        await super()._own_key(event)  # Enter that submits, too: in order with the letters

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

    def _on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own, which selects the text (select_on_focus): the keys typed
        # into this field before its focus arrived would be typed over by the next one.
        screen = self.screen
        if getattr(screen, "typing_into", None) is self:
            screen.typing_into = None  # type: ignore[attr-defined]
            if self.select_on_focus:
                self.select_on_focus = False
                self.call_next(setattr, self, "select_on_focus", True)
