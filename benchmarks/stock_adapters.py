"""Textual's stock widgets in place of the app's own, for ``benchmarks.stock_widgets`` only.

Each variant names the app's custom widgets it replaces; ``install(variants)`` puts an import
hook in front of ``sys.meta_path`` that patches the app's widget modules the moment they are
imported, before any screen module takes a name from them (``from ...footer import KeysFooter``
then gets Textual's ``Footer``). Nothing is imported ahead of the app: a start-up probe pays for
a stock widget's module exactly when the app would (the custom variant installs the same hook
with nothing to patch, so both sides pay for the hook alike: a dict lookup per import).

The swaps, and what is not drop-in:

``footer``   ``KeysFooter`` -> ``textual.widgets.Footer``: drop-in (the same constructor use,
             docked at the bottom, one line).
``rows``     ``OptionRows`` / ``TextRows`` (the dashboard's two lists, the history list, the
             workout's exercise list) -> ``OptionList``. Not drop-in: the screens call
             ``show_options`` / ``show_rows`` / ``rows`` / ``row_count`` / ``cursor_row`` /
             ``cursor_item`` / ``highlighted_id`` and read ``event.row`` on the messages. The
             adapter is that API on OptionList's public one (``set_options``, ``add_options``,
             ``replace_option_prompt_at_index``, ``highlighted``), and its messages are
             OptionList's with ``row`` and ``index`` added. It is *named* like the class it
             replaces (``OptionRows``, ``TextRows``) so the app's CSS type selectors still match,
             and its CSS takes off OptionList's border and padding (the custom lists have
             neither; the app's CSS adds the borders it wants), so both lay out the same.
``table``    ``SetTable`` -> ``DataTable`` (``cursor_type="row"``, zebra stripes, the same
             six fixed-width columns): not drop-in; ``show_rows`` is the app's own code from
             before SetTable drew its own lines (8064e18^: ``add_row`` for new sets,
             ``update_cell`` for changed ones, ``clear`` and ``add_row`` for another exercise),
             and DataTable's RowHighlighted/RowSelected get ``index`` (what the screen reads).
``styled``   ``StyledOnce`` -> nothing: its three handlers are deleted from the mixin, so the
             screens are styled and laid out as Textual does by itself. Drop-in on the measured
             screens; the progress and templates screens would lose their ``-roomy`` class
             (it comes from ``size_classes``), which no measured path shows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

SWAPS = ("rows", "table", "footer", "styled")


# -- the patches, one per swap -------------------------------------------------------------------
def _footer(module: ModuleType) -> None:
    from textual.widgets import Footer

    module.KeysFooter = Footer


def _rows(module: ModuleType) -> None:
    module.OptionRows, module.TextRows = _option_list_adapters()


def _table(module: ModuleType) -> None:
    module.SetTable = _data_table_adapter(module)


def _styled(module: ModuleType) -> None:
    for name in ("on_compose", "on_resize", "on_screen_resume"):
        delattr(module.StyledOnce, name)


# module imported -> (swap, patch)
TARGETS: dict[str, tuple[str, Callable[[ModuleType], None]]] = {
    "overload_tui.widgets.footer": ("footer", _footer),
    "overload_tui.widgets.row_view": ("rows", _rows),
    "overload_tui.widgets.set_table": ("table", _table),
    "overload_tui.widgets.screen_style": ("styled", _styled),
}


class _PatchingLoader:
    def __init__(self, loader: Any, patch: Callable[[ModuleType], None] | None) -> None:
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):  # noqa: ANN001
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        if self._patch is not None:
            self._patch(module)


class _PatchingFinder:
    """Finds the app's widget modules as the path finder would, and patches them once run."""

    def __init__(self, swaps: frozenset[str]) -> None:
        self._swaps = swaps

    def find_spec(self, name: str, path: Any, target: Any = None):  # noqa: ANN201
        found = TARGETS.get(name)
        if found is None:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            swap, patch = found
            spec.loader = _PatchingLoader(spec.loader, patch if swap in self._swaps else None)
        return spec


def install(swaps: frozenset[str]) -> None:
    """Patch the modules of ``swaps`` as they are imported (an empty set: the same hook, no patch)."""
    unknown = swaps - set(SWAPS)
    if unknown:
        raise ValueError(f"unknown swaps: {sorted(unknown)}")
    already = [name for name in TARGETS if name in sys.modules]
    if already:
        raise RuntimeError(f"imported before the hook: {already}")
    sys.meta_path.insert(0, _PatchingFinder(swaps))


# -- OptionList in place of OptionRows / TextRows ------------------------------------------------
def _option_list_adapters() -> tuple[type, type]:
    from textual.widgets import OptionList
    from textual.widgets.option_list import Option

    class _RowMessage:
        @property
        def row(self) -> Option:
            return self.option  # type: ignore[attr-defined]

        @property
        def index(self) -> int:
            return self.option_index  # type: ignore[attr-defined]

        @property
        def view(self) -> OptionList:
            return self.option_list  # type: ignore[attr-defined]

    class TextRows(OptionList):
        """OptionList with the API the screens use (RowView's), through OptionList's public one."""

        # The custom lists have no border and no padding: the app's CSS adds what it wants.
        DEFAULT_CSS = """
        TextRows { border: none; padding: 0; &:focus { border: none; } }
        """

        class Highlighted(_RowMessage, OptionList.OptionHighlighted):
            pass

        class Selected(_RowMessage, OptionList.OptionSelected):
            pass

        # OptionList posts ``self.OptionHighlighted(...)``: these are what the screens listen to.
        OptionHighlighted = Highlighted
        OptionSelected = Selected

        def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
            super().__init__(id=id, classes=classes)
            self.rows: list[Any] = []

        # RowView's subclass hooks (HistoryList overrides both)
        def row_key(self, row: Any) -> Any:
            return row

        def prompt(self, row: Any) -> Any:
            raise NotImplementedError

        @property
        def row_count(self) -> int:
            return self.option_count

        @property
        def cursor_row(self) -> int:
            return self.highlighted or 0

        @property
        def cursor_item(self) -> Any | None:
            index = self.highlighted
            return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

        def move_cursor(self, *, row: int | None = None, **_: Any) -> None:
            if row is not None and self.rows:
                self.highlighted = row

        def show_rows(self, rows: Any, cursor: int | None = None) -> None:
            """As RowView.show_rows: rows appended are added, the same rows (by key) with some
            changed have those prompts replaced, anything else replaces every option. The
            cursor stays where it was (on the first row when there was none), as RowView's."""
            rows, old = list(rows), self.rows
            if rows != old:
                was = self.highlighted
                if len(rows) >= len(old) and rows[: len(old)] == old:
                    self.add_options(self._option(r) for r in rows[len(old):])
                elif [self.row_key(r) for r in rows] == [self.row_key(r) for r in old]:
                    for index, (a, b) in enumerate(zip(old, rows)):
                        if a != b:
                            self.replace_option_prompt_at_index(index, self.prompt(b))
                else:
                    self.set_options(self._option(r) for r in rows)  # highlighted -> None
                    if cursor is None and rows:
                        cursor = min(was or 0, len(rows) - 1)
                self.rows = rows
            if cursor is not None and rows:
                self.highlighted = cursor
            elif self.highlighted is None and rows:
                self.highlighted = 0  # RowView shows its cursor on the first row

        def _option(self, row: Any) -> Option:
            return Option(self.prompt(row), id=str(self.row_key(row)))

    class _OptionRow:
        __slots__ = ("id", "text")

        def __init__(self, row_id: str, text: Any) -> None:
            self.id, self.text = row_id, text

        def __eq__(self, other: object) -> bool:
            return isinstance(other, _OptionRow) and (self.id, self.text) == (other.id, other.text)

        __hash__ = None  # type: ignore[assignment]

    class OptionRows(TextRows):
        """(id, Text) lines, as the app's OptionRows takes them."""

        DEFAULT_CSS = ""

        def row_key(self, row: _OptionRow) -> str:
            return row.id

        def prompt(self, row: _OptionRow) -> Any:
            return row.text

        @property
        def rows_as_options(self) -> list[Option]:
            return list(self.options)

        @property
        def highlighted_id(self) -> str | None:
            option = self.highlighted_option
            return option.id if option is not None else None

        def show_options(self, options: Any, cursor: int | None = None) -> None:
            self.show_rows([_OptionRow(row_id, text) for row_id, text in options], cursor)

        def set_prompt(self, index: int, prompt: Any) -> None:
            rows = list(self.rows)
            rows[index] = _OptionRow(rows[index].id, prompt)
            self.show_rows(rows)

    return OptionRows, TextRows


# -- DataTable in place of SetTable --------------------------------------------------------------
def _data_table_adapter(set_table_module: ModuleType) -> type:
    from textual.widgets import DataTable

    columns_for = set_table_module.columns_for
    # What SessionScreen._set_clicked reads from the row messages.
    DataTable.RowHighlighted.index = property(lambda message: message.cursor_row)
    DataTable.RowSelected.index = property(lambda message: message.cursor_row)

    class SetTable(DataTable):
        """The app's SetTable as it was before it drew its own lines (8064e18^), keys aside."""

        Highlighted = DataTable.RowHighlighted
        RowSelected = DataTable.RowSelected

        def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
            super().__init__(id=id, cursor_type="row", zebra_stripes=True)
            self.shown: list[Any] = []
            self.kind: Any = None
            self.columns_shown: tuple[tuple[str, str, int], ...] = ()

        def on_mount(self) -> None:
            if not self.columns_shown:
                self.show_kind(set_table_module.ExerciseKind.WEIGHT_REPS)

        def show_kind(self, kind: Any) -> None:
            """The columns of this kind of exercise (all rows again when they change)."""
            if kind is self.kind:
                return
            self.kind, self.columns_shown = kind, columns_for(kind)
            self.clear(columns=True)
            for label, key, width in self.columns_shown:
                self.add_column(label, key=key, width=width)
            self.shown = []

        def show_rows(self, rows: Any) -> None:
            """Show ``rows``, touching only what differs from what is shown."""
            rows = list(rows)
            old = self.shown
            if rows == old:
                return
            self.shown = rows
            if len(rows) >= len(old) and rows[: len(old)] == old:  # sets logged: append them
                for row in rows[len(old):]:
                    self.add_row(*row.cells(), key=row.key)
                return
            if [r.key for r in rows] == [r.key for r in old]:  # the same sets, some changed
                for before, row in zip(old, rows):
                    if before != row:
                        for (_, column, _), cell in zip(self.columns_shown, row.cells()):
                            self.update_cell(row.key, column, cell)
                return
            cursor = self.cursor_row
            self.clear()
            for row in rows:
                self.add_row(*row.cells(), key=row.key)
            if rows:
                self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    return SetTable
