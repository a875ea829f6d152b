"""Reports of the data contract: builders (frames with the contract's columns) and writers.

CSV is `;`-separated with decimal comma and UTF-8 BOM (opens correctly in Swedish Excel);
xlsx is a real workbook with number formats. Each builder returns a Polars frame whose columns
are exactly the contract's, in its order.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from iof import intervals
from iof.extracts import mask
from iof.store import Store


class ReportError(Exception):
    """A report request a user got wrong (unknown unit, bad date); message is Swedish."""


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------
def _rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """tkr to whole kronor (3 decimals), kr to öre (2 decimals); other floats as they are."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            if name.endswith("_tkr"):
                exprs.append(pl.col(name).round(3))
            elif name.endswith("_kr"):
                exprs.append(pl.col(name).round(2))
    return frame.with_columns(exprs) if exprs else frame


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    _rounded(frame).write_csv(
        buf, separator=";", decimal_comma=True, include_bom=True, date_format="%Y-%m-%d",
        line_terminator="\r\n",
    )
    return buf.getvalue()


def to_xlsx_bytes(frame: pl.DataFrame, sheet: str = "Rapport") -> bytes:
    buf = io.BytesIO()
    frame = _rounded(frame)
    formats = {}
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            formats[name] = "#,##0.0" if name.endswith("_tkr") else "#,##0.00" if name.endswith("_kr") else "0.0"
        elif dtype.is_integer():
            formats[name] = "#,##0" if not name in ("år", "år_", "födelseår") else "0"
        elif dtype == pl.Date:
            formats[name] = "yyyy-mm-dd"
    frame.write_excel(
        buf,
        worksheet=sheet[:31],
        column_formats=formats or None,
        autofit=True,
        header_format={"bold": True},
        freeze_panes=(1, 0),
    )
    return buf.getvalue()


def write(frame: pl.DataFrame, fmt: str, out: Path | None, sheet: str = "Rapport") -> bytes:
    data = to_xlsx_bytes(frame, sheet) if fmt == "xlsx" else to_csv_bytes(frame)
    if out is not None:
        out.write_bytes(data)
    return data


# --------------------------------------------------------------------------------------------
# Builders that need no prognosis
# --------------------------------------------------------------------------------------------
def _check_unit(store: Store, unit: str | None) -> None:
    if unit is not None and unit not in store.units():
        raise ReportError(f"Enheten '{mask(unit)}' finns inte i databasen. Enheter: {', '.join(store.units())}.")


def placements_active(placements: pl.DataFrame, day: date) -> pl.DataFrame:
    """One row per placement active on `day`, with days placed and remaining cost this year."""
    active = intervals.active_on(placements, day)
    return (
        intervals.with_remaining(active, day)
        .with_columns(days_placed=intervals.days_placed(active, day))
        .sort("unit", "start_date", "placement_id")
    )


def placeringar_report(store: Store, day: date, unit: str | None = None) -> pl.DataFrame:
    """Contract report `placeringar`: one row per placement active on `day`."""
    _check_unit(store, unit)
    p = store.placements()
    if unit:
        p = p.filter(pl.col("unit") == unit)
    a = placements_active(p, day)
    return a.select(
        placerings_id="placement_id",
        barn_id="child_id",
        enhet="unit",
        placeringsform="placement_type",
        startdatum="start_date",
        dagar_placerad="days_placed",
        dygnskostnad_kr="daily_cost_kr",
        kvarvarande_kostnad_tkr=pl.col("remaining_cost_kr") / 1000,
    )


def children_per_year(placements: pl.DataFrame, first_year: int, last_year: int) -> pl.DataFrame:
    """One row per year × placement type: distinct children with a placement overlapping the year."""
    years = pl.DataFrame({"year": list(range(first_year, last_year + 1))}, schema={"year": pl.Int32})
    return (
        placements.join(years, how="cross")
        .filter(
            (pl.col("start_date") <= pl.date(pl.col("year"), 12, 31))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.date(pl.col("year"), 1, 1)))
        )
        .group_by("year", "placement_type")
        .agg(children=pl.col("child_id").n_unique())
        .sort("year", "placement_type")
    )


def placeringar_per_ar_report(
    store: Store, first_year: int, last_year: int, unit: str | None = None
) -> pl.DataFrame:
    """Contract report `placeringar-per-år`: år;placeringsform;antal_barn."""
    _check_unit(store, unit)
    if first_year > last_year:
        raise ReportError("--från-år måste vara mindre än eller lika med --till-år.")
    p = store.placements()
    if unit:
        p = p.filter(pl.col("unit") == unit)
    return children_per_year(p, first_year, last_year).select(
        år="year", placeringsform="placement_type", antal_barn=pl.col("children").cast(pl.Int64)
    )


# --------------------------------------------------------------------------------------------
# The registry the CLI is built from: name -> how to ask for it and how to build it
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportSpec:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    build: Callable[[Store, argparse.Namespace], pl.DataFrame]


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett datum (ÅÅÅÅ-MM-DD)") from None


def _ym_arg(text: str) -> tuple[int, int]:
    try:
        y, m = text.split("-")
        y, m = int(y), int(m)
        if not 1 <= m <= 12:
            raise ValueError
        return y, m
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inte en månad (ÅÅÅÅ-MM)") from None


def _unit_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--enhet", dest="enhet", default=None, help="bara denna enhet")


def _args_placeringar(p: argparse.ArgumentParser) -> None:
    p.add_argument("--datum", type=_date_arg, required=True, help="dagen (ÅÅÅÅ-MM-DD)")
    _unit_arg(p)


def _args_per_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--från-år", "--fran-ar", dest="från_år", type=int, required=True)
    p.add_argument("--till-år", "--till-ar", dest="till_år", type=int, required=True)
    _unit_arg(p)


REPORTS: dict[str, ReportSpec] = {
    "placeringar": ReportSpec(
        "placeringar aktiva en viss dag, med kvarvarande kostnad i år",
        _args_placeringar,
        lambda s, a: placeringar_report(s, a.datum, a.enhet),
    ),
    "placeringar-per-år": ReportSpec(
        "antal barn per år och placeringsform",
        _args_per_year,
        lambda s, a: placeringar_per_ar_report(s, a.från_år, a.till_år, a.enhet),
    ),
}
REPORT_ALIASES = {"placeringar-per-ar": "placeringar-per-år"}
