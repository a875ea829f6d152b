"""Issue 11, finding 6: the jourhem list on every day of a stay, the last day included, against a
one-row-per-day reference (RULES.md: active on D when startdatum ≤ D ≤ slutdatum)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from iof.compute import trends

LIMIT = 40


def _placements(stays: list[tuple[str, date, date | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "placement_id": [f"P-{i}" for i in range(len(stays))],
            "child_id": [s[0] for s in stays],
            "unit": ["Familjehemsenheten"] * len(stays),
            "placement_type": [s[3] for s in stays],
            "start_date": [s[1] for s in stays],
            "end_date": [s[2] for s in stays],
            "planned_end_date": [None] * len(stays),
            "daily_cost_kr": [3000.0] * len(stays),
            "end_reason": [None if s[2] is None else "Planerad" for s in stays],
        },
        schema_overrides={"end_date": pl.Date, "planned_end_date": pl.Date, "end_reason": pl.String},
    )


def _reference(stays, day: date) -> dict[str, int]:
    """One row per child and day in jourhem; a stay = consecutive days; its length up to `day`."""
    days = {(c, s + timedelta(n)) for c, s, e, form in stays if form.startswith("Jourhem")
            for n in range(((e or day) - s).days + 1)}
    out = {}
    for child in {c for c, _ in days}:
        if (child, day) not in days:
            continue
        d, n = day, 0
        while (child, d) in days:
            n, d = n + 1, d - timedelta(1)
        if n > LIMIT:
            out[child] = n
    return out


def _listed(stays, day: date) -> dict[str, int]:
    got = trends.jourhem_over_limit(_placements(stays), day, LIMIT)
    return dict(zip(got["child_id"].to_list(), got["days_in_jourhem"].to_list()))


def test_the_issues_child_is_listed_on_the_last_day():
    stays = [("B-1", date(2024, 2, 10), date(2024, 3, 30), "Jourhem konsulentstött")]
    assert _listed(stays, date(2024, 3, 29)) == {"B-1": 49}
    assert _listed(stays, date(2024, 3, 30)) == {"B-1": 50}
    assert _listed(stays, date(2024, 3, 31)) == {}


def test_every_day_of_a_stay_matches_the_reference():
    stays = [("B-1", date(2024, 2, 10), date(2024, 3, 30), "Jourhem konsulentstött")]
    for n in range(-2, 55):
        day = date(2024, 2, 10) + timedelta(n)
        assert _listed(stays, day) == _reference(stays, day), day


@st.composite
def _stays(draw):
    out = []
    for i in range(draw(st.integers(1, 4))):
        child = f"B-{draw(st.integers(1, 2))}"
        start = date(2024, 1, 1) + timedelta(draw(st.integers(0, 120)))
        length = draw(st.integers(1, 90))
        form = draw(st.sampled_from(["Jourhem egen regi", "Jourhem konsulentstött", "HVB"]))
        out.append((child, start, start + timedelta(length - 1), form))
    # one placement at a time per child (the register's rule for a child's jourhem stays)
    seen, clean = {}, []
    for c, s, e, f in sorted(out, key=lambda x: (x[0], x[1])):
        if c in seen and s <= seen[c]:
            continue
        seen[c] = e
        clean.append((c, s, e, f))
    return clean


@settings(max_examples=60, deadline=None)
@given(_stays())
def test_random_stays_on_every_day_match_the_reference(stays):
    first = min(s for _, s, _, _ in stays)
    last = max(e for _, _, e, _ in stays)
    for n in range(0, (last - first).days + 2):
        day = first + timedelta(n)
        assert _listed(stays, day) == _reference(stays, day), (day, stays)


def test_cli_report_lists_the_child_on_the_last_day(tmp_path):
    from iof.pipeline.importer import import_files
    from iof.cli.reports import REPORTS
    from iof.store.db import Store
    from tests.conftest import write_csv

    f = write_csv(tmp_path / "placeringar_2024-03.csv", [
        ["placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum", "dygnskostnad_kr",
         "avslutsorsak"],
        ["P-1", "B-1", "Familjehemsenheten", "Jourhem konsulentstött", "2024-02-10", "2024-03-30", "3000", "Planerad"],
    ])
    from iof.cli.main import main

    db = tmp_path / "j.duckdb"
    with Store(db) as s:
        assert import_files(s, [f], user="t").ok
    out = tmp_path / "j.csv"
    assert main(["report", "jourhem", "--datum", "2024-03-30", "--gräns-dagar", "40", "--db", str(db),
                 "--out", str(out)]) == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "B-1" in text and ";50;10;" in text, text
    assert REPORTS["jourhem"]
