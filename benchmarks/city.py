"""City-scale benchmark: `python benchmarks/city.py [--out benchmarks/out/city.txt]`.

Builds the city demo (14 districts × 5 units × 10 years) in a fresh DuckDB file, imports one
month's extracts again (utfall and bemanning for the last month, both registers), and times the
computations the dashboard runs on every click. Prints one line per step; no assertions.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from iof.pipeline.importer import import_files, load_demo
from iof.store.db import Store

TODAY = date(2026, 11, 23)


def timed(label: str, fn, results: list[str]):
    t0 = time.perf_counter()
    value = fn()
    ms = (time.perf_counter() - t0) * 1000
    results.append(f"{label:<58} {ms:>9.0f} ms")
    print(results[-1], flush=True)
    return value


def month_files(src: Path, dst: Path, year: int, month: int) -> list[Path]:
    """One month's delivery: utfall and bemanning of that month, the registers as of its end."""
    dst.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in ("utfall", "bemanning"):
        text = (src / f"{kind}_{year}.csv").read_bytes().decode("utf-8-sig").splitlines()
        keep = [text[0]] + [ln for ln in text[1:] if ln.startswith(f"{year};{month};")]
        path = dst / f"{kind}_{year}-{month:02d}.csv"
        path.write_bytes(("\r\n".join(keep) + "\r\n").encode("utf-8-sig"))
        out.append(path)
    for kind in ("placeringar", "arenden"):
        path = src / f"{kind}_{year}-{month:02d}.csv"
        text = path.read_bytes().decode("utf-8-sig").splitlines()
        # A fresh delivery of the same register: same rows, newest first (new checksum).
        new = dst / path.name
        new.write_bytes(("\r\n".join([text[0]] + text[1:][::-1]) + "\r\n").encode("utf-8-sig"))
        out.append(new)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    results: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "city.duckdb"
        files = tmp / "files"
        with Store(db) as store:
            res = timed("iof demo --scale city (generate + import)",
                        lambda: load_demo(store, scale="city", today=TODAY, out_dir=files), results)
            rows = sum(e.n_rows for e in res.stored)
            store.con.execute("checkpoint").fetchall()
            results.append(f"{'  rows / files / database size':<58} {rows} / {len(res.stored)} / "
                           f"{db.stat().st_size / 1e6:.1f} MB")
            print(results[-1])
            month = month_files(files, tmp / "month", 2026, 10)
            r = timed("import one month (utfall+bemanning 2026-10, both registers)",
                      lambda: import_files(store, month, user="bench", is_demo=True), results)
            assert r.ok, r.report()
            units = store.units()
            results.append(f"{'  units':<58} {len(units)}")
            print(results[-1])
            for name in ("budget", "actual", "placements", "staffing", "cases"):
                timed(f"load {name} frame", getattr(store, name), results)
            for label, fn in extra_steps(store):
                timed(label, fn, results)
        overview_rerun(db, results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(results) + "\n", encoding="utf-8")


def overview_rerun(db: Path, results: list[str]) -> None:
    """Server-side run of the overview page (app.py) with AppTest: cold caches, then a rerun."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["IOF_DB"] = str(db)
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=600)
    timed("overview page, first run (cold caches)", at.run, results)
    assert not at.exception, [e.value for e in at.exception]
    timed("overview page, rerun (warm caches)", at.run, results)
    at.selectbox(key="månad").set_value(9)
    timed("overview page, change month (new prognosis)", at.run, results)


def extra_steps(store: Store) -> list[tuple[str, callable]]:
    """Computations of the dashboard, added as they land (prognosis, trends, overview)."""
    steps = []
    try:
        from iof.pipeline import forecast_reports

        steps.append(("prognosis, all units, 2026-10 (prognos report)",
                      lambda: forecast_reports.prognos_report(store, 2026, 10)))
        steps.append(("bridge 2026-09 → 2026-10, all units (prognos-brygga)",
                      lambda: forecast_reports.brygga_report(store, 2026, 10)))
        steps.append(("prognossäkerhet 2025, 12 months × all units",
                      lambda: forecast_reports.prognossakerhet_report(store, 2025)))
        steps.append(("backtest T1/T2, every closed year, 3 methods",
                      lambda: forecast_reports.backtest_report(store)))
    except ImportError:
        pass
    try:
        from iof.pipeline import trend_reports

        steps.append(("trends, all units, 2025-11..2026-10 (trender report)",
                      lambda: trend_reports.trender_report(store, "2025-11", "2026-10")))
    except ImportError:
        pass
    return steps


if __name__ == "__main__":
    pl.Config.set_tbl_rows(5)
    main()
