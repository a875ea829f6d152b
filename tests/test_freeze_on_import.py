"""The current prognosis is frozen before a later month's utfall is stored; past months are not adjusted."""

from __future__ import annotations

import pytest

from iof.pipeline import prognosis as forecast_store
from iof.compute.forecast import ForecastError
from iof.pipeline.importer import import_files

H = ["år", "månad", "enhet", "kostnadsslag", "belopp_tkr"]


def _utfall(csv_writer, name, months):
    rows = [H] + [["2025", str(m), "Familjerätt", "Lokalkostnader", "100"] for m in months]
    return csv_writer(name, rows)


def test_importing_a_new_month_freezes_the_previous_prognosis(store, csv_writer):
    budget = csv_writer("budget_2025.csv", [["år", "enhet", "kostnadsslag", "belopp_tkr"],
                                            ["2025", "Familjerätt", "Lokalkostnader", "1200"]])
    assert import_files(store, [budget, _utfall(csv_writer, "utfall_2025-q1.csv", [1, 2, 3])]).ok
    assert forecast_store.snapshots(store).is_empty()
    before = forecast_store.compute(store, 2025, 3).lines

    r = import_files(store, [_utfall(csv_writer, "utfall_2025-04.csv", [4])], user="kontroller")
    assert r.ok and r.frozen == (2025, 3)
    assert "Prognosen för 2025-03 frystes" in r.report()
    frozen = forecast_store.load_snapshot(store, 2025, 3)
    assert frozen is not None
    assert frozen.lines["prognos_tkr"].sum() == pytest.approx(before["prognos_tkr"].sum())

    # A corrected April (same month again) freezes nothing new.
    again = import_files(store, [_utfall(csv_writer, "utfall_2025-04_rättad.csv", [4])])
    assert again.ok and again.frozen is None
    assert forecast_store.snapshots(store).height == 1


def test_adjustments_only_in_the_current_prognosis(store, csv_writer):
    budget = csv_writer("budget_2025.csv", [["år", "enhet", "kostnadsslag", "belopp_tkr"],
                                            ["2025", "Familjerätt", "Lokalkostnader", "1200"]])
    assert import_files(store, [budget, _utfall(csv_writer, "utfall_2025.csv", [1, 2, 3, 4])]).ok
    with pytest.raises(ForecastError, match="aktuella prognosen \\(april 2025\\)"):
        forecast_store.add_adjustment(store, 2025, 3, "Familjerätt", "Lokalkostnader", 50, "sent", "chef")
    forecast_store.add_adjustment(store, 2025, 4, "Familjerätt", "Lokalkostnader", 50, "ny hyra", "chef")
    assert forecast_store.adjustments(store, 2025, 4)["amount_tkr"].to_list() == [50]
