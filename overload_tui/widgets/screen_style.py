"""Screens styled, laid out and drawn once as they appear.

Textual styles every widget of a screen as it mounts, then twice more for a new screen: on its
first Resize, which adds the width classes (-narrow, -wide, -xwide: ``App.HORIZONTAL_BREAKPOINTS``)
and so restyles the whole screen, and on ScreenResume, which restyles it again in case the theme
changed while it was away (Textual restyles only the screen in front when the theme changes).
That first Resize, sent by the screen's own first layout at the size it was just laid out at,
also made Screen lay it out and draw it again, and lay out every screen below it. Opening the
history spent about a third of its time on these.

``StyledOnce`` puts the width classes (and a screen's own size classes, ``size_classes``) on the
screen before its widgets are styled, skips that echo of a Resize, and restyles on resume only
when the theme or those classes have changed since.
"""

from __future__ import annotations

from textual import events


def width_classes(screen, width: int) -> dict[str, bool]:
    """The screen's breakpoint classes at ``width``: the widest that fits on, the others off."""
    breakpoints = screen.HORIZONTAL_BREAKPOINTS
    if breakpoints is None:
        breakpoints = screen.app.HORIZONTAL_BREAKPOINTS or []
    fitting = [name for least, name in sorted(breakpoints, reverse=True) if width >= least][:1]
    return {name: name in fitting for _, name in breakpoints}


class StyledOnce:
    """Mixin for a Screen (first in its bases, before ``Screen``). A screen with classes of its
    own that depend on the terminal's size returns them from ``size_classes`` too."""

    _styled_for: object = None  # the theme the screen's styles were computed for

    def size_classes(self, width: int, height: int) -> dict[str, bool]:
        return width_classes(self, width)

    def fit_size_classes(self, update: bool = True) -> bool:
        """Set the size classes for the terminal's size now; whether they changed."""
        before = set(self.classes)  # type: ignore[attr-defined]
        self.update_classes(self.size_classes(*self.app.size), update=update)  # type: ignore[attr-defined]
        return set(self.classes) != before  # type: ignore[attr-defined]

    # Public handlers: Textual calls each class's handler along the MRO, this mixin's (first in
    # the screen's bases) before Screen's and Widget's own, until one calls prevent_default.
    def on_compose(self, _: events.Compose) -> None:
        # Runs before Widget's own handler, which mounts (and styles) the children. The
        # screen itself was styled as it was registered: again, for rules naming its classes.
        if self.fit_size_classes(update=False):
            self.app.stylesheet.apply(self)  # type: ignore[attr-defined]
        self._styled_for = self.app.theme  # type: ignore[attr-defined]

    def on_resize(self, event: events.Resize) -> None:
        # Runs before Screen's own. Textual sends a screen a Resize from its own first layout, at
        # the size it was just laid out at, and Screen's handler then lays it out and draws it
        # a second time (and every screen below it): skipped when nothing changed.
        if not self.fit_size_classes() and event.size == self.outer_size:  # type: ignore[attr-defined]
            event.prevent_default()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own, which restyles everything when refresh_styles is set.
        theme = self.app.theme  # type: ignore[attr-defined]
        changed = self.fit_size_classes(update=False)
        event.refresh_styles = changed or theme != self._styled_for
        self._styled_for = theme
