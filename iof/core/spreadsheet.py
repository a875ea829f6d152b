"""No live formulas in anything we write for a spreadsheet (CSV injection, OWASP).

Every CSV and xlsx writer of the package (app downloads and CLI reports) goes through here:

* `neutralise_frame(frame)` — in every *text* column, a cell that begins with `=`, `+`, `-`,
  `@`, tab or carriage return is written with a leading `'`, so Excel and LibreOffice show it as
  text and never evaluate it (`=HYPERLINK(…)`, `@SUM(A1)`, `-1+1`, DDE payloads). Numeric
  columns are left alone: a negative *number* stays a number, and so does a text cell that is
  just a number (`-12`, `+5,5`), which no spreadsheet evaluates as a formula. The Swedish minus
  U+2212 in formatted numbers is not a formula character.
* `workbook(target)` — an xlsxwriter workbook that never turns a string into a formula (or a
  URL, or a number): every text cell is a string cell.
* `is_formula(text)` — the same test, for checks at import (unit names) and in tests.

Vectorised Polars only (no Python callback inside Polars).
"""

from __future__ import annotations

import re
from typing import IO

import polars as pl
import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell that is only a number (optionally signed, Swedish or English decimal mark, spaces as
# thousands separators) is not a formula even when it begins with + or -.
_PLAIN_NUMBER = r"^[+-]?[0-9][0-9 \u00a0\u202f]*([.,][0-9]+)?$"
_STARTS_LIKE_FORMULA = r"^[=+\-@\t\r]"

WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def is_formula(text: object) -> bool:
    """True if a spreadsheet could evaluate `text` as a formula (it begins with = + - @ tab CR
    and is not just a number)."""
    if not isinstance(text, str) or not text.startswith(FORMULA_START):
        return False
    return re.match(_PLAIN_NUMBER, text) is None


def neutralise(text: object) -> object:
    """`text` with a leading `'` if it could be taken for a formula; other values unchanged."""
    return "'" + text if is_formula(text) else text  # type: ignore[operator]


def neutralise_expr(expr: pl.Expr) -> pl.Expr:
    """The same as `neutralise`, as a Polars expression over a text column."""
    risky = expr.str.contains(_STARTS_LIKE_FORMULA) & ~expr.str.contains(_PLAIN_NUMBER)
    return pl.when(risky).then(pl.lit("'") + expr).otherwise(expr)


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column neutralised; numbers, dates and the column names' order untouched.
    Column names (headers) are ours, never user input, but are checked too."""
    text_cols = [n for n, t in frame.schema.items() if t == pl.String]
    out = frame.with_columns([neutralise_expr(pl.col(c)).alias(c) for c in text_cols]) if text_cols else frame
    renames = {c: str(neutralise(c)) for c in out.columns if is_formula(c)}
    return out.rename(renames) if renames else out


def workbook(target: str | IO[bytes]) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook in which every string is written as a string cell."""
    return xlsxwriter.Workbook(target, dict(WORKBOOK_OPTIONS))
