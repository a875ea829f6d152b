"""APT-läge: a unit's budget walkthrough for a projector — big charts, plain Swedish, aggregates only."""

import streamlit as st

from iof.present import charts, dashboard, fmt
from iof.core import config, domain
from iof.web import actions, frame, loaders, nav, session, views, widgets

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

year, month = ctx.year, ctx.month
table = loaders.prognos_table(year, month)
units = [u for u in table["enhet"].unique(maintain_order=True).to_list()]
unit = st.selectbox("Enhet", units, key="apt_enhet", bind="query-params")
threshold = config.load().small_count_threshold
widgets.apt_style()

st.title(f"{unit} – ekonomin efter {fmt.year_month(year, month)}")
bridge = loaders.bridge(year, month)
brow = bridge.filter(bridge["enhet"] == unit).row(0, named=True) if bridge is not None and unit in bridge["enhet"].to_list() else None
st.markdown(f"### {dashboard.analysis_text(unit, table, brow, year, month)}")

ov = loaders.overview(year, month)
r = ov.filter(ov["enhet"] == unit).row(0, named=True)
c1, c2, c3 = st.columns(3)
c1.metric("Budget", fmt.mnkr(r["budget_tkr"]))
c2.metric("Prognos för helåret", fmt.mnkr(r["prognos_tkr"]))
c3.metric("Avvikelse", fmt.signed(r["avvikelse_tkr"], "mnkr"))

widgets.plot(views.unit_accumulated(year, month, unit, big=True), key="apt_ack")
widgets.plot(views.unit_lines(year, month, unit, big=True), key="apt_linjer")
if brow is not None:
    widgets.plot(views.unit_waterfall(year, month, unit, big=True), key="apt_brygga")

sc = loaders.scorecard(year, month)
if unit != domain.IOF_TOTAL:
    sc = sc.filter(sc["unit"] == unit)
tiles = dashboard.kpi_tiles(sc, kpis=tuple(dashboard.KPI_LABELS), threshold=threshold)
if tiles:
    st.markdown("### Hur går det med målen?")
    widgets.kpi_tiles(tiles[:4])
    if len(tiles) > 4:
        widgets.kpi_tiles(tiles[4:8])
st.caption(f"Visar bara summor. Antal under {threshold} visas som \"<{threshold}\" för att ingen ska kunna pekas ut.")


def _report() -> bytes:
    from iof.present import exports

    figs = [charts.accumulated(loaders.monthly_net(year, None if unit == domain.IOF_TOTAL else unit), r["prognos_tkr"], month),
            charts.deviation_by_line(table, unit)]
    kpis = dashboard.unit_kpis_display(sc, unit, threshold) if unit != domain.IOF_TOTAL else dashboard.tiles_display(tiles)
    actions.log_export(f"månadsrapport APT {unit} {year}-{month:02d}")
    text = dashboard.analysis_text(unit, table, brow, year, month)
    return exports.month_report_html(unit, year, month, text, r, figs, kpis, session.store().is_demo()).encode("utf-8")


st.download_button("Utskriftsvänlig månadsrapport (öppna och skriv ut)", data=_report, on_click="ignore",
                   file_name=f"apt_{nav.slug(unit)}_{year}-{month:02d}.html", mime="text/html",
                   icon=":material/print:", key="apt_rapport")
