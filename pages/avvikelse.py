"""Vad förklarar avvikelsen: from a kostnadsslag's deviation (unit page, overview) to a ranked list of
what is behind it — the placements by their cost this year, or the staff line's months — with the
unit, kostnadsslag and origin in the URL (?enhet=&kostnadsslag=&från=) and a way back."""

import streamlit as st

from iof.core import config, domain
from iof.present import avvikelse as view, dashboard, fmt
from iof.web import frame, loaders, nav, widgets

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead
year, month = ctx.year, ctx.month
qp = st.query_params
unit = qp.get("enhet") or domain.IOF_TOTAL
cost_type = qp.get("kostnadsslag")
origin = qp.get("från") or "oversikt"

back = nav.page_by_key(origin)
back_label = nav.unit_of_slug(origin) or {"oversikt": "IoF-översikt"}.get(origin, "föregående sida")
if back is not None:
    st.page_link(back, label=f"Tillbaka till {back_label}", icon=":material/arrow_back:")

table = loaders.prognos_table(year, month)
line = table.filter((table["enhet"] == unit) & (table["kostnadsslag"] == (cost_type or "")))
if cost_type is None or line.is_empty():
    st.title("Vad förklarar avvikelsen")
    st.info("Välj ett kostnadsslag på en enhets sida eller i översikten för att se vad som förklarar avvikelsen.")
    st.stop()

r = line.row(0, named=True)
st.title(f"{cost_type} – {unit}")
st.caption(f"Helårsprognos {year} efter utfall t.o.m. {fmt.year_month(year, month)}. "
           "Avvikelse = budget − prognos (positivt = överskott).")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Budget", fmt.mnkr(r["budget_tkr"]))
c2.metric("Utfall hittills", fmt.mnkr(r["utfall_tkr"]))
c3.metric("Helårsprognos", fmt.mnkr(r["prognos_tkr"]))
c4.metric("Avvikelse", fmt.amount(r["avvikelse_tkr"], True))

scope = None if unit == domain.IOF_TOTAL else unit
target = dashboard.drill_target(cost_type, config.load())
if target == "placeringar":
    st.subheader("Placeringarna bakom linjen, störst kostnad i år först")
    summary = loaders.placements_behind_summary(year, month, scope, cost_type)
    st.markdown(view.placement_sentence(summary, r["prognos_tkr"], cost_type))
    widgets.detail_note(scope)
    ranked = loaders.placements_behind(year, month, scope, cost_type)
    if ranked.height:
        widgets.table(view.placements_display(ranked), key="avvikelse_placeringar")
    st.page_link(nav.named_page("placeringar"), label="Alla placeringar för enheten", icon=":material/home:",
                 query_params={"enhet": scope} if scope else None)
elif target == "personal":
    st.subheader("Månaderna på linjen, sämst först")
    st.caption("Avvikelse = månadens budget − utfall (negativt = dyrare än budget). Vakanser sänker kostnaden, "
               "konsulter höjer den. Åa = årsarbetare.")
    widgets.table(view.staff_display(loaders.staff_months(year, month, scope, cost_type)),
                 key="avvikelse_personal")
    st.page_link(nav.named_page("personal"), label="Personal för enheten", icon=":material/badge:",
                 query_params={"enhet": scope} if scope else None)
else:
    st.info(f"{cost_type} har ingen detaljnivå i underlaget; prognosen görs enligt metod: "
            f"{r.get('metod') or 'takt'}.")
