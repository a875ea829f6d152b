"""The one writer of report files: CSV (`;`, decimal comma, UTF-8 with BOM) and xlsx.

Every CSV and workbook the CLI or the app hands out goes through `to_csv_bytes` / `to_xlsx_bytes`.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from iof.core.spreadsheet import neutralise_frame, workbook


def _rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """tkr to whole kronor (3 decimals), kr to öre (2 decimals); other floats as they are."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            if name.endswith("_tkr"):
                exprs.append(pl.col(name).round(3, mode="half_away_from_zero"))
            elif name.endswith("_kr"):
                exprs.append(pl.col(name).round(2, mode="half_away_from_zero"))
            elif name.endswith("_pct"):
                exprs.append(pl.col(name).round(2, mode="half_away_from_zero"))
    return frame.with_columns(exprs) if exprs else frame


# Long-format value columns (trender's `värde`) mix counts and ratios: a whole number is written
# without decimals (14, not 14,0), anything else with decimal comma.
MIXED_VALUE_COLUMNS = ("värde", "jämförelsevärde", "mål_lägst", "mål_högst")


def _mixed_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    exprs = []
    for name in MIXED_VALUE_COLUMNS:
        if name in frame.columns and frame.schema[name].is_float():
            x = pl.col(name)
            exprs.append(
                pl.when(x == x.round(0, mode="half_away_from_zero")).then(x.cast(pl.Int64).cast(pl.String))
                .otherwise(x.cast(pl.String).str.replace(".", ",", literal=True))
                .alias(name)
            )
    return frame.with_columns(exprs) if exprs else frame


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    _mixed_as_text(_rounded(neutralise_frame(frame))).write_csv(
        buf, separator=";", decimal_comma=True, include_bom=True, date_format="%Y-%m-%d",
        line_terminator="\r\n",
    )
    return buf.getvalue()


def to_xlsx_bytes(frame: pl.DataFrame, sheet: str = "Rapport") -> bytes:
    buf = io.BytesIO()
    frame = _rounded(frame)
    formats = {}
    for name, dtype in frame.schema.items():
        if dtype.is_float() and name in MIXED_VALUE_COLUMNS:
            formats[name] = "General"
        elif dtype.is_float():
            formats[name] = "#,##0.0" if name.endswith("_tkr") else "#,##0.00" if name.endswith("_kr") else "0.0"
        elif dtype.is_integer():
            formats[name] = "#,##0" if not name in ("år", "år_", "födelseår") else "0"
        elif dtype == pl.Date:
            formats[name] = "yyyy-mm-dd"
    wb = workbook(buf)  # every text cell a string cell, never a formula
    frame.write_excel(
        wb,
        worksheet=sheet[:31],
        column_formats=formats or None,
        autofit=True,
        header_format={"bold": True},
        freeze_panes=(1, 0),
    )
    wb.close()
    return buf.getvalue()


def write(frame: pl.DataFrame, fmt: str, out: Path | None, sheet: str = "Rapport") -> bytes:
    data = to_xlsx_bytes(frame, sheet) if fmt == "xlsx" else to_csv_bytes(frame)
    if out is not None:
        out.write_bytes(data)
    return data


