"""What the pages show, built once per data version and arguments: figures and display tables.

The loaders cache what a page *reads*; this module caches what it *shows*. Each function here is
a pure function of its arguments and of the loaders (which read the run's data version, and that
version includes the viewer's role), so `@view` keys it on (data version, function, arguments):
a rerun with nothing changed draws the page from memory, neither rebuilding nor re-validating a
Plotly figure. A figure is kept as the plain dict Plotly would send (FrozenFigure): built and
validated once, serialised on each rerun. Results are shared read-only between sessions
(st.cache_resource: no copy per hit); nothing here mutates what it returns.
"""

from __future__ import annotations

import functools

import polars as pl
import streamlit as st
from plotly.basedatatypes import BaseFigure

from iof.core import domain
from iof.core.periods import month_end
from iof.present import avvikelse, charts, dashboard, fmt, verksamhet as vd
from iof.web import loaders, session


class FrozenFigure(BaseFigure):
    """A finished figure as its validated dict (what st.plotly_chart takes from a Figure).

    Streamlit asks a figure for `to_dict()` and Plotly's JSON writer asks again; both get the dict
    made once, instead of a deep copy of the figure and a walk over it on every rerun.
    """

    def __init__(self, figure: BaseFigure):  # noqa: super().__init__ would rebuild the figure
        object.__setattr__(self, "_spec", figure.to_dict())

    def to_dict(self) -> dict:
        return self._spec

    @property
    def layout(self):  # read by callers that look at a figure's size
        return self._spec.get("layout", {})


def _freeze(value):
    if isinstance(value, BaseFigure) and not isinstance(value, FrozenFigure):
        return FrozenFigure(value)
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    return value


@st.cache_resource(max_entries=512, show_spinner=False)
def _cached(version: str, name: str, _fn, args: tuple, kwargs: tuple):
    return _freeze(_fn(*args, **dict(kwargs)))


def view(fn):
    """Cache fn's result on (the run's data version, fn, arguments); arguments must be small values."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return _cached(session.version(), name, fn, args, tuple(sorted(kwargs.items())))

    wrapper.uncached = fn
    return wrapper


# -- IoF-översikt ------------------------------------------------------------------------------------
@view
def overview(year: int, month: int) -> pl.DataFrame:
    """Every unit's and IoF's row (loaders.overview), joined once per version instead of every rerun."""
    return loaders.overview(year, month)


@view
def overview_table(year: int, month: int, order: str) -> tuple[list[str], pl.DataFrame]:
    """(the units in the order shown, the formatted table with Status as a label list)."""
    ordered = dashboard.sort_overview(overview(year, month), order)
    return ordered["enhet"].to_list(), dashboard.overview_display(ordered).with_columns(pl.concat_list("Status"))


@view
def largest_deviations(year: int, month: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the largest unfavourable lines, raw; the same formatted)."""
    top = avvikelse.largest(loaders.prognos_table(year, month))
    return top, avvikelse.largest_display(top)


@view
def overview_deviation(year: int, month: int):
    return charts.deviation_by_unit(loaders.overview(year, month))


HISTORY_MAX_LINES = 12  # more units than this: IoF totalt and the units that moved most (city scale)


@view
def overview_history(year: int, month: int):
    """(the figure, the units shown or None when all are)."""
    hist = loaders.history(year, month)
    if hist["unit"].n_unique() <= HISTORY_MAX_LINES:
        return charts.prognosis_over_year(hist), None
    units = charts.largest_movers(hist)
    return charts.prognosis_over_year(hist, units), units


@view
def overview_kpi_tiles(year: int, month: int, threshold: int | None, known_units: tuple[str, ...] = ()) -> list[dict]:
    return dashboard.kpi_tiles(loaders.scorecard(year, month), threshold=threshold, known_units=known_units)


@view
def submissions_overview(year: int, month: int) -> pl.DataFrame:
    """Per unit: Lämnad (ja/nej), by whom, when and the comment."""
    subs = {r["unit"]: r for r in loaders.submissions(year, month).iter_rows(named=True)}
    rows = []
    for unit in session.store().units():
        r = subs.get(unit)
        rows.append({"Enhet": unit, "Prognosen": "lämnad" if r else "ej lämnad",
                     "Av": r["created_by"] if r else "", "När": fmt.when(r["created_at"]) if r else "",
                     "Kommentar": r["comment"] if r else ""})
    return pl.DataFrame(rows, schema={c: pl.String for c in ("Enhet", "Prognosen", "Av", "När", "Kommentar")})


# -- a unit's page and APT-läge ----------------------------------------------------------------------
def _unit_row(year: int, month: int, unit: str) -> dict | None:
    ov = loaders.overview(year, month)
    row = ov.filter(pl.col("enhet") == unit)
    return None if row.is_empty() else row.row(0, named=True)


def _bridge_row(year: int, month: int, unit: str) -> dict | None:
    bridge = loaders.bridge(year, month)
    if bridge is None:
        return None
    row = bridge.filter(pl.col("enhet") == unit)
    return None if row.is_empty() else row.row(0, named=True)


@view
def unit_summary(year: int, month: int, unit: str) -> tuple[dict | None, dict | None]:
    """(the unit's overview row, its bridge row) — None when missing."""
    return _unit_row(year, month, unit), _bridge_row(year, month, unit)


@view
def unit_accumulated(year: int, month: int, unit: str, big: bool = False):
    r = _unit_row(year, month, unit)
    return charts.accumulated(loaders.monthly_net(year, None if unit == domain.IOF_TOTAL else unit),
                              r["prognos_tkr"], month, big=big,
                              interval=(r["intervall_låg_tkr"], r["intervall_hög_tkr"]))


@view
def unit_waterfall(year: int, month: int, unit: str, big: bool = False):
    brow = _bridge_row(year, month, unit)
    return None if brow is None else charts.waterfall(brow, big=big)


@view
def unit_lines(year: int, month: int, unit: str, big: bool = False):
    return charts.deviation_by_line(loaders.prognos_table(year, month), unit, big=big)


@view
def unit_lines_display(year: int, month: int, unit: str) -> pl.DataFrame:
    return dashboard.lines_display(loaders.prognos_table(year, month), unit)


@view
def unit_analysis(year: int, month: int, unit: str) -> str:
    return dashboard.analysis_text(unit, loaders.prognos_table(year, month), _bridge_row(year, month, unit),
                                   year, month)


@view
def unit_kpis_display(year: int, month: int, unit: str, threshold: int | None,
                      known_units: tuple[str, ...] = ()) -> pl.DataFrame:
    return dashboard.unit_kpis_display(loaders.scorecard(year, month), unit, threshold, known_units=known_units)


# -- Placeringar -------------------------------------------------------------------------------------
@view
def placement_figures(unit: str | None, forms: tuple[str, ...], year: int, month: int):
    """(stock by form, flows, care days and cost, egen regi share) or None without placements."""
    stock, monthly = loaders.placement_trends(unit, forms, year, month)
    if monthly is None:
        return None
    return (charts.stock_by_form(stock), charts.placement_flows(monthly), charts.care_days_and_cost(monthly),
            charts.own_share(monthly))


@view
def placement_monthly_display(unit: str | None, forms: tuple[str, ...], year: int, month: int) -> pl.DataFrame:
    _, monthly = loaders.placement_trends(unit, forms, year, month)
    return vd.placement_monthly_display(monthly)


@view
def placement_lists(unit: str | None, forms: tuple[str, ...], year: int, month: int) -> dict:
    """The page's lists as shown (formatted once per version and viewer: the active list alone is
    thousands of numbers at city scale). Lists that name children pass the role filter in loaders,
    and the version includes the viewer, so one viewer never gets another's lists."""
    day = month_end(year, month)
    all_units = unit is None
    active = loaders.placements_active_on(unit, forms, day)
    over = loaders.jourhem_over_limit(unit, day)
    due = loaders.custody_transfer_due(unit, day)
    fu = loaders.breakdowns(unit, forms, vd.window_start(year, month), day)
    return {
        "by_form": vd.active_by_form_display(active),
        "n_active": active.height,
        "active_total_tkr": None if active.is_empty() else vd.remaining_total_tkr(active),
        "active": None if active.is_empty() else vd.active_placements_display(active, all_units),
        "jourhem_over": None if over.is_empty() else vd.jourhem_display(over, all_units),
        "custody_due": None if due.is_empty() else vd.custody_display(due, all_units),
        "breakdown_summary": None if fu.is_empty() else vd.breakdown_summary_display(fu),
        "breakdowns": None if fu.is_empty() else vd.breakdown_display(fu, all_units),
    }


# -- Personal ----------------------------------------------------------------------------------------
@view
def staff_figures(unit: str | None, year: int, month: int):
    """(FTE, vacancies, sick leave, caseload, turnover)."""
    trend = loaders.staff_trend(unit, year, month)
    return (charts.staff_fte(trend), charts.staff_gaps(trend), charts.sick_leave(trend), charts.caseload(trend),
            charts.turnover(trend))


# -- Handläggningstider ------------------------------------------------------------------------------
@view
def processing_figures(unit: str | None, types: tuple[str, ...], year: int, month: int):
    """(share within the limit, then one figure per ärendetyp shown with its limit)."""
    monthly = loaders.processing(unit, types, year, month)
    return (charts.share_within_limit(monthly),) + tuple(
        charts.processing_vs_limit(monthly, lim["case_type"], lim["limit_line_days"], lim["limit_label"])
        for lim in vd.limits_of_shown(monthly)
    )


# -- Prognossäkerhet ---------------------------------------------------------------------------------
@view
def accuracy_heatmap(year: int):
    return charts.accuracy_heatmap(loaders.accuracy(year))
