"""The generic export writers (liaison/core/exports.py): rows are consumed one at a time (a
million rows are never held), cells never become formulas, times are local."""

import io
import itertools
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from liaison.core import exports

COLUMNS = [exports.Column("编号", lambda n: n), exports.Column("文字", lambda n: f"={n}")]


def test_csv_is_a_stream_that_never_reads_ahead():
    taken = []

    def endless():
        for n in itertools.count():
            taken.append(n)
            yield n

    chunks = exports.csv_chunks(COLUMNS, endless())
    first = [next(chunks) for _ in range(3)]  # the header and two rows
    assert first[0] == "\ufeff编号,文字\r\n".encode()
    assert first[1] == b"0,'=0\r\n"
    assert len(taken) <= 3  # an endless list is written as it comes


def test_xlsx_rows_and_progress():
    target, seen = io.BytesIO(), []
    written = exports.write_xlsx(COLUMNS, iter(range(5)), target, on_row=seen.append)
    assert written == 5 and seen == [1, 2, 3, 4, 5]
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("编号", "文字") and rows[5] == (4, "'=4")


def test_cells():
    assert exports.cell(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)) == datetime(2026, 3, 2, 0, 30)
    assert exports.cell(date(2026, 3, 1)) == date(2026, 3, 1)
    assert exports.cell(None) == "" and exports.cell(True) == "✓" and exports.cell(False) == ""
    for text in ("=1+1", "+86", "-1", "@SUM(A1)"):
        assert exports.cell(text) == "'" + text
    assert exports.cell("路灯不亮") == "路灯不亮"
