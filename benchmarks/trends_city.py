"""Time every trend for every unit on a demo database: `python benchmarks/trends_city.py DB`.

Make the database first: `python -m iof demo --scale city --db /tmp/city.duckdb`.
Prints one line per computation (wall and CPU time, rows); no assertions.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from iof.compute import scorecard, trends
from iof.pipeline import trend_reports
from iof.compute.cases import open_deadlines, processing_by_month, processing_times
from iof.core.periods import month_grid
from iof.store.db import Store


def timed(label, fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label:52s} {time.perf_counter() - t0:6.2f} s (cpu {time.process_time() - c0:5.2f} s) {out.height:>8} rader",
          flush=True)
    return out


if __name__ == "__main__":
    with Store(sys.argv[1], read_only=True) as store:
        p = timed("läs placeringar", store.placements)
        c = timed("läs ärenden", store.cases)
        s = timed("läs bemanning", store.staffing)
        last = p["start_date"].max()
        year = last.year
        print(f"{p['unit'].n_unique()} enheter, {p.height} placeringar, {c.height} ärenden, {s.height} bemanningsrader; "
              f"senaste start {last}")
        months = month_grid(date(year, 1, 1), date(year, last.month, 1))
        timed(f"trender {year}-01..{year}-{last.month:02d}, alla enheter + IoF totalt",
              lambda: trend_reports.trend_long(p, c, s, date(year, 1, 1), date(year, last.month, 1)))
        timed(f"trender {year - 2}-01..{year}-{last.month:02d}, alla enheter + IoF totalt",
              lambda: trend_reports.trend_long(p, c, s, date(year - 2, 1, 1), date(year, last.month, 1)))
        timed("  placeringar i lager vid månadsslut", lambda: trends.month_end_stock(p, months))
        timed("  vårddygn och kostnad", lambda: trends.care_days_cost(p, months))
        timed("  sammanbrott rullande 12 mån", lambda: trends.breakdown_rates(p, months))
        timed("  handläggningstider per månad", lambda: processing_by_month(processing_times(c), months))
        timed(f"målstatus {year}-{last.month:02d}", lambda: scorecard.scorecard(p, c, s, year, last.month))
        timed("jourhem över gräns", lambda: trends.jourhem_over_limit(p, last))
        timed("ärenden över/nära gräns", lambda: open_deadlines(c, last))
        timed("vårdnadsöverflyttning", lambda: trends.custody_transfer_due(p, last))
        timed("sammanbrott och vad som följde", lambda: trends.breakdown_followups(p))
        timed(f"placeringar per år {year - 9}–{year}", lambda: trends.children_per_year(p, year - 9, year))
        timed(f"trender_report (från databasen, {year})",
              lambda: trend_reports.trender_report(store, f"{year}-01", f"{year}-{last.month:02d}"))
