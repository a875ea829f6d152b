"""A small store with the hand-computed case of test_forecast.py, for persistence and report tests."""

from __future__ import annotations

import polars as pl

from iof.store.db import Store


def fill(store: Store, budget: pl.DataFrame, actual: pl.DataFrame, placements: pl.DataFrame,
         staffing: pl.DataFrame | None = None) -> None:
    with store.transaction() as cur:
        cur.execute("insert into import_log values (1, 1, 'test', 'x', 'budget', '2025', 1, now(), 'test', false)")
        for table, frame, extra in (
            ("budget", budget, "1 as import_id"),
            ("actual", actual, "1 as import_id"),
            ("placement", placements, "'2025-04' as source_period, 1 as import_id"),
        ):
            cur.register("incoming", frame)
            cur.execute(f"insert into {table} by name select *, {extra} from incoming")
            cur.unregister("incoming")
        if staffing is not None and staffing.height:
            cur.register("incoming", staffing)
            cur.execute(
                "insert into staffing by name select *, 0.0 as sick_leave_pct, 0.0 as sick_leave_short_pct, "
                "0 as leavers, 0.0 as caseworker_fte, 0 as open_cases, 1 as import_id from incoming"
            )
            cur.unregister("incoming")
