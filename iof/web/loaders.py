"""Cached loaders: every frame a page shows, computed once per data version, period and viewer.

Each public function reads the run's data version itself (`session.version()`), so a new import,
adjustment or frozen prognosis refreshes everything at once and no page passes a version by hand.
The cached function behind it takes the version as its first argument (the cache key).
The extracts, the prognoses and the month-independent frames made from them are kept with
st.cache_resource: one shared object per key instead of a pickled copy on every hit (a Polars
frame is never changed in place here; every step makes a new one).
Lists that name children or ärenden leave here only through `_detail` (roles, iof.core.access).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from iof.compute import cases, trends, whatif
from iof.compute.accuracy import backtest as run_backtest, backtest_summary, closed_years as find_closed_years
from iof.compute.bridge import bridge as make_bridge
from iof.compute.forecast import ForecastParams, budget_by_month, net_by_unit, prognos_table as make_prognos_table
from iof.compute.scorecard import (placement_year_trends, processing_times, scorecard as make_scorecard,
                                   staff_all_months, year_times)
from iof.core import access
from iof.pipeline import prognosis as prognosis_round
from iof.pipeline.forecast_reports import prognossakerhet_report
from iof.present import dashboard, fmt, verksamhet as vd
from iof.store import audit
from iof.web.session import frame as session_frame, principal, prognosis_frames as _prognosis_frames, store, version


# -- the extracts ------------------------------------------------------------------------------------
_frame = session_frame  # the extracts per data version (cached in iof.web.session)


def load(name: str) -> pl.DataFrame:
    """One of the five extracts as a frame (budget, actual, placements, staffing, cases)."""
    return _frame(name, version())


@st.cache_data(max_entries=64, show_spinner=False)
def _query(name: str, version: str, **params) -> pl.DataFrame:
    return store().query(name, **params)


def query(name: str, **params) -> pl.DataFrame:
    """A named query of queries/ (bound parameters), cached on the data version."""
    return _query(name, version(), **params)


# -- the prognosis -----------------------------------------------------------------------------------
@st.cache_resource(max_entries=2, show_spinner=False)
def _raw_forecasts(data_version: str) -> dict:
    """The forecast's raw candidates per (year, month), shared by every prognosis of this data:
    a month's prognosis backtests the same month of earlier years, which are other months' own."""
    return {}


@st.cache_resource(max_entries=4, show_spinner=False)
def _year_snapshots(version: str, year: int) -> dict:
    return prognosis_round.load_snapshots(store(), year)


@st.cache_resource(max_entries=48, show_spinner=False)
def _prognosis(version: str, year: int, month: int):
    # a frozen month from the year's snapshots, read together (the history shows every month)
    frozen = _year_snapshots(version, year).get(month)
    if frozen is not None:
        return frozen, "fryst"
    # the cached extracts, not a fresh read of the tables for every month (the history is 12 months);
    # what is not cached yet is read in one connection (an open costs 12 ms or more)
    with store().session():
        return prognosis_round.prognosis(store(), year, month, frames=_prognosis_frames(version),
                                         cache=_raw_forecasts(version.split("|")[0]))


def first_reads() -> None:
    """What the first run of a data version reads, in one connection instead of one each (the
    frame calls it before the period picker): the prognosis's four extracts, from which the periods
    come, and the latest year's frozen snapshots (a page opens on the latest year)."""
    _first_reads(version())


@st.cache_resource(max_entries=4, show_spinner=False)
def _first_reads(version: str) -> None:  # once per data version: a later run opens nothing
    with store().session():
        actual = _prognosis_frames(version)["actual"]
        if not actual.is_empty():
            _year_snapshots(version, int(actual["year"].max()))


def prognosis(year: int, month: int):
    """(Forecast, source) of (year, month): the frozen snapshot if there is one, else live."""
    return _prognosis(version(), year, month)


@st.cache_data(max_entries=48, show_spinner=False)
def _prognos_table(version: str, year: int, month: int) -> pl.DataFrame:
    fc, _ = _prognosis(version, year, month)
    return make_prognos_table(fc.lines, interval=fc.interval)  # Netto rows carry the 80 % interval


def prognos_table(year: int, month: int) -> pl.DataFrame:
    return _prognos_table(version(), year, month)


def overview(year: int, month: int) -> pl.DataFrame:
    """Every unit's and IoF's prognosis against budget, with the change since the month before."""
    table = prognos_table(year, month)
    return dashboard.overview(table, prognos_table(year, month - 1) if month > 1 else None)


@st.cache_data(max_entries=24, show_spinner=False)
def _bridge(version: str, year: int, month: int) -> pl.DataFrame | None:
    if month < 2:
        return None
    prev, _ = _prognosis(version, year, month - 1)
    curr, _ = _prognosis(version, year, month)
    return make_bridge(prev, curr, ForecastParams.from_config(), _frame("placements", version))


def bridge(year: int, month: int) -> pl.DataFrame | None:
    """Why each unit's prognosis changed since the month before (None in January)."""
    return _bridge(version(), year, month)


@st.cache_data(max_entries=24, show_spinner=False)
def _history(version: str, year: int, month: int) -> pl.DataFrame:
    nets = []
    for m in range(1, month + 1):
        fc, _ = _prognosis(version, year, m)
        nets.append(net_by_unit(fc.lines).with_columns(month=pl.lit(m, pl.Int32)))
    return dashboard.history(pl.concat(nets), dashboard.budget_net(_prognos_table(version, year, month)))


def history(year: int, month: int) -> pl.DataFrame:
    """Each unit's Netto prognosis as made in months 1..month of the year."""
    return _history(version(), year, month)


@st.cache_data(max_entries=24, show_spinner=False)
def _monthly_net(version: str, year: int, unit: str | None) -> pl.DataFrame:
    return dashboard.monthly_actual_vs_budget(
        _frame("actual", version), budget_by_month(_frame("budget", version), year), year, unit
    )


def monthly_net(year: int, unit: str | None) -> pl.DataFrame:
    return _monthly_net(version(), year, unit)


@fmt.formatted
@st.cache_data(max_entries=48, show_spinner=False)
def _adjustments(version: str, year: int, month: int, unit: str) -> pl.DataFrame:
    adj = prognosis_round.adjustments(store(), year, month)
    adj = adj.filter(pl.col("unit") == unit)
    return adj.select(
        Kostnadsslag="cost_type",
        Belopp=fmt.text(fmt.signed_tkr, "amount_tkr"),
        Kommentar="comment",
        Av="created_by",
        När=pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M"),
    )


def adjustments(year: int, month: int, unit: str) -> pl.DataFrame:
    """The unit's signed adjustments of the month's prognosis, for display."""
    return _adjustments(version(), year, month, unit)


def adjustments_all(year: int, month: int) -> pl.DataFrame:
    """Every adjustment of the month's prognosis (English columns; for the workbook)."""
    return prognosis_round.adjustments(store(), year, month)


# -- drill-through: what explains a kostnadsslag's deviation (pages/avvikelse.py) --------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _placements_behind(version: str, year: int, month: int, unit: str | None, cost_type: str) -> pl.DataFrame:
    from iof.compute.deviation import placements_behind as rank

    fc, _ = _prognosis(version, year, month)
    return rank(fc.placements, _frame("placements", version), unit, cost_type, year,
                ForecastParams.from_config().breakdown_follow_days)


def placements_behind(year: int, month: int, unit: str | None, cost_type: str) -> pl.DataFrame:
    """The placements on a line, ranked by their cost this year (names placements: by role only)."""
    return _detail(_placements_behind(version(), year, month, unit, cost_type))


def placements_behind_summary(year: int, month: int, unit: str | None, cost_type: str) -> dict:
    """Totals of the ranked placements (an aggregate: every placement counts, none is named)."""
    from iof.compute.deviation import placement_summary

    return placement_summary(_placements_behind(version(), year, month, unit, cost_type))


@st.cache_data(max_entries=32, show_spinner=False)
def _staff_months(version: str, year: int, month: int, unit: str | None, cost_type: str) -> pl.DataFrame:
    from iof.compute.deviation import staff_months as months

    return months(_frame("actual", version), budget_by_month(_frame("budget", version), year),
                  _frame("staffing", version), unit, cost_type, year, month)


def staff_months(year: int, month: int, unit: str | None, cost_type: str) -> pl.DataFrame:
    """A staff line's months ranked by avvikelse, with vacancies and consultants (aggregates)."""
    return _staff_months(version(), year, month, unit, cost_type)


# -- the prognosis round: lämnad marks and who froze ------------------------------------------------
# Read on every overview and unit page, and kept per year (lämnad) and for all months (frozen) so a
# change of month opens no database. The version moves with every lämnad mark and freeze.
@st.cache_data(max_entries=8, show_spinner=False)
def _submissions_year(version: str, year: int) -> pl.DataFrame:
    with store().session():  # the frozen months are read beside it (one open; both are shown together)
        _snapshots(version)
        return prognosis_round.submissions_of_year(store(), year)


def submissions(year: int, month: int) -> pl.DataFrame:
    """Per unit: the latest "lämnad" mark of the prognosis of (year, month)."""
    return prognosis_round.submissions_of_month(_submissions_year(version(), year), month)


@st.cache_data(max_entries=4, show_spinner=False)
def _snapshots(version: str) -> pl.DataFrame:
    return prognosis_round.snapshots(store())


def frozen_info(year: int, month: int) -> dict | None:
    """Who froze the prognosis of (year, month) and when, or None."""
    return prognosis_round.frozen_info_of(_snapshots(version()), year, month)


# -- goals -------------------------------------------------------------------------------------------
@st.cache_resource(max_entries=4, show_spinner=False)
def _processing_times(version: str) -> pl.DataFrame:
    return processing_times(_frame("cases", version))


@st.cache_resource(max_entries=4, show_spinner=False)
def _staff_all_months(version: str) -> pl.DataFrame:
    return staff_all_months(_frame("staffing", version))


@st.cache_resource(max_entries=4, show_spinner=False)
def _placement_year_trends(version: str, year: int) -> dict[str, pl.DataFrame]:
    return placement_year_trends(_frame("placements", version), year)


@st.cache_resource(max_entries=4, show_spinner=False)
def _year_times(version: str, year: int) -> pl.DataFrame:
    return year_times(_processing_times(version), year)


@st.cache_data(max_entries=24, show_spinner=False)
def _scorecard(version: str, year: int, month: int) -> pl.DataFrame:
    cases, staffing, placements = _frame("cases", version), _frame("staffing", version), _frame("placements", version)
    return make_scorecard(placements, cases, staffing, year, month,
                          times=_year_times(version, year) if not cases.is_empty() else None,
                          staff=_staff_all_months(version) if not staffing.is_empty() else None,
                          year_trends=_placement_year_trends(version, year) if not placements.is_empty() else None)


def scorecard(year: int, month: int) -> pl.DataFrame:
    return _scorecard(version(), year, month)


# -- Prognossäkerhet ---------------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def _closed_years(version: str) -> list[int]:
    return find_closed_years(_frame("actual", version))


def closed_years() -> list[int]:
    return _closed_years(version())


@st.cache_data(max_entries=8, show_spinner=False)
def _accuracy(version: str, year: int) -> pl.DataFrame:
    return prognossakerhet_report(store(), year)


def accuracy(year: int) -> pl.DataFrame:
    """Each month's prognosis error of a closed year per unit (the CLI's prognossäkerhet report)."""
    return _accuracy(version(), year)


@st.cache_data(max_entries=4, show_spinner=False)
def _backtest(version: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    bt = run_backtest(_frame("budget", version), _frame("actual", version), _frame("placements", version),
                      _frame("staffing", version))
    return bt, backtest_summary(bt)


def backtest() -> tuple[pl.DataFrame, pl.DataFrame]:
    return _backtest(version())


@st.cache_data(max_entries=16, show_spinner=False)
def _line_methods(version: str, year: int, month: int) -> pl.DataFrame:
    from iof.compute.method_accuracy import line_methods as run

    return run(_frame("budget", version), _frame("actual", version), _frame("placements", version),
               _frame("staffing", version), year, month, ForecastParams.from_config())


def line_methods(year: int, month: int) -> pl.DataFrame:
    """Which method each line's prognosis used at (closed year, month) and its error (aggregates)."""
    return _line_methods(version(), year, month)


# -- Granskningslogg (controller) ------------------------------------------------------------------
def audit_log() -> pl.DataFrame:
    """Not cached: the log grows with every click that exports; read it fresh."""
    return audit.audit_frame(store(), principal())


# -- Verksamhet pages: unit None = all units (IoF totalt); forms () = all forms ---------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _placement_trends(version: str, unit: str | None, forms: tuple[str, ...], year: int, month: int):
    p = vd.placements_scope(_frame("placements", version), unit, list(forms))
    months = vd.last_months(year, month)
    if p.is_empty():
        return None, None
    return vd.placement_stock_by_form(p, months), vd.placement_monthly(p, months)


def placement_trends(unit: str | None, forms: tuple[str, ...], year: int, month: int):
    """(stock by form, monthly flows/cost/share) over the 24 months ending with year-month."""
    return _placement_trends(version(), unit, forms, year, month)


@st.cache_data(max_entries=32, show_spinner=False)
def _placements_active_on(version: str, unit: str | None, forms: tuple[str, ...], day: date) -> pl.DataFrame:
    return vd.active_placements(vd.placements_scope(_frame("placements", version), unit, list(forms), relabel=False),
                                day)


@st.cache_data(max_entries=32, show_spinner=False)
def _jourhem_over_limit(version: str, unit: str | None, day: date) -> pl.DataFrame:
    return trends.jourhem_over_limit(vd.filtered(_frame("placements", version), unit), day)


@st.cache_data(max_entries=32, show_spinner=False)
def _custody_transfer_due(version: str, unit: str | None, day: date) -> pl.DataFrame:
    return trends.custody_transfer_due(vd.filtered(_frame("placements", version), unit), day)


@st.cache_data(max_entries=32, show_spinner=False)
def _breakdowns(version: str, unit: str | None, forms: tuple[str, ...], first: date, last: date) -> pl.DataFrame:
    """Sammanbrott ended in [first, last] and what followed (the next placement may be another unit's)."""
    fu = vd.breakdowns_in(vd.filtered(trends.breakdown_followups(_frame("placements", version)), unit), first, last)
    return fu.filter(pl.col("placement_type").is_in(list(forms))) if forms else fu


@st.cache_data(max_entries=32, show_spinner=False)
def _move_to_own_care(version: str, year: int, month: int, n: int, move_date: date, from_form: str,
                      unit: str | None):
    moved = whatif.move_to_own_care(_frame("placements", version), year, month, n, move_date, from_form, unit)
    effect = vd.whatif_effect(moved, whatif.effect_on_lines(moved), _prognos_table(version, year, month), unit)
    p = principal()  # the list names placements: only units seen in detail; the effect is an aggregate
    shown = moved.clear() if not access.may_see_any_detail(p) else access.restrict_detail(moved, p, unit_col="enhet")
    return shown, effect


def move_to_own_care(year: int, month: int, n: int, move_date: date, from_form: str, unit: str | None):
    """(moved placements, effect per kostnadsslag and Netto on the year's prognosis). Raises
    ForecastError (a Swedish message) for a request that cannot be made."""
    return _move_to_own_care(version(), year, month, n, move_date, from_form, unit)


@st.cache_data(max_entries=32, show_spinner=False)
def _processing(version: str, unit: str | None, types: tuple[str, ...], year: int, month: int,
                n_months: int = 12) -> pl.DataFrame:
    c = vd.of_case_types(vd.scoped(_frame("cases", version), unit), types)
    return vd.processing_monthly(c, vd.last_months(year, month, n_months))


def processing(unit: str | None, types: tuple[str, ...], year: int, month: int, n_months: int = 12) -> pl.DataFrame:
    """Handläggningstider per ärendetyp and month over the n months ending with year-month."""
    return _processing(version(), unit, types, year, month, n_months)


@st.cache_data(max_entries=32, show_spinner=False)
def _open_deadlines(version: str, unit: str | None, types: tuple[str, ...], day: date):
    """(open ärenden past their limit, those passing it within the warning days) on `day`."""
    return vd.split_deadlines(cases.open_deadlines(vd.of_case_types(vd.filtered(_frame("cases", version), unit), types),
                                                   day))


@st.cache_data(max_entries=32, show_spinner=False)
def _staff_trend(version: str, unit: str | None, year: int, month: int) -> pl.DataFrame:
    return vd.staff_monthly(_frame("staffing", version), vd.last_months(year, month), unit)


def staff_trend(unit: str | None, year: int, month: int) -> pl.DataFrame:
    return _staff_trend(version(), unit, year, month)


@st.cache_data(max_entries=32, show_spinner=False)
def _staff_units(version: str, year: int, month: int) -> pl.DataFrame:
    return vd.staff_units(_frame("staffing", version), year, month)


def staff_units(year: int, month: int) -> pl.DataFrame:
    return _staff_units(version(), year, month)


# -- detail (rows with pseudonyms) only for the units the principal may see in detail ---------------
def _detail(rows: pl.DataFrame) -> pl.DataFrame:
    """Enforced where data leaves the package: rows of other units are dropped (iof.core.access)."""
    p = principal()
    if not access.may_see_any_detail(p):
        return rows.clear()
    return access.restrict_detail(rows, p)


def placements_active_on(unit, forms, day) -> pl.DataFrame:
    return _detail(_placements_active_on(version(), unit, forms, day))


def count_active_on(unit, forms, day) -> int:
    """An aggregate: how many placements were active (all units in scope, no pseudonyms leave)."""
    return _placements_active_on(version(), unit, forms, day).height


def jourhem_over_limit(unit, day) -> pl.DataFrame:
    return _detail(_jourhem_over_limit(version(), unit, day))


def custody_transfer_due(unit, day) -> pl.DataFrame:
    return _detail(_custody_transfer_due(version(), unit, day))


def breakdowns(unit, forms, first, last) -> pl.DataFrame:
    return _detail(_breakdowns(version(), unit, forms, first, last))


def open_deadlines(unit, types, day):
    passed, soon = _open_deadlines(version(), unit, types, day)
    return _detail(passed), _detail(soon)


def count_open_deadlines(unit, types, day) -> tuple[int, int]:
    passed, soon = _open_deadlines(version(), unit, types, day)
    return passed.height, soon.height
