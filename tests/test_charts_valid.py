"""The charts built without Plotly's validation (charts._fast_figure, for speed at city scale) are
valid Plotly: building the same spec again *with* validation gives exactly the same figure. Run on
the demo for every variant the pages draw (with and without the interval, screen and projector,
few and many units)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from iof.compute.forecast import net_by_unit, prognos_table
from iof.pipeline import prognosis
from iof.pipeline.importer import load_demo
from iof.present import charts, dashboard


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from iof.store.db import Store

    with Store(tmp_path_factory.mktemp("charts") / "demo.duckdb") as s:
        assert load_demo(s, today=date(2026, 11, 23)).ok
        fcs = {m: prognosis.prognosis(s, 2026, m)[0] for m in (1, 2, 9, 10)}
    tables = {m: prognos_table(fc.lines, interval=fc.interval) for m, fc in fcs.items()}
    ov = dashboard.overview(tables[10], tables[9])
    hist = dashboard.history(
        pl.concat([net_by_unit(fc.lines).with_columns(month=pl.lit(m, pl.Int32)) for m, fc in fcs.items()]),
        dashboard.budget_net(tables[10]))
    return ov, hist


def _variants(ov: pl.DataFrame, hist: pl.DataFrame):
    no_band = ov.drop("intervall_låg_tkr", "intervall_hög_tkr")
    many = pl.concat([ov.with_columns(enhet=pl.col("enhet") + f" {i}") for i in range(8)])  # > 12 bars
    for big in (False, True):
        yield charts.deviation_by_unit(ov, big=big)
        yield charts.deviation_by_unit(no_band, big=big)
        yield charts.deviation_by_unit(many, big=big)
        yield charts.deviation_by_unit(ov.head(1), big=big)
        yield charts.prognosis_over_year(hist, big=big)
        yield charts.prognosis_over_year(hist, charts.largest_movers(hist, 2), big=big)


def test_fast_figures_are_what_validation_makes_of_them(demo):
    figures = list(_variants(*demo))
    assert len(figures) == 12
    for fig in figures:
        spec = fig.to_dict()
        assert spec["data"], "a chart without data"
        assert go.Figure(spec).to_dict() == spec  # raises on an invalid property; equal = nothing coerced


def test_a_misspelt_property_is_caught_by_the_check():
    """The check above would see a mistake: validation refuses what _fast_figure lets through."""
    fig = charts._fast_figure([{"type": "bar", "x": [1], "colour": "red"}], {})
    with pytest.raises(ValueError):
        go.Figure(fig.to_dict())
