"""APT-läge: a unit's budget walkthrough for a projector — one screen per part (where we stand, why,
what we do about it, the goals), big charts, plain Swedish, aggregates only.

`?projektor=1` hides the sidebar (period and navigation) for the projector; the link carries år and
månad, so the walkthrough shows the month it names.
"""

import streamlit as st

from iof.present import charts, dashboard, fmt
from iof.core import config, domain
from iof.web import actions, frame, loaders, nav, prognosrunda, session, widgets

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

PARTS = ["1. Så går det", "2. Varför", "3. Sedan förra månaden", "4. Vad vi gör", "5. Våra mål"]
PLAIN = dashboard.PLAIN_DRIVER_LABELS  # the model's words in plain Swedish (the glossary explains them)
GLOSSARY = [
    ("Budget", "de pengar enheten har fått för året"),
    ("Prognos", "vad vi tror att året kostar till slut, räknat på det vi vet i dag"),
    ("Avvikelse", "budget minus prognos: plus betyder att pengarna räcker (överskott), minus att de inte räcker (underskott)"),
    ("mnkr", "miljoner kronor"),
    ("Placering", "ett barn eller en ungdom som bor i familjehem, jourhem eller på HVB"),
    ("Placeringar som bröts, nytt hem", "en placering tog slut oplanerat (sammanbrott) och barnet fick flytta till ett nytt hem"),
    ("Vi tror slutar eller förlängs", "placeringar med ett planerat slutdatum: vissa slutar som planerat, andra förlängs – "
     "modellen räknar med hur det brukar gå (förväntade avslut och förlängningar)"),
    ("Nya placeringar vi räknar med", "placeringar som inte finns ännu men som brukar tillkomma under resten av året "
     "(förväntat intag)"),
    ("Chefens bedömning", "kända förändringar som modellen inte kan se, med en skriven motivering (justering)"),
]
STATUS_BADGE = {"på väg": ("green", ":material/check_circle:", "På väg mot målet"),
                "risk": ("orange", ":material/warning:", "Risk att inte nå målet"),
                "ej uppnått": ("red", ":material/cancel:", "Målet nås inte"),
                "saknar underlag": ("gray", ":material/help:", "Underlag saknas")}

year, month = ctx.year, ctx.month
projector = st.query_params.get("projektor") == "1"
widgets.apt_style(projector)
table = loaders.prognos_table(year, month)
units = [u for u in table["enhet"].unique(maintain_order=True).to_list()]
top = st.columns([2, 3, 1.2])
unit = top[0].selectbox("Enhet", units, key="apt_enhet", bind="query-params")
if st.session_state.get("apt_del") not in PARTS:
    st.session_state["apt_del"] = PARTS[0]
part = top[1].segmented_control("Del", PARTS, key="apt_del", required=True) or PARTS[0]
with top[2]:
    params = nav.nav_params(apt_enhet=unit, projektor=None if projector else "1")
    st.page_link(nav.named_page("apt"), label="Avsluta projektorläge" if projector else "Projektorläge",
                 icon=":material/close_fullscreen:" if projector else ":material/open_in_full:", query_params=params)
threshold = config.load().small_count_threshold

st.title(f"{unit} – ekonomin efter {fmt.year_month(year, month)}")
bridge = loaders.bridge(year, month)
brow = bridge.filter(bridge["enhet"] == unit).row(0, named=True) if bridge is not None and unit in bridge["enhet"].to_list() else None
ov = loaders.overview(year, month)
r = ov.filter(ov["enhet"] == unit).row(0, named=True)
# Disclosure control over all units at once (a hidden count must not be recoverable from
# another unit's page or the IoF total), then this unit's rows.
sc = dashboard.protected(loaders.scorecard(year, month), threshold)
if unit != domain.IOF_TOTAL:
    sc = sc.filter(sc["unit"] == unit)
tiles = dashboard.kpi_tiles(sc, kpis=tuple(dashboard.KPI_LABELS), threshold=threshold)


def _where_we_stand() -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Budget för året", fmt.mnkr(r["budget_tkr"]))
    c2.metric("Prognos för helåret", fmt.mnkr(r["prognos_tkr"]))
    c3.metric("Avvikelse", fmt.signed(r["avvikelse_tkr"], "mnkr"),
              help="Budget minus prognos: plus = pengarna räcker (överskott), minus = de räcker inte (underskott).")
    widgets.plot(charts.accumulated(loaders.monthly_net(year, None if unit == domain.IOF_TOTAL else unit),
                                    r["prognos_tkr"], month, big=True), key="apt_ack")


def _glossary() -> None:
    with st.expander("Ordlista – vad orden betyder", icon=":material/menu_book:", expanded=False):
        st.markdown("\n".join(f"- **{term}**: {text}." for term, text in GLOSSARY))


def _why() -> None:
    st.markdown(f"### {dashboard.analysis_text(unit, table, brow, year, month)}")
    widgets.plot(charts.deviation_by_line(table, unit, big=True), key="apt_linjer")
    _glossary()


def _since_last_month() -> None:
    if brow is None:
        st.info("Jämförelsen med förra månaden visas från februari.")
        return
    view = dashboard.bridge_view(brow, PLAIN)  # the amount in the chart's own unit (tkr for a small change)
    change = view["change_tkr"]
    st.markdown(f"### Sedan förra månaden har prognosen {'ökat' if change > 0 else 'minskat'} med "
                f"{view['change_abs_text']}. Staplarna visar varför: rött gör året dyrare, grönt billigare."
                if round(change) else "### Prognosen är oförändrad sedan förra månaden.")
    widgets.plot(charts.waterfall(brow, PLAIN, big=True), key="apt_brygga")
    _glossary()


def _what_we_do() -> None:
    st.markdown("### Det här gör vi åt det")
    units_here = units if unit == domain.IOF_TOTAL else [unit]
    decisions = [c for u in units_here for c in prognosrunda.meeting_comments(u, year, month)]
    adjustments = prognosrunda.active_adjustments(year, month, None if unit == domain.IOF_TOTAL else unit)
    left, right = st.columns(2)
    with left:
        st.markdown("#### Beslut och kommentarer från prognosmötet")
        if decisions:
            st.markdown("\n".join(f"- {c}" for c in decisions))
        else:
            st.caption(f"Inga kommentarer från prognosmötet i {fmt.year_month(year, month)}.")
    with right:
        st.markdown("#### Kända förändringar som chefen lagt till")
        if adjustments:
            st.markdown("\n".join(f"- {a}" for a in adjustments))
        else:
            st.caption("Inga justeringar av prognosen den här månaden.")


def _goals() -> None:
    st.markdown("### Hur går det med målen?")
    if not tiles:
        st.info("Det finns inga mål att följa upp för perioden.")
        return
    goals = {}
    if unit != domain.IOF_TOTAL:
        goals = {g["Mått"]: g for g in dashboard.unit_kpis_display(sc, unit, threshold).iter_rows(named=True)}
    for start in range(0, min(len(tiles), 8), 4):
        cols = st.columns(4)
        for col, t in zip(cols, tiles[start:start + 4]):
            g = goals.get(t["label"], {})
            status = g.get("Status") or t["worst"]
            colour, icon, words = STATUS_BADGE.get(status, STATUS_BADGE["saknar underlag"])
            if t["value_text"] == dashboard.HIDDEN_TEXT:  # hidden by disclosure control: not "no data", and no status
                colour, icon, words = "gray", ":material/visibility_off:", "Dolt: för få för att visa"
            with col.container(border=True):
                st.metric(t["label"], t["value_text"])
                st.badge(words, color=colour, icon=icon)
                st.caption(f"Mål: {g['Mål']}" if g.get("Mål") else (t["status_text"] or "Mål saknas"))
                st.caption(f"Period: {dashboard.kpi_period(t['kpi'], year, month, unit == domain.IOF_TOTAL)}")


dict(zip(PARTS, (_where_we_stand, _why, _since_last_month, _what_we_do, _goals)))[part]()

i = PARTS.index(part)
back, _, forward = st.columns([1, 3, 1])
if i > 0:
    back.button(f"← {PARTS[i - 1]}", key="apt_bakåt", on_click=lambda: st.session_state.update(apt_del=PARTS[i - 1]),
                width="stretch")
if i < len(PARTS) - 1:
    forward.button(f"{PARTS[i + 1]} →", key="apt_framåt", type="primary",
                   on_click=lambda: st.session_state.update(apt_del=PARTS[i + 1]), width="stretch")
st.caption(dashboard.disclosure_note(threshold))


who = session.user_name()  # the report is built when fetched, outside this run: logged as this person


def _report() -> bytes:
    from iof.present import exports

    figs = [charts.accumulated(loaders.monthly_net(year, None if unit == domain.IOF_TOTAL else unit), r["prognos_tkr"], month),
            charts.deviation_by_line(table, unit)]
    kpis = dashboard.unit_kpis_display(sc, unit, threshold) if unit != domain.IOF_TOTAL else dashboard.tiles_display(tiles)
    actions.log_export(f"månadsrapport APT {unit} {year}-{month:02d}", who)
    text = dashboard.analysis_text(unit, table, brow, year, month)
    return exports.month_report_html(unit, year, month, text, r, figs, kpis, session.store().is_demo(),
                                     note=dashboard.disclosure_note(threshold)).encode("utf-8")


if not projector:
    st.download_button("Utskriftsvänlig månadsrapport (öppna och skriv ut)", data=_report, on_click="ignore",
                       file_name=f"apt_{nav.slug(unit)}_{year}-{month:02d}.html", mime="text/html",
                       icon=":material/print:", key="apt_rapport")
    actions.month_report_button(unit, year, month, key="apt_rapport_pdf")
