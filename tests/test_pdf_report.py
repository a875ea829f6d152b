"""The month report as a PDF (issue 12 item 9): it opens, holds the unit's numbers, stays under 1 MB."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest
from pypdf import PdfReader

from iof.present import dashboard, fmt, pdf_report

NB = "\u00a0"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    from iof.compute.bridge import bridge
    from iof.compute.forecast import ForecastParams, prognos_table
    from iof.compute.scorecard import scorecard
    from iof.pipeline import prognosis as pr
    from iof.pipeline.importer import load_demo
    from iof.store.db import Store

    path = tmp_path_factory.mktemp("pdf") / "demo.duckdb"
    with Store(path) as s:
        assert load_demo(s, today=date(2026, 11, 23)).ok
        a, _ = pr.prognosis(s, 2026, 9)
        b, _ = pr.prognosis(s, 2026, 10)
        br = bridge(a, b, ForecastParams.from_config(), s.placements())
        t = prognos_table(b.lines, interval=b.interval)
        ov = dashboard.overview(t, prognos_table(a.lines), limit_pct=1.0)
        sc = scorecard(s.placements(), s.cases(), s.staffing(), 2026, 10)
    return t, ov, br, sc


def _report(month, unit: str) -> tuple[bytes, dict]:
    t, ov, br, sc = month
    row = br.filter(pl.col("enhet") == unit).row(0, named=True)
    text = dashboard.analysis_text(unit, t, row, 2026, 10)
    kpis = (dashboard.tiles_display(dashboard.kpi_tiles(sc, kpis=tuple(dashboard.KPI_LABELS), threshold=5))
            if unit == "IoF totalt" else dashboard.unit_kpis_display(sc, unit, 5))
    data = pdf_report.month_report_pdf(unit, 2026, 10, text, ov, t, row, kpis, True,
                                       comments=["Två HVB-placeringar ses över före december."])
    return data, ov.filter(pl.col("enhet") == unit).row(0, named=True)


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).replace(NB, " ").split())


@pytest.mark.parametrize("unit", ["Familjehemsenheten", "Familjerätt", "IoF totalt"])
def test_the_pdf_opens_and_holds_the_units_numbers(month, unit):
    data, r = _report(month, unit)
    assert data.startswith(b"%PDF") and len(data) < 1_000_000
    text = _text(data)
    assert f"{unit} – ekonomin efter oktober 2026" in text
    for value in (fmt.mnkr(r["budget_tkr"]), fmt.mnkr(r["prognos_tkr"]), fmt.amount(r["avvikelse_tkr"], True)):
        assert value.replace(NB, " ") in text, value
    assert dashboard.interval_text(r["intervall_låg_tkr"], r["intervall_hög_tkr"]).replace(NB, " ") in text
    assert "Varför prognosen ändrats sedan förra månaden" in text and "Förändring totalt" in text
    assert "Prognos per kostnadsslag" in text and "Mål i verksamhetsplanen" in text
    assert "Demodata" in text and "Två HVB-placeringar" in text
    if unit == "IoF totalt":
        assert "Familjehemsenheten" in text and "Barn och ungdom" in text  # the units' table


def test_without_dejavu_the_core_font_still_writes_the_report(month, monkeypatch):
    monkeypatch.setattr(pdf_report, "_font_files", lambda: None)
    data, r = _report(month, "Familjehemsenheten")
    text = _text(data)
    assert "Familjehemsenheten" in text and fmt.mnkr(r["prognos_tkr"]).replace(NB, " ") in text
