"""The import's two typing paths (iof.ingest.extracts._typed) give exactly the same result.

Why: the clean path types a chunk in two queries and hands every chunk it could have anything to
say about to the exact, column-by-column path. If its flags missed a case, a bad cell would be
stored without a message (or a personnummer without a refusal). So: for chunks drawn from valid
demo rows with cells replaced by hostile values (personnummer in every form, formulas, numbers
in every spelling, dates with times, odd unit names, control characters), the result of `_typed`
— the frame, and every problem and note in order — equals the exact path's; and the clean path
really is the one taken on clean data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iof.ingest import extracts as X
from iof.ingest.demo import write_demo_extracts
from tests.test_personnummer_detector import personnummer

TODAY = date(2026, 11, 23)

HOSTILE = [
    "", " ", "  12 ", "1 234,5", "1\u00a0234,5", "1\u202f234", "\u221212", "-0", "1.5", "1,5", "1,0", "3.00",
    "1,2.3", ",5", "5,", "1e5", "0x10", "99999999999999999", "2147483648", "-2147483648", "100,1", "101",
    "1899", "2101", "2026-10-05", "2026-10-05 00:00:00", "2026-10-05T00:00", "2026-10-05 00:00:00.000",
    "2026-10-05 12:00", "2026-1-5", "20261005", "1989-12-31", "1990-01-01", "2045-01-01", "2026-02-30",
    "=SUM(A1)", "+1", "-1", "@x", "\t=1", "Barn  och ungdom", "Barn\u200bochungdom", "Barn och ungdom ",
    "Cafe\u0301", "IoF totalt", "oversikt", "***", "x" * 130, "Familjehem", "familjehem", "HVB", "hvb",
    "Avbrott", "Utredning", "LVU 2 §", "Pojke", "ja", "Ä-1234567", "P-0000001", "B-123", "\x00", "a\x07b",
    "1234567890", "12345678901", "123-456 78 90", "８５０１０１", "0.0", "00", "07",
]


def _pools(tmp: Path) -> dict[str, pl.DataFrame]:
    paths = write_demo_extracts(tmp, scale="district", seed=1, today=TODAY)
    pools = {}
    for p in paths:
        kind = X._kind_from_name(p.name)
        if kind in X.KINDS and kind not in pools:
            with open(p, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh, delimiter=";"))
            header = [X._normalise_header(h) for h in rows[0]]
            body = rows[1:400]
            pools[kind] = pl.DataFrame({h: [r[j] for r in body] for j, h in enumerate(header)})
    return pools


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    return _pools(tmp_path_factory.mktemp("pools"))


def _both(raw: pl.DataFrame, spec):
    a, b = X.Extract(None, "f.csv", ""), X.Extract(None, "f.csv", "")
    got, want = X._typed(a, raw, spec), X._typed_exact(b, raw, spec)
    assert a.problems == b.problems
    if want is None:
        assert got is None
    else:
        assert got is not None and got.equals(want), (got, want)
    return want, b.problems


def _raw(pool: pl.DataFrame, picks: list[int], edits: list[tuple[int, str, str | None]]) -> pl.DataFrame:
    rows = pool[picks]
    for i, name, value in edits:
        if name in rows.columns:
            rows = rows.with_columns(
                pl.when(pl.int_range(pl.len()) == i).then(pl.lit(value, dtype=pl.String))
                .otherwise(pl.col(name)).alias(name))
    return rows.with_columns(pl.int_range(2, rows.height + 2, dtype=pl.Int64).alias("_row"))


def test_clean_demo_rows_take_the_clean_path(pools):
    for kind, pool in pools.items():
        raw = _raw(pool, list(range(pool.height)), [])
        assert X._typed_clean(raw, X.KINDS[kind]) is not None, kind
        want, problems = _both(raw, X.KINDS[kind])
        assert want is not None and problems == [], kind


@pytest.mark.parametrize("kind", list(X.KINDS))
def test_every_hostile_value_in_every_column_gives_the_exact_paths_result(pools, kind):
    """Brute force: each hostile value (and a few personnummer forms) alone in each column. The
    flags are per column, so each column is tried alone (one row, that column only): fast enough
    to try every value in every column."""
    pool = pools[kind]
    spec = X.KINDS[kind]
    values = HOSTILE + ["8501011234", "8501611234", "850101-1234", "19850101 1234", "８５０１０１－１２３４", "850161\u20131234", "x 850101+1234"]
    said = 0
    for col in spec:
        if col.name not in pool.columns:
            continue
        for v in values + [None]:
            raw = _raw(pool.select(col.name), [0], [(0, col.name, v)])
            # (a clean path that kept a chunk the exact path speaks about: no problems, unequal)
            said += bool(_both(raw, spec)[1])
    assert said > len(spec)  # the hostile values do draw messages


@st.composite
def chunk(draw, kind: str, pool_size: int, names: list[str]):
    n = draw(st.integers(1, 6))
    picks = draw(st.lists(st.integers(0, pool_size - 1), min_size=n, max_size=n))
    cell = st.one_of(st.sampled_from(HOSTILE), personnummer(), st.text(max_size=14), st.none())
    edits = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(names), cell), max_size=4))
    return picks, edits


@pytest.mark.parametrize("kind", list(X.KINDS))
def test_random_chunks_give_the_exact_paths_result(pools, kind):
    pool = pools[kind]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chunk(kind, pool.height, pool.columns))
    def check(drawn):
        picks, edits = drawn
        _both(_raw(pool, picks, edits), X.KINDS[kind])

    check()
