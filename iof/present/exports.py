"""Files people take away: the month's prognosis as a formatted Excel workbook (T1/T2/VB), and a
printable month report for APT. Pure Python: frames in, bytes/str out (no Streamlit)."""

from __future__ import annotations

import html
import io

import plotly.graph_objects as go
import polars as pl

from iof.core.spreadsheet import workbook
from iof.present import fmt
from iof.core.domain import IOF_TOTAL, NET

_MONEY_COLS = {
    "budget_tkr": "Budget, tkr",
    "utfall_tkr": "Utfall hittills, tkr",
    "modell_tkr": "Modell, tkr",
    "justering_tkr": "Justering, tkr",
    "prognos_tkr": "Helårsprognos, tkr",
    "avvikelse_tkr": "Avvikelse, tkr",
}


def prognosis_workbook(
    table: pl.DataFrame,
    overview: pl.DataFrame,
    bridge: pl.DataFrame | None,
    texts: dict[str, str],
    adjustments: pl.DataFrame,
    year: int,
    month: int,
    is_demo: bool,
) -> bytes:
    """The month's prognosis for all units: Sammanfattning, Per kostnadsslag, Brygga, Analys, Justeringar."""
    buf = io.BytesIO()
    wb = workbook(buf)  # unit names and comments are written as text, never as formulas
    title = wb.add_format({"bold": True, "font_size": 14})
    note = wb.add_format({"italic": True, "font_color": "#8a5300"})
    head = wb.add_format({"bold": True, "bg_color": "#e8eef6", "border": 1, "text_wrap": True, "valign": "top"})
    money = wb.add_format({"num_format": "#,##0.0;[Red]-#,##0.0", "border": 1})
    money_bold = wb.add_format({"num_format": "#,##0.0;[Red]-#,##0.0", "border": 1, "bold": True})
    pct = wb.add_format({"num_format": "0.0%;[Red]-0.0%", "border": 1})
    text = wb.add_format({"border": 1})
    text_bold = wb.add_format({"border": 1, "bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    period = fmt.year_month(year, month)
    demo = "DEMODATA – påhittade uppgifter. " if is_demo else ""

    # Sammanfattning
    ws = wb.add_worksheet("Sammanfattning")
    ws.write(0, 0, f"Helårsprognos {year} efter utfall t.o.m. {period}", title)
    ws.write(1, 0, demo + "Positiv avvikelse = överskott. Belopp i tkr, netto (kostnader − intäkter).", note)
    cols = [("enhet", "Enhet"), ("budget_tkr", "Budget, tkr"), ("utfall_tkr", "Utfall hittills, tkr"),
            ("prognos_tkr", "Helårsprognos, tkr"), ("avvikelse_tkr", "Avvikelse, tkr"),
            ("avvikelse_pct", "Avvikelse, %"), ("förändring_tkr", "Förändring sedan förra månaden, tkr"),
            ("status", "Status"), ("prognos_intervall", "Helårsprognos med 80 % intervall")]
    from iof.present.dashboard import prognosis_with_interval

    for j, (_, label) in enumerate(cols):
        ws.write(3, j, label, head)
    for i, r in enumerate(overview.iter_rows(named=True), start=4):
        bold = r["enhet"] == IOF_TOTAL
        for j, (key, _) in enumerate(cols):
            v = r.get(key)
            if key == "prognos_intervall":
                ws.write(i, j, prognosis_with_interval(r["prognos_tkr"], r.get("intervall_låg_tkr"),
                                                       r.get("intervall_hög_tkr")), text_bold if bold else text)
            elif key == "avvikelse_pct":
                ws.write_number(i, j, v / 100, pct) if v is not None else ws.write_blank(i, j, None, pct)
            elif key.endswith("_tkr"):
                fmt_ = money_bold if bold else money
                ws.write_number(i, j, v, fmt_) if v is not None else ws.write_blank(i, j, None, fmt_)
            else:
                ws.write(i, j, v, text_bold if bold else text)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 6, 16)
    ws.set_column(7, 7, 12)
    ws.set_column(8, 8, 40)
    ws.freeze_panes(4, 1)

    # Per kostnadsslag
    ws = wb.add_worksheet("Per kostnadsslag")
    ws.write(0, 0, f"Prognos per enhet och kostnadsslag, {period}", title)
    ws.write(1, 0, demo + "Modell = beräknad prognos; Justering = chefens kommenterade justeringar.", note)
    headers = ["Enhet", "Kostnadsslag", *_MONEY_COLS.values(), "Metod"]
    for j, label in enumerate(headers):
        ws.write(3, j, label, head)
    for i, r in enumerate(table.iter_rows(named=True), start=4):
        bold = r["kostnadsslag"] == NET
        ws.write(i, 0, r["enhet"], text_bold if bold else text)
        ws.write(i, 1, r["kostnadsslag"], text_bold if bold else text)
        for j, key in enumerate(_MONEY_COLS, start=2):
            ws.write_number(i, j, r.get(key) or 0.0, money_bold if bold else money)
        ws.write(i, 2 + len(_MONEY_COLS), r.get("metod") or "", text)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 7, 15)
    ws.set_column(8, 8, 40)
    ws.freeze_panes(4, 2)
    ws.autofilter(3, 0, 3 + table.height, len(headers) - 1)

    # Brygga: per unit as on the page (drivers grouped, övrigt with its sum), then every driver
    ws = wb.add_worksheet("Brygga")
    ws.write(0, 0, f"Varför prognosen (netto) ändrats från föregående månad till {period}", title)
    ws.write(1, 0, demo + "Positivt = prognostiserad nettokostnad ökade. Posterna summerar till förändringen; "
             "små poster ingår i Övriga poster.", note)
    if bridge is not None and bridge.height:
        from iof.present.dashboard import bridge_view

        for j, label in enumerate(["Enhet", "Post", "Belopp, tkr", "Som på sidan"]):
            ws.write(3, j, label, head)
        i = 4
        for r in bridge.iter_rows(named=True):
            view = bridge_view(r)
            rows = [("Förra månadens prognos", view["start_tkr"], view["start_text"], True)]
            rows += [(s_["label"], s_["tkr"], s_["text"], False) for s_ in view["steps"]]
            rows += [("Förändring totalt", view["change_tkr"], view["change_text"], True),
                     ("Denna månads prognos", view["end_tkr"], view["end_text"], True)]
            for label, value, shown, bold in rows:
                ws.write(i, 0, r["enhet"], text_bold if r["enhet"] == IOF_TOTAL else text)
                ws.write(i, 1, label, text_bold if bold else text)
                ws.write_number(i, 2, value or 0.0, money_bold if bold else money)
                ws.write(i, 3, shown, text)
                i += 1
            i += 1
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 42)
        ws.set_column(2, 3, 16)
        ws.freeze_panes(4, 0)

        ws = wb.add_worksheet("Brygga, alla poster")
        ws.write(0, 0, f"Bryggans alla poster per enhet, {period} (tkr)", title)
        ws.write(1, 0, demo + "Positivt = prognostiserad nettokostnad ökade.", note)
        from iof.present.dashboard import DRIVER_LABELS

        names = {"prognos_föregående_tkr": "Förra månadens prognos", "prognos_ny_tkr": "Denna månads prognos",
                 "förändring_tkr": "Förändring totalt"} | {k: v[:1].upper() + v[1:] for k, v in DRIVER_LABELS.items()}
        keep = [c for c in bridge.columns if c.endswith("_tkr")]
        ws.write(3, 0, "Enhet", head)
        for j, c in enumerate(keep, start=1):
            ws.write(3, j, names.get(c, c) + ", tkr", head)
        for i, r in enumerate(bridge.iter_rows(named=True), start=4):
            bold = r["enhet"] == IOF_TOTAL
            ws.write(i, 0, r["enhet"], text_bold if bold else text)
            for j, c in enumerate(keep, start=1):
                ws.write_number(i, j, r[c] or 0.0, money_bold if bold else money)
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(keep), 15)
        ws.freeze_panes(4, 1)
    else:
        ws.write(3, 0, "Bryggan visas från februari (den jämför med föregående månads prognos).")

    # Analys
    ws = wb.add_worksheet("Analys")
    ws.write(0, 0, f"Analys till tertialrapporten, {period}", title)
    ws.write(1, 0, demo + "Texterna är genererade ur beräkningarna; varje siffra kommer från prognosen.", note)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 110)
    for i, (unit, t) in enumerate(texts.items(), start=3):
        ws.write(i, 0, unit, text_bold)
        ws.write(i, 1, t, wrap)
        ws.set_row(i, 75)

    # Justeringar
    ws = wb.add_worksheet("Justeringar")
    ws.write(0, 0, f"Chefens justeringar i prognosen för {period}", title)
    adj_cols = [("unit", "Enhet"), ("cost_type", "Kostnadsslag"), ("amount_tkr", "Belopp, tkr"),
                ("comment", "Kommentar"), ("created_by", "Av"), ("created_at", "När")]
    for j, (_, label) in enumerate(adj_cols):
        ws.write(2, j, label, head)
    for i, r in enumerate(adjustments.iter_rows(named=True), start=3):
        for j, (key, _) in enumerate(adj_cols):
            v = r[key]
            if key == "amount_tkr":
                ws.write_number(i, j, float(v), money)
            elif key == "created_at":
                ws.write(i, j, v.strftime("%Y-%m-%d %H:%M") if v else "", text)
            else:
                ws.write(i, j, v, text)
    ws.set_column(0, 1, 26)
    ws.set_column(2, 2, 14)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 5, 18)
    wb.close()
    return buf.getvalue()


def month_report_html(
    unit: str,
    year: int,
    month: int,
    analysis: str,
    overview_row: dict,
    figures: list[go.Figure],
    kpis: pl.DataFrame,
    is_demo: bool,
    note: str = "Visar bara summor; små antal och det de kan räknas fram ur visas inte.",
) -> str:
    """A printable month report for APT: one unit (or IoF totalt), aggregates only, A4 landscape."""
    period = fmt.year_month(year, month)
    figs = []
    for i, fig in enumerate(figures):
        figs.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"staticPlot": True}))
    kpi_rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in kpis.iter_rows()
    )
    kpi_head = "".join(f"<th>{html.escape(c)}</th>" for c in kpis.columns)
    demo = '<p class="demo">Demodata – påhittade uppgifter.</p>' if is_demo else ""
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(unit)} – {period}</title>
<style>
 @page {{ size: A4 landscape; margin: 14mm; }}
 body {{ font-family: 'Source Sans Pro', 'DejaVu Sans', Arial, sans-serif; color: #1f2937; }}
 h1 {{ font-size: 26px; margin: 0 0 6px; }} .demo {{ color: #8a5300; font-weight: bold; }}
 .lead {{ font-size: 18px; line-height: 1.45; }} .figs > div {{ page-break-inside: avoid; }}
 .nums {{ display: flex; gap: 40px; font-size: 18px; margin: 12px 0; }} .nums b {{ font-size: 26px; display: block; }}
 table {{ border-collapse: collapse; margin-top: 10px; }} td, th {{ border: 1px solid #cbd5e1; padding: 4px 10px; }}
 th {{ background: #e8eef6; text-align: left; }}
</style></head><body>
<h1>{html.escape(unit)} – ekonomin efter {period}</h1>{demo}
<p class="lead">{html.escape(analysis)}</p>
<div class="nums"><div>Budget<b>{fmt.mnkr(overview_row['budget_tkr'])}</b></div>
<div>Prognos för helåret<b>{fmt.mnkr(overview_row['prognos_tkr'])}</b></div>
<div>Avvikelse<b>{fmt.signed(overview_row['avvikelse_tkr'], 'mnkr')}</b></div></div>
<div class="figs">{''.join(figs)}</div>
<h2>Mål i verksamhetsplanen</h2><table><tr>{kpi_head}</tr>{kpi_rows}</table>
<p>{html.escape(note)}</p>
</body></html>"""
