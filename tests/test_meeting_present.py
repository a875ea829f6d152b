"""The meeting's figures and files without a browser: the bridge chart, the workbook's bridge."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from iof.present import charts, dashboard
from tests.test_analysis_text import NB, bridge_row, table


def test_waterfall_is_horizontal_and_hover_shows_each_drivers_own_change():
    row = bridge_row(nya_placeringar=535.0, efter_sammanbrott=284.0, förväntat_intag=-534.0, personal=-304.0,
                     övrigt=3.0)
    fig = charts.waterfall(row)
    tr = fig.data[0]
    assert tr.orientation == "h"
    assert list(tr.y) == ["Nya placeringar", "Placeringar efter sammanbrott", "Förväntat intag av nya placeringar",
                          "Personalkostnader", "Övriga poster", "Förändring totalt"]
    # hover and bar text: the driver's own change, never the running total
    assert list(tr.customdata) == [f"+535{NB}tkr", f"+284{NB}tkr", f"−534{NB}tkr", f"−304{NB}tkr", f"+3{NB}tkr",
                                   f"−16{NB}tkr"]
    assert "%{customdata}" in tr.hovertemplate and "%{x}" not in tr.hovertemplate
    assert "tkr" in fig.layout.xaxis.title.text
    assert fig.layout.height >= 380


def test_waterfall_of_a_large_unit_is_in_mnkr():
    fig = charts.waterfall(bridge_row(nya_placeringar=2500.0, personal=-300.0))
    assert "mnkr" in fig.layout.xaxis.title.text
    assert list(fig.data[0].x) == [2.5, -0.3, 2.2]


def test_workbook_bridge_sheet_groups_like_the_page():
    from iof.present import exports
    import polars as pl

    row = bridge_row(nya_placeringar=800.0, personal=-300.0, förväntade_avslut=10.0) | {"enhet": "X"}
    br = pl.DataFrame([row])
    t = table("X", {"Övriga kostnader": -300.0})
    ov = dashboard.overview(t, None, limit_pct=1.0)
    adj = pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64,
                               "comment": pl.String, "created_by": pl.String, "created_at": pl.Datetime})
    data = exports.prognosis_workbook(t, ov, br, {"X": "text"}, adj, 2026, 10, True)
    wb = load_workbook(io.BytesIO(data))
    assert "Brygga" in wb.sheetnames and "Brygga, alla poster" in wb.sheetnames
    ws = wb["Brygga"]
    posts = [ws.cell(row=r, column=2).value for r in range(5, 11)]
    assert posts == ["Förra månadens prognos", "Nya placeringar", "Personalkostnader",
                     "Övriga poster (inkl. 1 mindre)", "Förändring totalt", "Denna månads prognos"]
    assert ws.cell(row=8, column=3).value == 10.0 and ws.cell(row=8, column=4).value == f"+10{NB}tkr"


def test_workbook_summary_has_the_prognosis_with_its_interval():
    from iof.present import exports
    import polars as pl

    t = table("X", {"Övriga kostnader": -300.0}).with_columns(
        intervall_låg_tkr=pl.when(pl.col("kostnadsslag") == "Netto").then(45_900.0),
        intervall_hög_tkr=pl.when(pl.col("kostnadsslag") == "Netto").then(48_600.0),
        prognos_tkr=pl.when(pl.col("kostnadsslag") == "Netto").then(47_200.0).otherwise(pl.col("prognos_tkr")),
    )
    ov = dashboard.overview(t, None, limit_pct=1.0)
    adj = pl.DataFrame(schema={"unit": pl.String, "cost_type": pl.String, "amount_tkr": pl.Float64,
                               "comment": pl.String, "created_by": pl.String, "created_at": pl.Datetime})
    wb = load_workbook(io.BytesIO(exports.prognosis_workbook(t, ov, None, {"X": "t"}, adj, 2026, 10, False)))
    ws = wb["Sammanfattning"]
    assert ws.cell(row=4, column=9).value == "Helårsprognos med 80 % intervall"
    assert ws.cell(row=5, column=9).value == f"47,2{NB}mnkr, 80{NB}% intervall 45,9–48,6"


def test_the_apt_bridge_uses_the_plain_words():
    """APT's waterfall names the drivers in plain Swedish (issue 12 item 7), not the model's terms."""
    from iof.present.dashboard import DRIVER_LABELS, PLAIN_DRIVER_LABELS

    row = bridge_row(nya_placeringar=300.0, personal=-200.0)
    plain = charts.waterfall(row, PLAIN_DRIVER_LABELS, big=True).data[0].y
    model = charts.waterfall(row).data[0].y
    assert "Nya placeringar" in model and "Personalkostnader" in model
    assert "Personal" in plain and "Personalkostnader" not in plain
    assert set(PLAIN_DRIVER_LABELS) == set(DRIVER_LABELS)
