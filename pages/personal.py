"""Personal: budgeted vs filled FTE, vacancies, consultants, sjukfrånvaro against target,
turnover over 12 months and ärenden per handläggare against the band, per unit and month."""

import streamlit as st

from iof.present import fmt
from iof.core import domain
from iof.web import frame, loaders, views, widgets
from iof.present import verksamhet as vd

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

year, month = ctx.year, ctx.month
st.title("Personal")
st.caption(f"Bemanning, sjukfrånvaro och ärendebelastning t.o.m. {fmt.year_month(year, month)} (24 månader).")

c1, _ = st.columns([1, 2])
with c1:
    unit = widgets.unit_filter()
scope = unit or domain.IOF_TOTAL

trend = loaders.staff_trend(unit, year, month)
if trend.is_empty():
    st.info(f"{scope} har inga bemanningsuppgifter för perioden.")
    st.stop()
now = trend.row(-1, named=True)
if (now["year"], now["month"]) != (year, month):
    st.warning(f"Bemanningsextraktet för {scope} går bara t.o.m. {fmt.year_month(now['year'], now['month'])}.")

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Bemannade åa", fmt.number(now["filled_fte"], 1), help=f"Budgeterade: {fmt.number(now['budgeted_fte'], 1)} åa")
c2.metric("Vakanta tjänster", fmt.number(now["vacancies"], 1),
          help=f"Konsulter: {fmt.number(now['consultant_fte'], 1)} åa")
c3.metric(f"Sjukfrånvaro {fmt.year_month(now['year'], now['month'])}", fmt.pct(now["sick_leave_pct"]),
          help=f"Mål: högst {fmt.pct(now['sick_leave_target_pct'])}; dag 1–14: {fmt.pct(now['sick_leave_short_pct'])} "
               f"(mål högst {fmt.pct(now['sick_leave_short_target_pct'])})")
c4.metric("Omsättning 12 mån", fmt.pct(now["turnover_12m_pct"]),
          help=f"{now['leavers_12m']} avgångar ÷ genomsnittligt bemannade åa ({now['months_in_window']} månader)")
c5.metric("Ärenden/handläggare", fmt.number(now["cases_per_caseworker"], 1),
          help=f"{now['open_cases']} aktuella ärenden ÷ {fmt.number(now['caseworker_fte'], 1)} handläggare (åa); "
               f"intervall {fmt.number(now['caseload_low'])}–{fmt.number(now['caseload_high'])}")

st.subheader(f"Enheterna i {fmt.year_month(year, month)}")
st.caption("Sjukfrånvaro = sjuktimmar ÷ avtalad arbetstid. Personalomsättning = avgångar de senaste 12 månaderna ÷ "
           "genomsnittligt bemannade årsarbetare. IoF totalt väger enheternas sjukfrånvaro med bemannade åa.")
units = loaders.staff_units(year, month)
if unit is not None:
    units = units.filter(units["unit"] == unit)
widgets.status_table(vd.staff_units_display(units), widgets.CASELOAD_PILL_COLOURS, "Läge", key="personal_enheter")

st.subheader(f"Utvecklingen, {scope}")
fig_fte, fig_gaps, fig_sick, fig_caseload, fig_turnover = views.staff_figures(unit, year, month)
left, right = st.columns(2)
with left:
    widgets.plot(fig_fte, key="personal_aa")
with right:
    widgets.plot(fig_gaps, key="personal_vakanser")
left, right = st.columns(2)
with left:
    widgets.plot(fig_sick, key="personal_sjuk")
with right:
    widgets.plot(fig_caseload, key="personal_arenden")
left, _ = st.columns(2)
with left:
    widgets.plot(fig_turnover, key="personal_omsattning")
with st.expander("Alla månader i tabellform"):
    widgets.table(vd.staff_monthly_display(trend))
