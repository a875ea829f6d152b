"""Handläggningstider: per ärendetyp and month closed, median and 90th percentile days and share
within the limit, against the limit; and the open ärenden past or near their limit (the action list)."""

import streamlit as st

from iof.present import fmt
from iof.core import domain
from iof.web import frame, loaders, session, views, widgets
from iof.present import verksamhet as vd
from iof.core.config import load as load_config
from iof.core.periods import month_end

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

year, month = ctx.year, ctx.month
day = month_end(year, month)
st.title("Handläggningstider")
st.caption(f"Avslutade ärenden de 12 månaderna t.o.m. {fmt.year_month(year, month)}; öppna ärenden den {fmt.day(day)}.")

c1, c2 = st.columns([1, 2])
with c1:
    unit = widgets.unit_filter()
with c2:
    types = tuple(st.multiselect("Ärendetyp", domain.CASE_TYPES, key="ärendetyp", placeholder="Alla ärendetyper"))
scope = unit or domain.IOF_TOTAL
all_units = unit is None
hidden = session.detail_hidden(unit)  # lists limited by role: an empty list is not 'none'
warn = load_config().target_rules.warning_days

monthly = loaders.processing(unit, types, year, month)
passed, soon = loaders.open_deadlines(unit, types, day)

st.subheader(f"Det här kräver åtgärd ({fmt.day(day)})")
st.caption(f"Öppna ärenden som redan passerat sin gräns och de som passerar den inom {warn} dagar. "
           "Ärende-id är pseudonymer. Sista dag inom gränsen = från-datum + gränsen (”inom” betyder ≤).")
c1, c2 = st.columns(2)
n_passed, n_soon = loaders.count_open_deadlines(unit, types, day)
c1.metric("Över gränsen", fmt.count(n_passed))
c2.metric(f"Passerar inom {warn} dagar", fmt.count(n_soon))
widgets.detail_note(unit)
st.markdown("**Redan över gränsen**")
if passed.is_empty():
    if not hidden:  # a list limited by role is not an empty one
        st.success("Inga öppna ärenden har passerat sin gräns.")
else:
    widgets.table(vd.deadlines_display(passed, all_units), key="over_gransen")
st.markdown(f"**Passerar gränsen inom {warn} dagar**")
if soon.is_empty():
    if not hidden:  # a list limited by role is not an empty one
        st.success(f"Inga öppna ärenden passerar sin gräns inom {warn} dagar.")
else:
    widgets.table(vd.deadlines_display(soon, all_units), key="passerar_snart")

st.subheader(f"Avslutade i {fmt.year_month(year, month)}")
if monthly.is_empty():
    st.info(f"{scope} har inga avslutade ärenden{' av de valda typerna' if types else ''} under de 12 månaderna.")
    st.stop()
this_month = vd.processing_month_display(monthly, day.replace(day=1))
if this_month.is_empty():
    st.info(f"{scope} avslutade inga ärenden{' av de valda typerna' if types else ''} i {fmt.year_month(year, month)}.")
else:
    st.caption("Median och 90:e percentil i hela dagar (närmaste rang). Exakta antal; få ärenden i en månad ger "
               "osäkra mått. Ärendetyper utan lagstadgad gräns visas med median.")
    widgets.table(this_month, key="handlaggning_manad")

st.subheader("Mot gränsen, månad för månad")
st.caption("Gränser i månader räknas i kalendermånader från från-datumet; linjen i diagrammet visar ungefär "
           "hur många dagar det blir.")
share_fig, *limit_figs = views.processing_figures(unit, types, year, month)
widgets.plot(share_fig, key="andel_inom_grans")
cols = st.columns(2)
for i, fig in enumerate(limit_figs):
    with cols[i % 2]:
        widgets.plot(fig, key=f"tid_{i}")
with st.expander("Alla månader i tabellform"):
    widgets.table(vd.processing_monthly_display(monthly))
