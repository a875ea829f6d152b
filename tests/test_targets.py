"""The target status rule (iof.targets): på väg / risk / ej uppnått for each comparison."""

from __future__ import annotations

import polars as pl
import pytest

from iof.core import config
from iof.compute import targets


def _status(rows, margin=10.0):
    frame = pl.DataFrame(rows, schema={"value": pl.Float64, "goal_low": pl.Float64, "goal_high": pl.Float64}, orient="row")
    return targets.status(frame, margin)["status"].to_list()


def test_at_most_a_level():
    # sjukfrånvaro högst 11 %: 11 on track, 12.1 = 10 % over = risk, 12.2 missed
    assert _status([(11.0, None, 11.0), (12.1, None, 11.0), (12.2, None, 11.0)]) == [
        targets.ON_TRACK, targets.RISK, targets.MISSED,
    ]


def test_at_least_a_level():
    # utredningar inom gräns minst 100 %: 100 on track, 90 risk, 89 missed
    assert _status([(100.0, 100.0, None), (90.0, 100.0, None), (89.0, 100.0, None)]) == [
        targets.ON_TRACK, targets.RISK, targets.MISSED,
    ]


def test_band():
    # 12–16 ärenden per handläggare: width 4, margin 0.4
    assert _status([(12.0, 12.0, 16.0), (16.4, 12.0, 16.0), (11.5, 12.0, 16.0), (16.5, 12.0, 16.0)]) == [
        targets.ON_TRACK, targets.RISK, targets.MISSED, targets.MISSED,
    ]


def test_no_value_or_no_goal():
    assert _status([(None, None, 3.0), (2.0, None, None)]) == [targets.NO_DATA, targets.NO_DATA]


def test_goal_of_zero_tolerates_one():
    assert _status([(0.0, None, 0.0), (1.0, None, 0.0), (2.0, None, 0.0)]) == [
        targets.ON_TRACK, targets.RISK, targets.MISSED,
    ]


def _values(rows):
    return pl.DataFrame(rows, schema={"unit": pl.String, "year": pl.Int32, "month": pl.Int32, "kpi": pl.String,
                                      "value": pl.Float64, "baseline": pl.Float64}, orient="row")


def test_vs_previous_year_for_a_flow_compares_the_same_months():
    # sammanbrott −10 %: 11 in Jan–Jun last year → goal 9.9 by June
    ev = targets.evaluate(_values([("F", 2025, 6, "sammanbrott", 9.0, 11.0),
                                   ("G", 2025, 6, "sammanbrott", 10.0, 11.0),
                                   ("H", 2025, 6, "sammanbrott", 11.0, 11.0),
                                   ("K", 2025, 6, "sammanbrott", 3.0, None)]), ["F", "G", "H", "K"])
    assert ev["goal_high"].to_list()[:3] == pytest.approx([9.9, 9.9, 9.9])
    assert ev["status"].to_list() == [targets.ON_TRACK, targets.RISK, targets.MISSED, targets.NO_DATA]


def test_vs_previous_year_for_a_stock_follows_a_straight_path():
    # konsulentstött jourhem halved: 8 children last December → path 8 − 4·M/12; in June 6
    ev = targets.evaluate(_values([("F", 2025, 6, "barn_i_konsulentstött_jourhem", 6.0, 8.0),
                                   ("G", 2025, 12, "barn_i_konsulentstött_jourhem", 5.0, 8.0),
                                   ("H", 2025, 12, "barn_i_konsulentstött_jourhem", 6.0, 8.0)]), ["F", "G", "H"])
    assert ev["goal_high"].to_list() == pytest.approx([6.0, 4.0, 4.0])
    # a count misses by one child at most → risk (the margin of a count is never below 1)
    assert ev["status"].to_list() == [targets.ON_TRACK, targets.RISK, targets.MISSED]


def test_unit_line_replaces_the_default(tmp_path):
    text = (config.DEFAULT_CONFIG.read_text(encoding="utf-8")
            + '\n[["mål"]]\nenhet = "F"\n"år" = 2025\n"mått" = "sjukfrånvaro_pct"\n"jämförelse" = "nivå"\n"högst" = 6.9\n')
    path = tmp_path / "iof.toml"
    path.write_text(text, encoding="utf-8")
    cfg = config.load(path)
    resolved = targets.resolved_targets(["F", "G"], cfg).filter(
        (pl.col("kpi") == "sjukfrånvaro_pct") & (pl.col("year") == 2025)
    )
    assert resolved.select("unit", "at_most").sort("unit").rows() == [("F", 6.9), ("G", 11.0)]


def test_every_configured_kpi_is_known():
    targets.resolved_targets(["F"])  # raises on an unknown mått


def test_scorecard_year_to_date_with_last_year():
    from tests.trend_fixtures import cases, d, placements
    from iof.compute import scorecard
    from tests.trend_fixtures import staffing

    p = placements(
        ("a", "A", "F", "Familjehem egen regi", d(2023, 1, 1), d(2024, 3, 5), None, 700.0, "Sammanbrott"),
        ("b", "B", "F", "Familjehem egen regi", d(2023, 1, 1), d(2024, 5, 5), None, 700.0, "Sammanbrott"),
        ("c", "C", "F", "Familjehem egen regi", d(2023, 1, 1), d(2025, 2, 5), None, 700.0, "Sammanbrott"),
        ("j1", "D", "F", "Jourhem konsulentstött", d(2024, 12, 1), None, None, 3000.0, None),
        ("j2", "E", "F", "Jourhem konsulentstött", d(2024, 12, 1), d(2025, 1, 9), None, 3000.0, "Planerad"),
    )
    c = cases(("f1", "F", "Förhandsbedömning", d(2025, 3, 1), None, d(2025, 3, 20)))
    s = staffing((2025, 3, "F", 20.0, 18.0, 2.0, 1.0, 12.0, 2.0, 1, 10.0, 150))
    card = scorecard.scorecard(p, c, s, 2025, 3)
    got = {r["kpi"]: r for r in card.iter_rows(named=True)}
    # sammanbrott Jan–Mar: 1 this year, 1 last year (5 Mar 2024) → goal 0.9, miss 0.1 → risk
    assert (got["sammanbrott"]["value"], got["sammanbrott"]["baseline"], got["sammanbrott"]["status"]) == (1, 1, targets.RISK)
    # konsulentstött jourhem: 2 last December, 1 now; path in March: 2 − 1·3/12 = 1.75 → på väg
    kj = got["barn_i_konsulentstött_jourhem"]
    assert (kj["value"], kj["baseline"], kj["goal_high"], kj["status"]) == (1, 2, 1.75, targets.ON_TRACK)
    assert got["förhandsbedömning_andel_inom_gräns"]["status"] == targets.MISSED  # 0 % vs minst 100
    assert got["förhandsbedömning_andel_inom_gräns"]["basis"] == 1
    assert got["sjukfrånvaro_pct"]["status"] == targets.RISK  # 12 vs högst 11 (+1 ≤ 1.1)
    assert got["ärenden_per_handläggare"]["status"] == targets.ON_TRACK  # 15 in 12–16
    assert got["jourhem_median_dagar"]["status"] == targets.NO_DATA  # no stays ended Jan–Mar 2024


def test_scorecard_cost_of_agency_jourhem_halved():
    from iof.compute import scorecard
    from tests.trend_fixtures import d, placements

    p = placements(
        ("j1", "A", "F", "Jourhem konsulentstött", d(2024, 1, 1), d(2024, 1, 31), None, 3000.0, "Planerad"),
        ("j2", "B", "F", "Jourhem konsulentstött", d(2025, 1, 1), d(2025, 1, 16), None, 3000.0, "Planerad"),
        ("e1", "C", "F", "Jourhem egen regi", d(2025, 1, 1), None, None, 900.0, None),
    )
    card = scorecard.scorecard(p, pl.DataFrame(), pl.DataFrame(), 2025, 1)  # no ärenden, no bemanning
    row = card.filter(pl.col("kpi") == "kostnad_konsulentstött_jourhem_kr").row(0, named=True)
    # January: 16 days × 3 000 this year against 31 days × 3 000 last year; goal 46 500
    assert (row["value"], row["baseline"], row["goal_high"], row["status"]) == (48000.0, 93000.0, 46500.0, targets.RISK)


def test_status_never_improves_as_the_value_moves_away_from_the_goal():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    rank = {targets.ON_TRACK: 0, targets.RISK: 1, targets.MISSED: 2}

    @settings(max_examples=200, deadline=None)
    @given(st.floats(0, 100), st.floats(0, 50), st.lists(st.floats(0, 200), min_size=2, max_size=20))
    def check(low, width, values):
        values = sorted(values)
        above = _status([(v, None, low) for v in values])  # högst `low`
        assert [rank[s] for s in above] == sorted(rank[s] for s in above)
        below = _status([(v, low, None) for v in values])[::-1]  # minst `low`, walking downwards
        assert [rank[s] for s in below] == sorted(rank[s] for s in below)
        band = _status([(v, low, low + width) for v in values if v >= low + width])
        assert [rank[s] for s in band] == sorted(rank[s] for s in band)

    check()
