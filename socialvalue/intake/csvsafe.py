"""One rule for every CSV a person may open in a spreadsheet: no cell can start a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` (or a tab
or carriage return, which some strip first) as a formula, so register or form text like
`=HYPERLINK("https://...")` or `=cmd|' /C calc'!A0` would run when the file is opened. Such a
cell gets a leading apostrophe, which spreadsheets hide and read as "this is text".

A cell made only of digits, spaces and `+ - ( ) .` is left alone: without letters it cannot name a
function, a cell or a program, so it is harmless, and it keeps `+44 1603 000 123` usable as a
phone number and `-1.5` valid as a number.

The intake's staff export, the open data (socialvalue/publish.py) and the staff review report
(socialvalue/report.py) all use this module. It lives in the intake because the site may import
the intake but never the other way round; it imports nothing but the standard library.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[0-9+\-(). ]*[0-9][0-9+\-(). ]*")


def safe_cell(cell: str) -> str:
    """`cell`, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
