"""The trend reports through the command line on demo data: contract columns, CSV and xlsx."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iof.cli.main import main
from iof.pipeline.importer import load_demo
from iof.store.db import Store

CONTRACT_MATT = {
    "placerade_barn", "sammanbrott", "barn_i_konsulentstött_jourhem", "vårddygn", "snittkostnad_per_dygn_kr",
    "förhandsbedömning_andel_inom_gräns", "utredning_median_dagar", "utredning_andel_inom_gräns",
    "sjukfrånvaro_pct", "ärenden_per_handläggare",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("trend") / "demo.duckdb"
    with Store(path) as store:
        assert load_demo(store, today=date(2026, 1, 15)).ok
    return str(path)


def _csv(capsysbinary, *argv) -> pl.DataFrame:
    assert main(list(argv)) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Swedish Excel
    return pl.read_csv(data[3:], separator=";", infer_schema=False)


def test_trender_csv(db, capsysbinary):
    r = _csv(capsysbinary, "report", "trender", "--db", db, "--från", "2025-01", "--till", "2025-12")
    assert r.columns[:4] == ["enhet", "månad", "mått", "värde"]
    assert CONTRACT_MATT <= set(r["mått"].to_list())
    assert r["månad"].unique().sort().to_list() == [f"2025-{m:02d}" for m in range(1, 13)]
    counts = r.filter(pl.col("mått") == "placerade_barn")["värde"]
    assert counts.str.contains(",").sum() == 0  # counts are whole numbers: 14, not 14,0
    fhe = r.filter((pl.col("enhet") == "Familjehemsenheten") & (pl.col("mått") == "placerade_barn"))
    assert all(30 <= int(v) <= 120 for v in fhe["värde"])  # the seeds: 48 + 19 children at the turn of the year


def test_trender_one_unit_and_errors_in_swedish(db, capsysbinary):
    r = _csv(capsysbinary, "report", "trender", "--db", db, "--från", "2025-11", "--till", "2025-12",
             "--enhet", "Familjehemsenheten")
    assert set(r["enhet"]) == {"Familjehemsenheten"}
    assert main(["report", "trender", "--db", db, "--från", "2025-13", "--till", "2025-12"]) == 2
    assert "ÅÅÅÅ-MM" in capsysbinary.readouterr().err.decode()
    assert main(["report", "trender", "--db", db, "--från", "2025-01", "--till", "2025-02", "--enhet", "Okänd"]) == 2
    assert "finns inte" in capsysbinary.readouterr().err.decode()


def test_lists_and_xlsx(db, capsysbinary, tmp_path):
    h = _csv(capsysbinary, "report", "handläggningstider", "--db", db, "--från", "2025-10", "--till", "2025-12")
    assert {"Förhandsbedömning", "Utredning"} <= set(h["ärendetyp"])
    lista = _csv(capsysbinary, "report", "ärenden-över-gräns", "--db", db, "--datum", "2025-12-31")
    assert set(lista["status"]) <= {"passerad", "passerar inom 14 dagar"}
    j = _csv(capsysbinary, "report", "jourhem", "--db", db, "--datum", "2025-12-31")
    assert all(int(v) > 60 for v in j["dagar_i_jourhem"])
    for kind, extra in (("jourhem", ["--datum", "2025-12-31"]), ("trender", ["--från", "2025-01", "--till", "2025-03"]),
                        ("handläggningstider", ["--från", "2025-01", "--till", "2025-03"]),
                        ("målstatus", ["--år", "2025", "--månad", "12"])):
        out = tmp_path / f"{kind}.xlsx"
        assert main(["report", kind, "--db", db, "--format", "xlsx", "--out", str(out), *extra]) == 0
        frame = pl.read_excel(out)
        assert frame.height > 0 or kind == "jourhem"
    card = pl.read_excel(tmp_path / "målstatus.xlsx")
    assert set(card["status"]) <= {"på väg", "risk", "ej uppnått", "saknar underlag"}
