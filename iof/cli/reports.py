"""The CLI's registry of reports: name -> how to ask for it (argparse) and which builder makes it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from iof.compute.forecast import ForecastError
from iof.pipeline import forecast_reports, trend_reports
from iof.pipeline.reports import ReportError, placeringar_report
from iof.store.db import Store


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


REPORTS: dict[str, ReportSpec] = {
    "placeringar": ReportSpec(
        "placeringar aktiva en viss dag, med kvarvarande kostnad i år",
        _args_placeringar,
        lambda s, a: placeringar_report(s, a.datum, a.enhet),
    ),
    "placeringar-per-år": ReportSpec(
        "antal barn per år och placeringsform",
        _args_per_year,
        lambda s, a: trend_reports.placeringar_per_ar_report(s, a.från_år, a.till_år, a.enhet),
    ),
    "trender": ReportSpec(
        "månadsvärden per enhet och mått (lång form: enhet;månad;mått;värde)",
        _args_months,
        lambda s, a: trend_reports.trender_report(s, a.från, a.till, a.enhet),
    ),
    "handläggningstider": ReportSpec(
        "handläggningstider per enhet, ärendetyp och månad: antal, median, 90:e percentil, andel inom gräns",
        _args_months,
        lambda s, a: trend_reports.handlaggningstider_report(s, a.från, a.till, a.enhet),
    ),
    "ärenden-över-gräns": ReportSpec(
        "öppna ärenden som passerat sin gräns eller passerar den inom 14 dagar",
        _args_deadlines,
        lambda s, a: trend_reports.arenden_over_grans_report(s, _today(a), a.enhet, a.dagar),
    ),
    "jourhem": ReportSpec(
        "barn i jourhem längre än gränsen (60 dagar)",
        _args_jourhem,
        lambda s, a: trend_reports.jourhem_report(s, _today(a), a.enhet, a.gräns_dagar),
    ),
    "vårdnadsöverflyttning": ReportSpec(
        "barn som passerat eller snart passerar två år i samma familjehem",
        _args_day,
        lambda s, a: trend_reports.vardnadsoverflyttning_report(s, _today(a), a.enhet),
    ),
    "sammanbrott": ReportSpec(
        "sammanbrott och placeringen som följde (form, dygnskostnad, kostnad under året)",
        _args_per_year,
        lambda s, a: trend_reports.sammanbrott_report(s, a.från_år, a.till_år, a.enhet),
    ),
    "målstatus": ReportSpec(
        "målen i iof.toml per enhet med status (på väg / risk / ej uppnått)",
        _args_goal,
        lambda s, a: trend_reports.malstatus_report(s, a.år, a.månad, a.enhet),
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
    """The prognosis reports live in iof.pipeline.forecast_reports; their Swedish errors become ReportError."""
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
