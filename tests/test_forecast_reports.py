"""The prognosis reports and commands through the command line, on demo data."""

from __future__ import annotations

import io
import shutil
from datetime import date

import polars as pl
import pytest

from iof.cli import main as cli
from iof.compute.bridge import DRIVERS
from iof.pipeline.importer import load_demo
from iof.store.db import Store

CONTRACT = ["enhet", "kostnadsslag", "budget_tkr", "utfall_tkr", "prognos_tkr", "avvikelse_tkr"]
FHE = "Familjehemsenheten"
ENTR = "Entreprenader och köp av verksamhet"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, scale="district", seed=1, today=date(2026, 11, 23)).ok  # utfall to 2026-10
    return path


@pytest.fixture
def db(demo_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    return str(path)


def run(capsysbinary, *argv) -> tuple[int, pl.DataFrame | None, str]:
    rc = cli.main(list(argv))
    out = capsysbinary.readouterr()
    frame = None
    if rc == 0 and out.out:
        frame = pl.read_csv(io.BytesIO(out.out), separator=";", decimal_comma=True, encoding="utf8")
    return rc, frame, out.err.decode("utf-8")


def test_prognos_report_has_the_contract_columns_and_order(db, capsysbinary):
    rc, t, _ = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2025", "--månad", "4")
    assert rc == 0
    assert t.columns[:6] == CONTRACT
    assert {"modell_tkr", "justering_tkr", "åtaganden_tkr", "förväntade_avslut_tkr", "nya_placeringar_tkr"} <= set(t.columns)
    assert t["enhet"][-1] == "IoF totalt" and t["kostnadsslag"][-1] == "Netto"
    for unit, g in t.group_by("enhet"):
        assert g["kostnadsslag"][-1] == "Netto"  # Netto closes each unit
    total = t.filter((pl.col("enhet") == "IoF totalt") & (pl.col("kostnadsslag") == "Netto"))["prognos_tkr"][0]
    units = t.filter((pl.col("enhet") != "IoF totalt") & (pl.col("kostnadsslag") == "Netto"))["prognos_tkr"].sum()
    assert total == pytest.approx(units, abs=0.01)


def test_prognos_in_december_is_utfall(db, capsysbinary):
    rc, t, _ = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2025", "--månad", "12")
    assert rc == 0
    assert (t["prognos_tkr"] == t["utfall_tkr"]).all()


def test_justering_shows_apart_and_adds(db, capsysbinary):
    _, before, _ = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2026", "--månad", "10", "--enhet", FHE)
    rc, _, _ = run(capsysbinary, "justering", "--db", db, "--år", "2026", "--månad", "10", "--enhet", FHE,
                   "--kostnadsslag", ENTR, "--belopp-tkr", "-1500", "--kommentar", "Två barn flyttas hem i juni",
                   "--av", "Anna")
    assert rc == 0
    _, after, _ = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2026", "--månad", "10", "--enhet", FHE)
    row = lambda t: t.filter((pl.col("enhet") == FHE) & (pl.col("kostnadsslag") == ENTR)).row(0, named=True)  # noqa: E731
    assert row(after)["modell_tkr"] == row(before)["modell_tkr"]
    assert row(after)["justering_tkr"] == -1500.0
    assert row(after)["prognos_tkr"] == pytest.approx(row(before)["prognos_tkr"] - 1500.0, abs=0.002)
    _, listed, _ = run(capsysbinary, "report", "prognos-justeringar", "--db", db, "--år", "2026", "--månad", "10")
    assert listed.select("enhet", "belopp_tkr", "kommentar", "av").row(0) == (FHE, -1500.0, "Två barn flyttas hem i juni", "Anna")


def test_bridge_report_adds_up(db, capsysbinary):
    assert run(capsysbinary, "prognos-frys", "--db", db, "--år", "2026", "--månad", "10")[0] == 0
    rc, b, _ = run(capsysbinary, "report", "prognos-brygga", "--db", db, "--år", "2026", "--månad", "10")
    assert rc == 0
    drivers = [d for d in DRIVERS]
    for r in b.iter_rows(named=True):
        assert sum(r[d] for d in drivers) == pytest.approx(r["förändring_tkr"], abs=0.02)  # rounded to kr
    assert b["källa"][0] == "fryst→fryst"  # September frozen by the demo's monthly routine, October here


def test_prognossakerhet_and_backtest(db, capsysbinary):
    rc, acc, _ = run(capsysbinary, "report", "prognossäkerhet", "--db", db, "--år", "2024")
    assert rc == 0
    assert acc.columns[:7] == ["enhet", "år", "månad", "prognos_tkr", "utfall_helår_tkr", "fel_tkr", "fel_pct"]
    assert (acc.filter(pl.col("månad") == 12)["fel_tkr"] == 0).all()
    rc, bt, _ = run(capsysbinary, "report", "prognos-backtest", "--db", db)
    assert rc == 0
    assert set(bt["tidpunkt"].drop_nulls()) == {"T1", "T2"}
    assert set(bt["månad"]) == set(range(2, 12))
    assert set(bt["metod"]) == {"modell", "naiv_takt", "naiv_budgetrest", "budget"}
    assert {"kvot_mot_bästa_naiva", "täckning_pct", "antal_frysta"} <= set(bt.columns)


def test_user_errors_are_swedish(db, capsysbinary):
    rc, _, err = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2025", "--månad", "4", "--enhet", "Okänd")
    assert rc == 2 and "finns inte" in err
    rc, _, err = run(capsysbinary, "report", "prognos", "--db", db, "--år", "2031", "--månad", "4")
    assert rc == 2 and "inget utfall" in err
    rc, _, err = run(capsysbinary, "report", "prognos-brygga", "--db", db, "--år", "2025", "--månad", "1")
    assert rc == 2 and "föregående" in err
    rc, _, err = run(capsysbinary, "justering", "--db", db, "--år", "2025", "--månad", "12", "--enhet", FHE,
                     "--kostnadsslag", ENTR, "--belopp-tkr", "1", "--kommentar", "x")
    assert rc == 2 and "december" in err


def test_what_if_report(db, capsysbinary):
    rc, t, _ = run(capsysbinary, "report", "prognos-flytt", "--db", db, "--år", "2025", "--månad", "4", "--antal", "3",
                   "--från-datum", "2025-06-01", "--från-form", "Familjehem konsulentstött")
    assert rc == 0
    net = t.filter(pl.col("kostnadsslag") == "Netto").row(0, named=True)
    assert net["förändring_tkr"] < 0
    assert net["prognos_efter_tkr"] == pytest.approx(net["prognos_före_tkr"] + net["förändring_tkr"], abs=0.002)


def test_prognossakerhet_uses_snapshots_and_adjustments(tmp_path, capsysbinary):
    """History made month by month: an adjustment in the March meeting, May frozen at its meeting
    (the demo's own frozen history is left out: this test makes the history)."""
    db = str(tmp_path / "history.duckdb")
    for today in (date(2024, 4, 10), date(2024, 6, 10)):
        with Store(db) as s:
            assert load_demo(s, seed=1, today=today, freeze_history=False).ok
        if today.month == 4:
            assert run(capsysbinary, "justering", "--db", db, "--år", "2024", "--månad", "3", "--enhet", FHE,
                       "--kostnadsslag", ENTR, "--belopp-tkr", "700", "--kommentar", "SiS väntas", "--av", "Anna")[0] == 0
        else:
            assert run(capsysbinary, "prognos-frys", "--db", db, "--år", "2024", "--månad", "5")[0] == 0
    with Store(db) as s:
        frozen_may = __import__("iof.pipeline.prognosis", fromlist=["x"]).load_snapshot(s, 2024, 5).lines
        assert load_demo(s, seed=1, today=date(2026, 11, 23), freeze_history=False).ok
    _, after, _ = run(capsysbinary, "report", "prognossäkerhet", "--db", db, "--år", "2024", "--enhet", FHE)
    month = lambda t, m: t.filter(pl.col("månad") == m).row(0, named=True)  # noqa: E731
    assert month(after, 3)["källa"] == "omräknad"
    assert month(after, 5)["källa"] == "fryst"
    may_net = frozen_may.filter(pl.col("unit") == FHE)
    sign = pl.when(pl.col("cost_type").str.contains("intäkt|Taxor|Bidrag|Försäljning")).then(-1).otherwise(1)
    assert month(after, 5)["prognos_tkr"] == pytest.approx(may_net.select((pl.col("prognos_tkr") * sign).sum()).item(), abs=0.01)
    with Store(db) as s:
        from iof.pipeline import prognosis as fs

        adj = fs.adjustments(s, 2024, 3)
        recomputed = fs.compute(s, 2024, 3).lines.filter(pl.col("unit") == FHE)
    assert adj["amount_tkr"].cast(pl.Float64).to_list() == [700.0]
    assert recomputed.filter(pl.col("cost_type") == ENTR)["adjustment_tkr"][0] == 700.0
