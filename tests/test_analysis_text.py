"""The analysis text's rules, one hand-written case each (issue 12 item 2).

Rules (iof.present.dashboard.analysis_text): the main lines/drivers are those in the direction of the
deviation/change; a large line pulling the other way is named "delvis motverkat av"; amounts under
0,1 mnkr in tkr; a change of zero is "oförändrad"; adjustments pulling the same way and half or
more of the deviation are said to dominate; every amount is one shown on the page.
"""

from __future__ import annotations

import re

import polars as pl

from iof.compute.bridge import DRIVERS
from iof.present import dashboard, fmt

NB = "\u00a0"


def table(unit: str, lines: dict[str, float], budget: float = 10_000.0, adj: float = 0.0) -> pl.DataFrame:
    """A prognos table for one unit: lines' avvikelse (positive = favourable), Netto = their sum."""
    avv = sum(lines.values())
    rows = [{"enhet": unit, "kostnadsslag": k, "budget_tkr": 1000.0, "prognos_tkr": 1000.0 - v,
             "avvikelse_tkr": v, "justering_tkr": 0.0, "utfall_tkr": 500.0, "modell_tkr": 1000.0 - v, "metod": "takt"}
            for k, v in lines.items()]
    rows.append({"enhet": unit, "kostnadsslag": "Netto", "budget_tkr": budget, "prognos_tkr": budget - avv,
                 "avvikelse_tkr": avv, "justering_tkr": adj, "utfall_tkr": 500.0,
                 "modell_tkr": budget - avv - adj, "metod": None})
    return pl.DataFrame(rows)


def bridge_row(**drivers: float) -> dict:
    row = {k: 0.0 for k in DRIVERS}
    row.update({f"{k}_tkr": v for k, v in drivers.items()})
    change = sum(row[k] for k in DRIVERS)
    return row | {"prognos_föregående_tkr": 10_000.0, "prognos_ny_tkr": 10_000.0 + change, "förändring_tkr": change}


def amounts(text: str) -> list[str]:
    return re.findall(r"[+−]?\d[\d\u00a0]*(?:,\d)?\u00a0(?:tkr|mnkr)", text)


def test_small_unit_speaks_in_tkr_never_zero_mnkr():
    # Familjerätt-like: +35 tkr change, small lines; the old text said "ökat med 0,0 mnkr"
    t = table("Familjerätt", {"Personalkostnader": 60.0, "Övriga kostnader": -20.0})
    text = dashboard.analysis_text("Familjerätt", t, bridge_row(personal=30.0, övrigt=5.0), 2026, 10)
    assert not re.search(r"(?<![\d\u00a0])[−+]?0,0\u00a0mnkr", text), text
    assert f"överskott på 40{NB}tkr" in text
    assert f"ökat med 35{NB}tkr" in text
    assert f"personalkostnader (+60{NB}tkr)" in text
    assert f"personalkostnader (+30{NB}tkr)" in text  # the driver, as the bridge's bar says


def test_main_drivers_go_the_way_of_the_change_and_an_offset_is_named():
    # an increase of 0,8 mnkr: the intake pulling the other way (−0,4) is not a main reason
    row = bridge_row(nya_placeringar=1000.0, personal=200.0, förväntat_intag=-400.0)
    t = table("Barn och ungdom", {"Entreprenader och köp av verksamhet": -2000.0, "Personalkostnader": 1900.0,
                                  "Övriga kostnader": -1600.0})
    text = dashboard.analysis_text("Barn och ungdom", t, row, 2026, 10)
    change = text[text.index("Sedan förra"):]
    assert "främst genom nya placeringar (+1,0" in change and "personalkostnader (+0,2" in change
    assert change.index("delvis motverkat av förväntat intag") > change.index("främst genom")
    # the deviation: −1,7 mnkr; the two lines pulling that way are named, the large opposite line as an offset
    dev = text[: text.index("Sedan förra")]
    assert "underskott på 1,7" in dev
    assert ("förklaras främst av entreprenader och köp av verksamhet (−2,0" in dev
            and "och övriga kostnader (−1,6" in dev)
    assert "delvis motverkat av personalkostnader (+1,9" in dev


def test_small_offset_is_not_named():
    row = bridge_row(nya_placeringar=1000.0, förväntat_intag=-100.0)  # 100 < 25 % of 900
    text = dashboard.analysis_text("X", table("X", {"Övriga kostnader": -900.0}), row, 2026, 10)
    assert "motverkat" not in text


def test_a_change_of_exactly_zero_is_unchanged():
    row = bridge_row(nya_placeringar=500.0, förväntat_intag=-500.0)
    text = dashboard.analysis_text("X", table("X", {"Övriga kostnader": -300.0}), row, 2026, 10)
    assert "Prognosen är oförändrad sedan förra månaden" in text
    assert "tar ut varandra" in text and "ökat" not in text and "minskat" not in text
    text = dashboard.analysis_text("X", table("X", {"Övriga kostnader": -300.0}), bridge_row(), 2026, 10)
    assert text.endswith("Prognosen är oförändrad sedan förra månaden.")


def test_a_deviation_of_zero_is_in_line_with_budget():
    text = dashboard.analysis_text("X", table("X", {"Övriga kostnader": 0.2}), None, 2026, 10)
    assert "i nivå med budget" in text and "förklaras" not in text


def test_adjustments_dominating_are_said_to_dominate():
    # a +1 200 tkr adjustment (more cost) behind an underskott of 1 500 tkr
    t = table("X", {"Entreprenader och köp av verksamhet": -1500.0}, adj=1200.0)
    text = dashboard.analysis_text("X", t, bridge_row(justeringar=1200.0, personal=-100.0), 2026, 10)
    assert f"Största delen av underskottet kommer från chefens justeringar på +1,2{NB}mnkr netto" in text
    assert "främst genom chefens justeringar (+1,2" in text
    # a small adjustment is only mentioned
    t = table("X", {"Entreprenader och köp av verksamhet": -1500.0}, adj=200.0)
    text = dashboard.analysis_text("X", t, None, 2026, 10)
    assert f"I prognosen ingår chefens justeringar på +0,2{NB}mnkr netto." in text


def test_every_amount_in_the_text_is_shown_on_the_page():
    row = bridge_row(nya_placeringar=1700.0, efter_sammanbrott=300.0, personal=-450.0, övrigt=12.0,
                     förväntade_avslut=3.0)
    t = table("X", {"Entreprenader och köp av verksamhet": -2500.0, "Personalkostnader": 700.0,
                    "Försäljning": 40.0}, adj=0.0)
    text = dashboard.analysis_text("X", t, row, 2026, 10)
    view = dashboard.bridge_view(row)
    n = t.filter(pl.col("kostnadsslag") == "Netto").row(0, named=True)
    on_page = {s["text"] for s in view["steps"]} | {view["change_text"], view["change_abs_text"]}
    on_page |= {fmt.amount(v, True) for v in t["avvikelse_tkr"]} | {fmt.amount(abs(n["avvikelse_tkr"]))}
    on_page |= {fmt.mnkr(n["prognos_tkr"]), fmt.mnkr(n["budget_tkr"])}
    found = amounts(text)
    assert found and set(found) <= on_page, set(found) - on_page


def test_bridge_view_groups_small_drivers_and_picks_the_unit():
    row = bridge_row(nya_placeringar=800.0, personal=-300.0, förväntade_avslut=10.0, avslutade_placeringar=-4.0,
                     övrigt=20.0)
    view = dashboard.bridge_view(row)
    assert view["unit"] == "tkr"
    labels = [s["label"] for s in view["steps"]]
    assert labels == ["Nya placeringar", "Personalkostnader", "Övriga poster (inkl. 2 mindre)"]
    assert view["steps"][-1]["tkr"] == 26.0 and view["steps"][-1]["text"] == f"+26{NB}tkr"
    assert sum(s["tkr"] for s in view["steps"]) == row["förändring_tkr"]
    big = dashboard.bridge_view(bridge_row(nya_placeringar=2500.0, personal=-300.0))
    assert big["unit"] == "mnkr" and big["steps"][0]["text"] == f"+2,5{NB}mnkr"
