"""Time every trend for every unit on synthetic city-scale frames (no database needed).

    uv run python benchmarks/trends_synthetic.py [units] [placements] [cases]
"""

from __future__ import annotations

import sys
import time
from datetime import date

import numpy as np
import polars as pl

from iof.compute import scorecard, trends
from iof.pipeline import trend_reports
from iof.compute.cases import open_deadlines
from iof.core.domain import CASE_TYPES, END_REASONS, PLACEMENT_TYPES


def synthetic(n_units: int, n_placements: int, n_cases: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    units = [f"Enhet {i:02d}" for i in range(n_units)]
    start = date(2020, 1, 1)
    s = rng.integers(0, 6 * 365, n_placements)
    length = rng.integers(1, 900, n_placements)
    ongoing = (s + length) > 6 * 365 - 30
    p = pl.DataFrame({
        "placement_id": [f"P{i}" for i in range(n_placements)],
        "child_id": [f"B{i}" for i in rng.integers(0, n_placements // 2, n_placements)],
        "unit": rng.choice(units, n_placements),
        "placement_type": rng.choice(PLACEMENT_TYPES, n_placements),
        "_s": s, "_l": length, "_o": ongoing,
        "daily_cost_kr": rng.integers(400, 9000, n_placements).astype(float),
        "end_reason": rng.choice(END_REASONS, n_placements),
    }).with_columns(
        start_date=pl.lit(start) + pl.duration(days=pl.col("_s")),
    ).with_columns(
        end_date=pl.when(~pl.col("_o")).then(pl.col("start_date") + pl.duration(days=pl.col("_l"))),
        planned_end_date=pl.lit(None, pl.Date),
    ).with_columns(end_reason=pl.when(pl.col("end_date").is_not_null()).then(pl.col("end_reason"))).drop("_s", "_l", "_o")
    r = rng.integers(0, 6 * 365, n_cases)
    c = pl.DataFrame({
        "case_id": [f"Ä{i}" for i in range(n_cases)],
        "unit": rng.choice(units, n_cases),
        "case_type": rng.choice(CASE_TYPES, n_cases),
        "_r": r, "_st": rng.integers(0, 20, n_cases), "_cl": rng.integers(0, 200, n_cases),
    }).with_columns(received_date=pl.lit(start) + pl.duration(days=pl.col("_r"))).with_columns(
        start_date=pl.col("received_date") + pl.duration(days=pl.col("_st")),
        closed_date=pl.when(pl.col("_r") + pl.col("_cl") < 6 * 365 - 10).then(
            pl.col("received_date") + pl.duration(days=pl.col("_st") + pl.col("_cl"))),
    ).drop("_r", "_st", "_cl")
    st = pl.DataFrame([(y, m, u) for y in range(2020, 2026) for m in range(1, 13) for u in units],
                      schema={"year": pl.Int32, "month": pl.Int32, "unit": pl.String}, orient="row")
    k = st.height
    st = st.with_columns(
        budgeted_fte=pl.lit(20.0), filled_fte=pl.Series(rng.uniform(15, 20, k)), vacancies=pl.lit(2.0),
        consultant_fte=pl.lit(1.0), sick_leave_pct=pl.Series(rng.uniform(4, 14, k)),
        sick_leave_short_pct=pl.Series(rng.uniform(1, 4, k)), leavers=pl.Series(rng.integers(0, 3, k)).cast(pl.Int32),
        caseworker_fte=pl.lit(12.0), open_cases=pl.Series(rng.integers(120, 220, k)).cast(pl.Int32),
    )
    return p.select("placement_id", "child_id", "unit", "placement_type", "start_date", "end_date",
                    "planned_end_date", "daily_cost_kr", "end_reason"), c, st


def timed(label, fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:45s} {wall:7.2f} s (cpu {cpu:6.2f} s)  {out.height:>9} rader")
    return out


if __name__ == "__main__":
    n_units, n_p, n_c = (int(a) for a in (sys.argv[1:] + ["60", "60000", "300000"][len(sys.argv) - 1:]))
    p, c, s = synthetic(n_units, n_p, n_c)
    print(f"{n_units} enheter, {p.height} placeringar, {c.height} ärenden, {s.height} bemanningsrader")
    timed("trender 2025-01..2025-12 alla enheter + total", lambda: trend_reports.trend_long(p, c, s, date(2025, 1, 1), date(2025, 12, 1)))
    timed("trender 2020-01..2025-12 alla enheter + total", lambda: trend_reports.trend_long(p, c, s, date(2020, 1, 1), date(2025, 12, 1)))
    timed("målstatus 2025-12", lambda: scorecard.scorecard(p, c, s, 2025, 12))
    timed("jourhem över gräns", lambda: trends.jourhem_over_limit(p, date(2025, 12, 31)))
    timed("ärenden över/nära gräns", lambda: open_deadlines(c, date(2025, 12, 31)))
    timed("sammanbrott och vad som följde", lambda: trends.breakdown_followups(p))
    timed("placeringar per år 2020–2025", lambda: trends.children_per_year(p, 2020, 2025))
