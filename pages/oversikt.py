"""IoF-översikt: every unit's prognosis against budget, the KPIs against target, the year's path."""

import streamlit as st

from iof.core import domain
from iof.present import dashboard, fmt
from iof.web import actions, frame, nav, session, views, widgets

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

year, month = ctx.year, ctx.month
st.title("IoF-översikt")
st.caption(f"Helårsprognos {year} efter utfall t.o.m. {fmt.year_month(year, month)}")

ov = views.overview(year, month)
total = ov.filter(ov["enhet"] == domain.IOF_TOTAL).row(0, named=True)

c1, c2, c3, c4 = st.columns(4)
c1.metric("Budget netto", fmt.mnkr(total["budget_tkr"]))
c2.metric("Helårsprognos netto", fmt.mnkr(total["prognos_tkr"]),
          help="80 % intervall: helårsprognosen hamnar i intervallet 8 gånger av 10 enligt tidigare års prognosfel.")
if total["intervall_låg_tkr"] is not None:
    c2.caption(f"80 % intervall {dashboard.interval_text(total['intervall_låg_tkr'], total['intervall_hög_tkr'])}")
c3.metric("Avvikelse", fmt.amount(total["avvikelse_tkr"], True), **widgets.delta_style(total["förändring_tkr"]),
          help="Pilen visar förändringen sedan förra månadens prognos (upp = bättre).")
c4.metric("Utfall hittills", fmt.mnkr(total["utfall_tkr"]))

st.subheader("Enheterna")
st.caption("Belopp i mnkr. Positiv avvikelse = överskott. Status: underskott/överskott när avvikelsen är större "
           f"än {fmt.number(dashboard.status_limit_pct(), 1)} % av budgeten. Klicka på en enhets namn för att "
           "gå till enheten (samma månad).")
widgets.overview_table(year, month)
widgets.plot(views.overview_deviation(year, month), key="avvikelse_per_enhet")

st.subheader("Största underskotten per kostnadsslag")
st.caption("Välj en rad för att se vad som förklarar avvikelsen: placeringarna eller personalen bakom den.")
top, top_shown = views.largest_deviations(year, month)
picked = widgets.table(top_shown, on_select="rerun",
                      selection_mode="single-row", key="storsta_avvikelser")
if picked is not None and picked.selection.rows:
    r = top.row(picked.selection.rows[0], named=True)
    st.switch_page(nav.named_page("avvikelse"),
                   query_params={"enhet": r["enhet"], "kostnadsslag": r["kostnadsslag"], "från": "oversikt"})

st.subheader("Verksamhetsplanens mål, hela IoF")
widgets.kpi_tiles(views.overview_kpi_tiles(year, month, session.small_threshold(None),
                                         tuple(sorted(session.principal().units))),
                  year, month)

st.subheader("Prognosen under året")
fig, shown_units = views.overview_history(year, month)
if shown_units is not None:
    st.caption(f"IoF totalt och de {len(shown_units) - 1} enheter vars avvikelse är störst i den senaste prognosen; "
               "alla enheter finns i tabellen ovan och på enheternas sidor.")
widgets.plot(fig, key="prognos_under_aret")

st.subheader("Exportera")
st.caption("Diagrammen kan sparas som bild (PNG) med kameraikonen uppe till höger i varje diagram.")
actions.export_buttons(year, month)

st.subheader("Prognosrundan: lämnad per enhet")
actions.round_status(year, month)

st.subheader("Frys månadens prognos")
actions.freeze_section(year, month)
