"""Errors of the importers and exporters. Messages are written for the user, one line each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from overload_tui.domain.errors import OverloadError

if TYPE_CHECKING:  # pragma: no cover
    from overload_tui.services.transfer.model import ImportReport

_SHOWN = 5  # how many further line numbers a message names before "and N more"


class TransferError(OverloadError):
    """Base class of everything an import or export raises on purpose."""


class ImportFormatError(TransferError):
    """The file cannot be read as one of the formats. Nothing was written.

    ``line`` is the 1-based physical line of the file (the header is line 1) where the first
    problem starts, or None when the problem is not on a line (an unreadable file);
    ``problems`` holds every (line, reason) found before reading stopped.
    """

    def __init__(
        self,
        reason: str,
        line: int | None = None,
        *,
        source: str | None = None,
        problems: Sequence[tuple[int | None, str]] = (),
    ) -> None:
        self.reason = reason
        self.line = line
        self.source = source
        self.problems: tuple[tuple[int | None, str], ...] = tuple(problems) or ((line, reason),)
        super().__init__(self._message())

    def with_source(self, source: str) -> ImportFormatError:
        return ImportFormatError(self.reason, self.line, source=source, problems=self.problems)

    def _message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        at = f"line {self.line}: " if self.line is not None else ""
        text = f"{where}{at}{self.reason}"
        more = [line for line, _ in self.problems[1:] if line is not None]
        if more:
            listed = ", ".join(str(n) for n in more[:_SHOWN])
            extra = f" and {len(more) - _SHOWN} more" if len(more) > _SHOWN else ""
            text += f" (also line{'s' if len(more) > 1 else ''} {listed}{extra})"
        return f"{text}. Nothing was imported."


class InvalidRowsError(TransferError):
    """Rows hold values the app refuses and --skip-invalid was not given. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        rows = report.invalid
        lines = [r.where for r in rows[:_SHOWN]]
        extra = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
        super().__init__(
            f"{len(rows)} {'row holds' if len(rows) == 1 else 'rows hold'} values the app refuses "
            f"({', '.join(lines)}{extra}); nothing was imported. "
            "Use --skip-invalid to import the file without them."
        )
