"""Commitments and booked days against a slow one-row-per-day reference (property-based)."""

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from iof.compute.forecast import ForecastParams, month_end, placement_commitments

BOOK = {"HVB": "Entreprenader och köp av verksamhet", "Nätverkshem": "Övriga kostnader"}
D0 = date(2023, 6, 1)


@st.composite
def placement(draw, i):
    start = D0 + timedelta(days=draw(st.integers(0, 900)))
    end = draw(st.one_of(st.none(), st.integers(0, 500).map(lambda n: start + timedelta(days=n))))
    planned = draw(st.one_of(st.none(), st.integers(-30, 600).map(lambda n: start + timedelta(days=n))))
    return (f"P{i}", f"B{i}", draw(st.sampled_from(["A", "B"])), draw(st.sampled_from(list(BOOK))),
            start, end, planned, float(draw(st.integers(100, 9000))), None)


@st.composite
def registers(draw):
    n = draw(st.integers(0, 8))
    rows = [draw(placement(i)) for i in range(n)]
    return pl.DataFrame(
        rows,
        schema={"placement_id": pl.String, "child_id": pl.String, "unit": pl.String, "placement_type": pl.String,
                "start_date": pl.Date, "end_date": pl.Date, "planned_end_date": pl.Date,
                "daily_cost_kr": pl.Float64, "end_reason": pl.String},
        orient="row",
    )


def reference(rows: list[dict], year: int, month: int) -> dict[str, tuple[int, int]]:
    """placement_id → (booked days, committed days), counted one day at a time."""
    asof = month_end(year, month)
    out = {}
    for p in rows:
        if p["start_date"] > asof:
            continue
        end = p["end_date"] if p["end_date"] is not None and p["end_date"] <= asof else None  # as known
        booked = committed = 0
        d = date(year, 1, 1)
        while d <= date(year, 12, 31):
            in_care = p["start_date"] <= d and (end is None or d <= end)
            if in_care and d <= asof:
                booked += 1
            if in_care and d > asof and (p["planned_end_date"] is None or d <= p["planned_end_date"]):
                committed += 1
            d += timedelta(days=1)
        if booked or committed:
            out[p["placement_id"]] = (booked, committed)
    return out


@settings(max_examples=150, deadline=None)
@given(registers(), st.integers(2024, 2025), st.integers(1, 12))
def test_commitments_equal_day_by_day_reference(reg, year, month):
    got = placement_commitments(reg, year, month, ForecastParams(booking=BOOK))
    ref = reference(reg.to_dicts(), year, month)
    assert {r["placement_id"]: (r["booked_days"], r["remaining_days"]) for r in got.iter_rows(named=True)} == ref
    for r in got.iter_rows(named=True):
        assert abs(r["commitment_tkr"] - r["remaining_days"] * r["daily_cost_kr"] / 1000) < 1e-9
        assert r["cost_type"] == BOOK[r["placement_type"]]
