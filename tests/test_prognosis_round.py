"""The prognosis round (issue 12, item 5): withdraw or replace an adjustment as a new signed line,
mark the month's prognosis as lämnad, keep the meeting's comments, freeze with who and when."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from iof.compute.forecast import ForecastError
from iof.pipeline import prognosis as fs
from iof.store.db import Store

from .forecast_fixtures import fill
from .test_forecast import ACTUAL, BUDGET, ENTR, TWO, UNIT, params


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.duckdb")
    fill(s, BUDGET, ACTUAL, TWO)
    yield s
    s.close()


def _adj_total(store) -> float:
    lines = fs.compute(store, 2025, 4, params()).lines
    return lines.filter(pl.col("cost_type") == ENTR)["adjustment_tkr"].sum()


def test_withdraw_is_a_new_signed_line_and_the_history_stays(store):
    aid = fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 250.0, "Ny SiS-placering", created_by="anna")
    assert _adj_total(store) == 250.0
    (rid,) = fs.withdraw_adjustment(store, aid, "Placeringen blev inte av", created_by="bo")
    rows = fs.adjustments(store, 2025, 4)
    assert rows.height == 2  # nothing deleted
    first, second = rows.row(0, named=True), rows.row(1, named=True)
    assert first["reversed_by"] == rid and first["amount_tkr"] == 250.0
    assert second["reverses_id"] == aid and second["amount_tkr"] == -250.0 and second["created_by"] == "bo"
    assert _adj_total(store) == 0.0
    with pytest.raises(ForecastError, match="redan återkallad"):
        fs.withdraw_adjustment(store, aid, "igen")
    with pytest.raises(ForecastError, match="kan inte själv återkallas"):
        fs.withdraw_adjustment(store, rid, "igen")


def test_replace_withdraws_and_adds_the_new_amount(store):
    aid = fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 250.0, "Ny SiS-placering", created_by="anna")
    rid, new = fs.withdraw_adjustment(store, aid, "Lägre dygnskostnad", replacement_tkr=180.0, created_by="anna")
    assert _adj_total(store) == 180.0
    assert fs.adjustment(store, new)["reverses_id"] is None
    assert fs.adjustment(store, rid)["reverses_id"] == aid


def test_withdraw_needs_a_comment_and_an_open_month(store):
    aid = fs.add_adjustment(store, 2025, 4, UNIT, ENTR, 250.0, "x", created_by="anna")
    with pytest.raises(ForecastError, match="kommentar"):
        fs.withdraw_adjustment(store, aid, " ")
    with pytest.raises(ForecastError, match="ingen justering med nummer 999"):
        fs.withdraw_adjustment(store, 999, "x")
    fs.freeze(store, 2025, 4, params(), created_by="controllern",)
    with pytest.raises(ForecastError, match=r"redan fryst \(den \d+ \w+ 2\d{3} kl\. \d\d\.\d\d av controllern\)"):
        fs.withdraw_adjustment(store, aid, "för sent")


def test_submissions_latest_per_unit_and_who_has_not_submitted(store):
    units = store.units()
    assert fs.not_submitted(store, 2025, 4) == units
    fs.submit(store, 2025, 4, UNIT, "Klart efter genomgång", created_by="anna", created_at=datetime(2025, 5, 6, 9, 0))
    fs.submit(store, 2025, 4, UNIT, "Uppdaterad", created_by="anna", created_at=datetime(2025, 5, 7, 9, 0))
    subs = fs.submissions(store, 2025, 4)
    assert subs.height == 1 and subs["comment"][0] == "Uppdaterad"
    assert UNIT not in fs.not_submitted(store, 2025, 4)
    with pytest.raises(ForecastError, match="Okänd enhet"):
        fs.submit(store, 2025, 4, "Okänd", "")
    with pytest.raises(ForecastError, match="personnummer"):
        fs.submit(store, 2025, 4, UNIT, "gäller 19121212-1212")


def test_comments_are_kept_per_unit_and_month(store):
    fs.add_comment(store, 2025, 3, UNIT, "Beslut: följ upp HVB-kostnaden i april", created_by="controllern")
    fs.add_comment(store, 2025, 4, UNIT, "April: ny kostnad", created_by="controllern")
    prev = fs.comments(store, *fs.previous_month(2025, 4), unit=UNIT)
    assert prev["comment"].to_list() == ["Beslut: följ upp HVB-kostnaden i april"]
    assert fs.previous_month(2026, 1) == (2025, 12)
    with pytest.raises(ForecastError, match="kommentar"):
        fs.add_comment(store, 2025, 4, UNIT, "")


def test_freeze_records_who_and_when_and_is_audit_logged(store):
    fs.freeze(store, 2025, 4, params(), created_by="controllern")
    info = fs.frozen_info(store, 2025, 4)
    assert info["created_by"] == "controllern" and isinstance(info["created_at"], datetime)
    events = store.query("audit_all")
    assert "frysning" in events["event"].to_list()
    with pytest.raises(ForecastError, match="redan fryst"):
        fs.freeze(store, 2025, 4, params())
    with pytest.raises(ForecastError, match="redan fryst .* ändras inte längre"):
        fs.submit(store, 2025, 4, UNIT, "")
