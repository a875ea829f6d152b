"""Placeringar: stock by form, flows and sammanbrott, cost per dygn, egen regi share, the
placements active at month end, jourhem over the limit, two years in familjehem, what followed
the sammanbrott, and the what-if of moving children to egen regi. The key figures stand above
five tabs; only the open tab's content runs (widgets.lazy_tabs)."""

from datetime import date, timedelta

import streamlit as st

from iof.present import fmt
from iof.core import domain
from iof.web import frame, loaders, session, views, widgets
from iof.present import verksamhet as vd
from iof.core.config import load as load_config
from iof.core.domain import OWN_FORM
from iof.core.errors import ForecastError
from iof.core.periods import month_end

ctx = frame.context()  # outside the frame (a first-request deep link) this runs the frame instead

year, month = ctx.year, ctx.month
day = month_end(year, month)
st.title("Placeringar")
st.caption(f"Läget den {fmt.day(day)} (sista dagen i {fmt.year_month(year, month)}) och de 24 månaderna fram till dess.")

c1, c2 = st.columns([1, 2])
with c1:
    unit = widgets.unit_filter()
with c2:
    forms = st.multiselect("Placeringsform", domain.PLACEMENT_TYPES, key="placeringsform",
                           placeholder="Alla placeringsformer")
forms = tuple(forms)
scope = unit or domain.IOF_TOTAL
all_units = unit is None
hidden = session.detail_hidden(unit)  # lists limited by role: an empty list is not 'none'

stock, monthly = loaders.placement_trends(unit, forms, year, month)
if monthly is None:
    what = f"{unit} har" if unit else "IoF har"
    st.info(f"{what} inga placeringar{' i de valda placeringsformerna' if forms else ''} att visa.")
    st.stop()

lists = views.placement_lists(unit, forms, year, month)
now = monthly.row(-1, named=True)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Aktiva placeringar", fmt.count(loaders.count_active_on(unit, forms, day)),
          help=f"Den {fmt.day(day)}: placeringar med startdatum ≤ dagen och inget slutdatum eller slutdatum ≥ dagen.")
c2.metric("Placerade barn", fmt.count(now["children"]))
c3.metric("Sammanbrott 12 mån", fmt.count(now["breakdowns_12m"]),
          help="Per 100 vårdår: " + fmt.number(now["per_100_placement_years_12m"], 1))
c4.metric("Andel egen regi", fmt.pct(now["own_share_pct"]),
          help=f"{now['children_own']} barn i egen regi, {now['children_agency']} i konsulentstött "
               "(HVB, SiS och stödboende räknas inte in).")

widgets.detail_note(unit)  # for every tab's lists
t_trend, t_active, t_limits, t_breakdowns, t_whatif = widgets.lazy_tabs(
    ["Utvecklingen", "Aktiva placeringar", "Jourhem och familjehem", "Sammanbrott", "Tänk om"], key="placeringar_flik")

if t_trend.open:
    with t_trend:
        fig_stock, fig_flows, fig_days, fig_share = views.placement_figures(unit, forms, year, month)
        widgets.plot(fig_stock, key="placeringar_bestand")
        left, right = st.columns(2)
        with left:
            widgets.plot(fig_flows, key="placeringar_flode")
        with right:
            widgets.plot(fig_days, key="placeringar_vardygn")
        left, right = st.columns(2)
        with left:
            widgets.plot(fig_share, key="placeringar_egen_regi")
        with right:
            st.markdown(f"**Per placeringsform den {fmt.day(day)}**")
            widgets.table(lists["by_form"])
        st.markdown("**Per månad**")
        st.caption("Exakta antal. Sammanbrott = avslutade med avslutsorsak Sammanbrott. "
                   "Få händelser per månad: en enskild månad säger lite om trenden.")
        widgets.table(views.placement_monthly_display(unit, forms, year, month), height=320,
                      key="placeringar_per_manad")

if t_active.open:
    with t_active:
        st.subheader(f"Aktiva placeringar den {fmt.day(day)}")
        if lists["active"] is None:
            if not hidden:  # a list limited by role is not an empty one
                st.info(f"{scope} har inga aktiva placeringar den {fmt.day(day)}.")
        else:
            total_tkr = lists["active_total_tkr"]
            st.caption(f"{fmt.count(lists['n_active'])} placeringar. Kvarvarande kostnad i år = dygnskostnad × dagar "
                       f"till det tidigaste av slutdatum, planerat slutdatum och 31 december: sammanlagt "
                       f"{fmt.tkr(total_tkr)}. Barn-id är pseudonymer.")
            widgets.table(lists["active"], key="aktiva_placeringar")

cfg = load_config()
if t_limits.open:
    with t_limits:
        left, right = st.columns(2)
        with left:
            st.subheader("Jourhem över gränsen")
            st.caption(f"Barn i jourhem den {fmt.day(day)} som varit där mer än {cfg.emergency_home_limit_days} "
                       "dagar (22 kap 4 § SoL 2025:400: högst två månader efter avslutad utredning om inte "
                       "särskilda skäl finns). Listan följer valet av enhet men inte valet av placeringsform.")
            if lists["jourhem_over"] is None:
                if not hidden:  # a list limited by role is not an empty one
                    st.success(f"Inga barn i jourhem längre än {cfg.emergency_home_limit_days} dagar.")
            else:
                widgets.table(lists["jourhem_over"])
        with right:
            st.subheader("Två år i samma familjehem")
            st.caption(f"Barn i familjehem eller nätverkshem som passerat eller inom "
                       f"{cfg.target_rules.custody_notice_days} dagar passerar två år i samma hem: överväg "
                       "vårdnadsöverflyttning (22 kap 14 §). Listan följer valet av enhet.")
            if lists["custody_due"] is None:
                if not hidden:  # a list limited by role is not an empty one
                    st.success("Inga barn passerar två år i samma familjehem.")
            else:
                widgets.table(lists["custody_due"])

if t_breakdowns.open:
    with t_breakdowns:
        st.subheader("Sammanbrott och vad som följde")
        first = vd.window_start(year, month)
        st.caption(f"Sammanbrott {fmt.day(first)}–{fmt.day(day)} (12 månader) och barnets nästa placering som "
                   f"började inom {cfg.target_rules.breakdown_followup_days} dagar, dess form och kostnad det år "
                   "den började (till det tidigaste av slut, planerat slut och 31 december).")
        if lists["breakdowns"] is None:
            if not hidden:  # a list limited by role is not an empty one
                st.info(f"{scope} har inga sammanbrott under perioden.")
        else:
            widgets.table(lists["breakdown_summary"], width="content")
            widgets.table(lists["breakdowns"], key="sammanbrott")

@frame.fragment
def what_if() -> None:
    """The what-if of moving children to egen regi: its inputs rerun this part only (a fragment)."""
    st.subheader("Tänk om: flytta barn till egen regi")
    st.caption("Effekten på årets prognos av att flytta N barn från konsulentstött jourhem eller familjehem till "
               "motsvarande egen regi från ett datum. De placeringar som flyttas är de med flest återstående dagar i år.")
    if month == 12:
        st.info("Året är slut i december; en flytt påverkar inte årets prognos.")
    else:
        c1, c2, c3 = st.columns(3)
        n = c1.number_input("Antal barn", min_value=0, max_value=50, value=2, step=1, key="flytt_antal")
        from_form = c2.selectbox("Från placeringsform", sorted(OWN_FORM), key="flytt_form")  # familjehem first
        earliest = day + timedelta(days=1)
        move_date = c3.date_input("Från datum", value=earliest, min_value=earliest, max_value=date(year, 12, 31),
                                  format="YYYY-MM-DD", key="flytt_datum")
        try:
            moved, effect = loaders.move_to_own_care(year, month, int(n), move_date, from_form, unit)
        except ForecastError as exc:
            st.error(str(exc))
        else:
            if moved.is_empty():
                if not hidden:  # a list limited by role is not an empty one
                    st.info(f"{scope} har inga placeringar i {from_form.lower()} med dagar kvar i år att flytta.")
            else:
                if moved.height < n:
                    st.warning(f"Bara {vd.placements_text(moved.height)} i {from_form.lower()} kunde flyttas "
                               "(aktiva i slutet av månaden med dagar kvar i år).")
                net = effect.row(-1, named=True)
                c1, c2, c3 = st.columns(3)
                c1.metric("Barn som flyttas", fmt.count(moved.height))
                c2.metric("Förändring av helårsprognosen", fmt.signed(net["förändring_tkr"]),
                          help=f"Nettokostnaden för {scope} i år; negativt = lägre kostnad.")
                c3.metric("Nettoprognos efter flytten", fmt.mnkr(net["prognos_efter_tkr"]),
                          help=f"Före flytten: {fmt.mnkr(net['prognos_före_tkr'])}")
                st.caption(f"Dygnskostnad i egen regi: {fmt.kr(moved['dygnskostnad_efter_kr'][0])} "
                           f"({moved['källa_efter'][0]}).")
                widgets.table(vd.whatif_display(effect), width="content", key="flytt_effekt")
                st.markdown("**Placeringarna som flyttas**")
                widgets.table(vd.whatif_moved_display(moved, all_units), key="flytt_placeringar")


if t_whatif.open:
    with t_whatif:
        what_if()
