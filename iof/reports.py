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
from iof.core.personnummer import mask
from iof.core.spreadsheet import neutralise_frame, workbook
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
            elif name.endswith("_pct"):
                exprs.append(pl.col(name).round(2))
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
                pl.when(x == x.round(0)).then(x.cast(pl.Int64).cast(pl.String))
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


def _args_months(p: argparse.ArgumentParser) -> None:
    p.add_argument("--från", "--fran", dest="från", required=True, help="första månaden (ÅÅÅÅ-MM)")
    p.add_argument("--till", dest="till", required=True, help="sista månaden (ÅÅÅÅ-MM)")
    _unit_arg(p)


def _args_day(p: argparse.ArgumentParser) -> None:
    p.add_argument("--datum", type=_date_arg, default=None, help="dagen listan gäller (ÅÅÅÅ-MM-DD; annars i dag)")
    _unit_arg(p)


def _args_deadlines(p: argparse.ArgumentParser) -> None:
    _args_day(p)
    p.add_argument("--dagar", type=int, default=None, help="varna så här många dagar före gränsen (annars iof.toml, 14)")


def _args_jourhem(p: argparse.ArgumentParser) -> None:
    _args_day(p)
    p.add_argument("--gräns-dagar", "--grans-dagar", dest="gräns_dagar", type=int, default=None,
                   help="lista barn i jourhem längre än så här många dagar (annars iof.toml, 60)")


def _args_goal(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, required=True)
    p.add_argument("--månad", "--manad", dest="månad", type=int, required=True, help="bedöm per denna månad (1–12)")
    _unit_arg(p)


def _today(a: argparse.Namespace) -> date:
    return a.datum or date.today()  # the CLI's default; the computations always get a day


def _tr():
    from iof import trend_reports  # imported late: trend_reports uses this module's errors

    return trend_reports


REPORTS: dict[str, ReportSpec] = {
    "placeringar": ReportSpec(
        "placeringar aktiva en viss dag, med kvarvarande kostnad i år",
        _args_placeringar,
        lambda s, a: placeringar_report(s, a.datum, a.enhet),
    ),
    "placeringar-per-år": ReportSpec(
        "antal barn per år och placeringsform",
        _args_per_year,
        lambda s, a: _tr().placeringar_per_ar_report(s, a.från_år, a.till_år, a.enhet),
    ),
    "trender": ReportSpec(
        "månadsvärden per enhet och mått (lång form: enhet;månad;mått;värde)",
        _args_months,
        lambda s, a: _tr().trender_report(s, a.från, a.till, a.enhet),
    ),
    "handläggningstider": ReportSpec(
        "handläggningstider per enhet, ärendetyp och månad: antal, median, 90:e percentil, andel inom gräns",
        _args_months,
        lambda s, a: _tr().handlaggningstider_report(s, a.från, a.till, a.enhet),
    ),
    "ärenden-över-gräns": ReportSpec(
        "öppna ärenden som passerat sin gräns eller passerar den inom 14 dagar",
        _args_deadlines,
        lambda s, a: _tr().arenden_over_grans_report(s, _today(a), a.enhet, a.dagar),
    ),
    "jourhem": ReportSpec(
        "barn i jourhem längre än gränsen (60 dagar)",
        _args_jourhem,
        lambda s, a: _tr().jourhem_report(s, _today(a), a.enhet, a.gräns_dagar),
    ),
    "vårdnadsöverflyttning": ReportSpec(
        "barn som passerat eller snart passerar två år i samma familjehem",
        _args_day,
        lambda s, a: _tr().vardnadsoverflyttning_report(s, _today(a), a.enhet),
    ),
    "sammanbrott": ReportSpec(
        "sammanbrott och placeringen som följde (form, dygnskostnad, kostnad under året)",
        _args_per_year,
        lambda s, a: _tr().sammanbrott_report(s, a.från_år, a.till_år, a.enhet),
    ),
    "målstatus": ReportSpec(
        "målen i iof.toml per enhet med status (på väg / risk / ej uppnått)",
        _args_goal,
        lambda s, a: _tr().malstatus_report(s, a.år, a.månad, a.enhet),
    ),
}
REPORT_ALIASES = {
    "placeringar-per-ar": "placeringar-per-år",
    "handlaggningstider": "handläggningstider",
    "arenden-over-grans": "ärenden-över-gräns",
    "handläggningstider-lista": "ärenden-över-gräns",
    "vardnadsoverflyttning": "vårdnadsöverflyttning",
    "malstatus": "målstatus",
}


def _register_forecast_reports() -> None:
    """The prognosis reports live in iof.forecast_reports; their Swedish errors become ReportError."""
    from iof import forecast_reports
    from iof.forecast import ForecastError

    def guarded(build):
        def run(store, args):
            try:
                return build(store, args)
            except ForecastError as exc:
                raise ReportError(str(exc)) from None
        return run

    for name, (help_, add_arguments, build) in forecast_reports.report_specs().items():
        REPORTS[name] = ReportSpec(help_, add_arguments, guarded(build))
    for target, aliases in forecast_reports.REPORT_ALIASES.items():
        for alias in aliases:
            REPORT_ALIASES[alias] = target


_register_forecast_reports()
