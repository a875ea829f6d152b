"""The prognosis as a benchmark: `python benchmarks/forecast_backtest.py [--variant NAME ...]`.

For each variant of the demo generator (see docs/demo.md), builds a fresh database, runs
`iof report prognos-backtest` (every month 2–11 of every closed year; T1 = April, T2 = August)
and prints, per month, the mean absolute error per unit and of IoF totalt for our method and the
three naive methods (utfall/M × 12, utfall + remaining budget, budget), the ratio to the best
naive method, and the 80 % interval's coverage. Ends with the goals of issue 15 per variant:
T1 ratio ≤ 0.80, T2 ratio ≤ 0.60, no month from March with a ratio above 1, and a summary
table of every variant.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from iof.ingest.demo import DemoOptions, write_demo_extracts
from iof.pipeline.forecast_reports import backtest_report
from iof.pipeline.importer import import_files
from iof.store.db import Store

TODAY = date(2026, 12, 1)  # data through November 2026: closed years end 2025
VARIANTS: dict[str, tuple[str, int, DemoOptions]] = {
    "district": ("district", 1, DemoOptions()),
    "city": ("city", 1, DemoOptions()),
    "district-seed2": ("district", 2, DemoOptions()),
    "district-seed3": ("district", 3, DemoOptions()),
    "district-no-lag": ("district", 1, DemoOptions(invoice_lag_months=0)),
    "district-double-intake": ("district", 1, DemoOptions(intake_factor=2.0)),
    "city-seed2-no-lag": ("city", 2, DemoOptions(invoice_lag_months=0)),
    # more seeds and combinations, so that a change is not judged on one draw of the generator
    "district-seed4": ("district", 4, DemoOptions()),
    "district-seed5": ("district", 5, DemoOptions()),
    "district-seed6": ("district", 6, DemoOptions()),
    "district-seed2-no-lag": ("district", 2, DemoOptions(invoice_lag_months=0)),
    "district-seed4-no-lag": ("district", 4, DemoOptions(invoice_lag_months=0)),
    "district-seed2-double-intake": ("district", 2, DemoOptions(intake_factor=2.0)),
    "district-seed3-no-lag-double-intake": ("district", 3, DemoOptions(invoice_lag_months=0, intake_factor=2.0)),
}


def run(name: str) -> tuple[pl.DataFrame, float]:
    scale, seed, options = VARIANTS[name]
    with tempfile.TemporaryDirectory(prefix="iof-bt-") as tmp:
        paths = write_demo_extracts(Path(tmp) / "x", scale=scale, seed=seed, today=TODAY, options=options)
        with Store(Path(tmp) / "bt.duckdb") as store:
            import_files(store, paths, user="benchmark", is_demo=True)
            t0 = time.perf_counter()
            table = backtest_report(store)
            return table, time.perf_counter() - t0


def show(name: str, table: pl.DataFrame, took: float) -> dict:
    print(f"\n## {name}  (backtest {took:.1f} s)")
    wide = (
        table.pivot(on="metod", index=["tidpunkt", "månad"], values="medel_abs_fel_tkr")
        .join(table.filter(pl.col("metod") == "modell").select(
            "månad", "kvot_mot_bästa_naiva", "kvot_iof_mot_bästa_naiva", "täckning_pct", "täckning_iof_pct",
            "antal", "antal_frysta"), on="månad")
        .join(table.pivot(on="metod", index="månad", values="iof_totalt_abs_fel_tkr")
              .rename(lambda c: c if c == "månad" else f"iof_{c}"), on="månad")
        .sort("månad")
    )
    cols = ["tidpunkt", "månad", "modell", "naiv_takt", "naiv_budgetrest", "budget", "kvot_mot_bästa_naiva",
            "iof_modell", "iof_naiv_takt", "iof_naiv_budgetrest", "iof_budget", "kvot_iof_mot_bästa_naiva",
            "täckning_pct", "täckning_iof_pct"]
    print("per unit: mean |error| tkr; iof_*: IoF totalt mean |error| tkr; kvot = modell ÷ best naive; täckning % in 80 % interval")
    print(" | ".join(cols))
    for r in wide.iter_rows(named=True):
        print(" | ".join("" if r[c] is None else (f"{r[c]:.2f}" if "kvot" in c else f"{r[c]:.0f}" if isinstance(r[c], float) else str(r[c])) for c in cols))
    ratio = dict(zip(wide["månad"], wide["kvot_mot_bästa_naiva"]))
    cov = table.filter(pl.col("metod") == "modell")
    coverage = float((cov["täckning_pct"] * cov["antal"]).sum() / cov["antal"].sum()) if cov.height else float("nan")
    goals = {
        "T1 ≤ 0.80": ratio.get(4, 9) <= 0.80,
        "T2 ≤ 0.60": ratio.get(8, 9) <= 0.60,
        "never > 1 from March": all(ratio[m] <= 1.0 for m in ratio if m >= 3),
    }
    worst = max(ratio[m] for m in ratio if m >= 3)
    print(f"T1 ratio {ratio.get(4):.2f}, T2 ratio {ratio.get(8):.2f}, worst from March {worst:.2f}; "
          f"coverage (unit, all months, where an interval exists) ≈ {coverage:.0f} %; "
          + ", ".join(f"{k}: {'ja' if v else 'NEJ'}" for k, v in goals.items()))
    return {"T1": ratio.get(4), "T2": ratio.get(8), "worst": worst, "coverage": coverage, **goals}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", action="append", choices=list(VARIANTS), help="default: all")
    a = ap.parse_args(argv)
    results = {}
    for name in a.variant or list(VARIANTS):
        table, took = run(name)
        results[name] = show(name, table, took)
        sys.stdout.flush()
    print("\n## Summary (ratio = mean |error| per unit ÷ best naive; coverage of the 80 % interval, goal 75–85 %)")
    print("variant | T1 ratio | T2 ratio | worst from March | coverage %")
    for name, r in results.items():
        print(f"{name} | {r['T1']:.2f} | {r['T2']:.2f} | {r['worst']:.2f} | {r['coverage']:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
