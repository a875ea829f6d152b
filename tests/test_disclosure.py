"""Disclosure control in wide-audience views (issue 10, finding 5).

The brute force: for the demo data in APT mode, every figure the APT pages show about the goals
(each unit's value, last year's value, goal text and status; the IoF tiles' totals, last year's
totals and status counts) is rendered by the real display functions. Then, for every hidden
count, every other value it could have had — together with the other hidden cells of its
column, everything else as it really is — is put through the same pipeline (goals and statuses
recomputed, suppression redone); a candidate the viewer cannot tell apart is one whose rendered
pages are identical. No hidden small count may be narrowed to fewer than `threshold` possible
values, and no hidden count to one.
"""

from __future__ import annotations

import itertools
from datetime import date

import polars as pl
import pytest

from iof.compute import scorecard
from iof.present import dashboard
from iof.compute import disclosure
from iof.compute.disclosure import HIDDEN_TEXT, Rules, protect_group

THRESHOLD = 5


# ---------------------------------------------------------------------------------------------
# The group rule itself
# ---------------------------------------------------------------------------------------------
def test_one_small_cell_takes_the_smallest_other_with_it():
    hidden, total = protect_group({"A": 2, "B": 5, "C": 30}, {"A"}, set(), 4)
    assert hidden == {"A", "B"} and not total


def test_two_small_cells_with_a_tiny_sum_take_a_third():
    hidden, total = protect_group({"A": 0, "B": 2, "C": 5}, {"A", "B"}, set(), 4)
    assert hidden == {"A", "B", "C"} and not total


def test_the_total_is_hidden_when_nothing_else_can_be():
    assert protect_group({"A": 2}, {"A"}, set(), 4) == ({"A"}, True)
    assert protect_group({"A": 2, "B": 1, "C": 0}, {"A", "B", "C"}, set(), 4) == ({"A", "B", "C"}, True)
    assert protect_group({"A": 5}, set(), set(), 4) == (set(), False)
    # an enhetschef's own unit is known to them: it never protects another
    assert protect_group({"A": 2, "Own": 9}, {"A"}, {"Own"}, 4) == ({"A"}, True)


def test_nothing_small_nothing_hidden():
    assert protect_group({"A": 6, "B": 9}, set(), set(), 4) == (set(), False)


# ---------------------------------------------------------------------------------------------
# The rendered APT view and the brute force
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_values(tmp_path_factory):
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    path = tmp_path_factory.mktemp("disclosure") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=date(2026, 11, 23)).ok
        frames = s.placements(), s.cases(), s.staffing()
    out = {}
    for month in (3, 10):
        out[month] = scorecard.kpi_values(*frames, 2026, month)
    return out


def rendered(values: pl.DataFrame, kpi: str, own: frozenset[str] = frozenset()) -> tuple:
    """Everything the APT pages (own = ∅) or an enhetschef's pages (own units exact, the others'
    goals and the IoF tiles suppressed) show about one measure, as text."""
    sc = scorecard.from_values(values.filter(pl.col("kpi") == kpi))
    if sc.is_empty():
        return ()
    units = sorted(sc["unit"].unique().to_list())
    pages = tuple(tuple(dashboard.unit_kpis_display(sc, u, None if u in own else THRESHOLD, known_units=own).rows())
                  for u in units)
    tiles = tuple(tuple(sorted((k, str(v)) for k, v in t.items() if k != "value"))
                  for t in dashboard.kpi_tiles(sc, kpis=(kpi,), threshold=THRESHOLD, known_units=own))
    return pages, tiles


def with_cells(values: pl.DataFrame, kpi: str, column: str, cells: dict[str, int]) -> pl.DataFrame:
    """`values` with the given units' `column` of `kpi` replaced (its basis too, for counts)."""
    basis = "basis" if column == "value" else "baseline_basis"
    out = values
    for unit, v in cells.items():
        hit = (pl.col("kpi") == kpi) & (pl.col("unit") == unit)
        out = out.with_columns(
            pl.when(hit).then(pl.lit(float(v))).otherwise(pl.col(column)).alias(column),
            pl.when(hit).then(pl.lit(v, pl.Int64)).otherwise(pl.col(basis)).alias(basis),
        )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("own", [frozenset(), frozenset({"Familjehemsenheten"})], ids=["apt", "enhetschef"])
@pytest.mark.parametrize("month", [3, 10])
@pytest.mark.parametrize("kpi", sorted(disclosure.COUNT_KPIS))
def test_no_hidden_count_can_be_worked_out(demo_values, month, kpi, own):
    values = demo_values[month]
    sc = scorecard.from_values(values.filter(pl.col("kpi") == kpi))
    if sc.is_empty():
        pytest.skip("no such measure this month")
    flags = disclosure.apply(sc, Rules(THRESHOLD), own)
    truth = rendered(values, kpi, own)
    checked = 0
    for column, flag in (("value", "value_hidden"), ("baseline", "baseline_hidden")):
        hidden = flags.filter(pl.col(flag)).select("unit", column).rows()
        if not hidden:
            continue
        true = {u: int(round(v)) for u, v in hidden}
        total = sum(true.values())
        total_shown = not flags[f"total_{column}_hidden"].any()
        top = max(2 * THRESHOLD, total)
        feasible: dict[str, set[int]] = {u: set() for u in true}
        units = list(true)
        for combo in itertools.product(range(top + 1), repeat=len(units)):
            if total_shown and sum(combo) != total:  # a different sum shows as a different IoF total
                continue
            cand = dict(zip(units, combo))
            if rendered(with_cells(values, kpi, column, cand), kpi, own) == truth:
                for u, v in cand.items():
                    feasible[u].add(v)
        for u, v in true.items():
            assert v in feasible[u]
            need = THRESHOLD if v < THRESHOLD else 2
            assert len(feasible[u]) >= need, (kpi, month, column, u, v, sorted(feasible[u]))
            checked += 1
    assert checked or not flags["value_hidden"].any()


def test_the_reported_leak_is_closed(demo_values):
    """The issue's case: IoF totalt 7, Familjehemsenheten 5, Vuxenenheten 0, Barn och ungdom <5
    → 2; and '−10 % mot förra året (högst 0,9)' next to it gave last year's 1 away."""
    values = demo_values[10]
    sc = scorecard.from_values(values)
    shown = {u: dashboard.unit_kpis_display(sc, u, THRESHOLD) for u in sc["unit"].unique().to_list()}
    label = dashboard.KPI_LABELS["sammanbrott"]
    cells = {u: d.filter(pl.col("Mått") == label).row(0, named=True) for u, d in shown.items()
             if label in d["Mått"].to_list()}
    small = [u for u, r in cells.items() if r["Värde"] == HIDDEN_TEXT]
    assert len(small) != 1
    for r in cells.values():
        assert r["Värde"] != "0" and "högst 0,9" not in r["Mål"]
        if r["Förra året"] == HIDDEN_TEXT:
            assert "högst" not in r["Mål"] and r["Status"] == HIDDEN_TEXT


def test_staff_measures_of_small_units_are_hidden(demo_values):
    values = demo_values[10]
    sc = scorecard.from_values(values)
    for kpi in disclosure.STAFF_KPIS:
        rows = sc.filter(pl.col("kpi") == kpi)
        if rows.is_empty():
            continue
        small = rows.filter(pl.col("headcount") < 10)["unit"].to_list()
        assert small, "the demo has a unit of fewer than 10 people"
        label = dashboard.KPI_LABELS[kpi]
        hidden = []
        for u in rows["unit"].to_list():
            r = dashboard.unit_kpis_display(sc, u, THRESHOLD).filter(pl.col("Mått") == label).row(0, named=True)
            if r["Värde"] == HIDDEN_TEXT:
                hidden.append(u)
            assert u not in small or (r["Värde"], r["Förra året"], r["Status"]) == (HIDDEN_TEXT,) * 3
        tile = dashboard.kpi_tiles(sc, kpis=(kpi,), threshold=THRESHOLD)[0]
        # the IoF mean is shown only when at least two units are hidden behind it
        assert len(hidden) >= 2 or tile["value_text"] == HIDDEN_TEXT


def test_exact_figures_for_those_who_work_with_them(demo_values):
    sc = scorecard.from_values(demo_values[10])
    d = dashboard.unit_kpis_display(sc, "Vuxenenheten/RVC", None)
    assert HIDDEN_TEXT not in d["Värde"].to_list()
