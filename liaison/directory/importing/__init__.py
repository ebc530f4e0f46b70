"""Roster import (名册导入): regions, stations, deputies and departments from .xlsx / .csv.

Districts keep their rosters in spreadsheets, so that is what we read: Chinese or English headers,
Chinese choice labels (县(区), 联络站, 全国…), CSV in UTF-8 or GBK, optionally zipped together with
the deputies' photos. One engine serves the admin page and `liaison import_directory`:

    read the file → map the header → validate every row (no writes) → apply all rows in one
    transaction, or nothing at all.

Rows are keyed by code: a code already in the directory updates that row, so re-importing a
corrected roster works. Import never deletes or deactivates rows missing from the file.

    columns     the kinds of roster, their columns and choice labels
    files       reading .csv / .xlsx, size and type checks
    photos      photos in a .zip or a folder
    validation  checking every row, in bulk
    roster      import_roster, the entry point; the writes are directory.services.import_entries
    template    blank .xlsx templates
"""

from .columns import KINDS, Column, Kind
from .files import check_upload
from .report import ImportFileError, Problem, Report
from .roster import import_roster
from .template import template_workbook

__all__ = [
    "KINDS",
    "Column",
    "ImportFileError",
    "Kind",
    "Problem",
    "Report",
    "check_upload",
    "import_roster",
    "template_workbook",
]
