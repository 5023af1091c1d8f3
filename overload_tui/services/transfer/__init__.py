"""Import from Strong, Hevy and FitNotes exports and overload's JSON backup; export Strong CSV and JSON.

The screen-facing API is :class:`TransferService` (see its module for the call sequence).
"""

from overload_tui.services.transfer.errors import ImportFormatError, InvalidRowsError, TransferError
from overload_tui.services.transfer.export import CsvExport
from overload_tui.services.transfer.model import ExerciseMapping, ImportReport, InvalidRow, SkipCount
from overload_tui.services.transfer.service import (
    FORMATS,
    UNITS,
    ImportPlan,
    TransferService,
    parse_bytes,
)

__all__ = [
    "FORMATS",
    "UNITS",
    "CsvExport",
    "ExerciseMapping",
    "ImportFormatError",
    "ImportPlan",
    "ImportReport",
    "InvalidRow",
    "InvalidRowsError",
    "SkipCount",
    "TransferError",
    "TransferService",
    "parse_bytes",
]
