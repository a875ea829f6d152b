"""Property test: open ärenden at month end (and past their limit) against a direct check of
every ärende on every month's last day."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trend_fixtures import cases
from iof.compute import cases as c
from iof.core.domain import CASE_TYPES
from iof.core.periods import month_grid

MONTHS = month_grid(date(2023, 12, 1), date(2024, 4, 1))  # with 29 Feb 2024


@st.composite
def case_rows(draw):
    rows = []
    for i in range(draw(st.integers(0, 15))):
        received = draw(st.dates(date(2023, 9, 1), date(2024, 5, 1)))
        start = draw(st.one_of(st.none(), st.just(received + timedelta(days=draw(st.integers(0, 20))))))
        closed = draw(st.one_of(st.none(), st.just(received + timedelta(days=draw(st.integers(0, 200))))))
        rows.append((f"c{i}", draw(st.sampled_from(("A", "B"))), draw(st.sampled_from(CASE_TYPES)), received, start, closed))
    return cases(*rows)


@settings(max_examples=150, deadline=None)
@given(case_rows())
def test_open_and_past_limit_at_month_end(frame):
    times = c.processing_times(frame)
    expected = {}
    for r in times.iter_rows(named=True):
        for me in MONTHS["month_end"]:
            ends = [x for x in (r["to_date"], r["closed_date"]) if x is not None]
            if r["received_date"] <= me and (not ends or min(ends) > me):
                key = (r["unit"], r["case_type"], me.replace(day=1))
                n_open, n_past = expected.get(key, (0, 0))
                past = r["deadline"] is not None and r["deadline"] < me
                expected[key] = (n_open + 1, n_past + int(past))
    got = c.open_past_limit_by_month(times, MONTHS)
    assert {(u, t, m): (o, p) for u, t, m, o, p in got.rows()} == expected
