"""Shared widgets: charts and tables the Swedish way, status colours, KPI tiles, the unit filter."""

from __future__ import annotations

import polars as pl
import streamlit as st

from iof.present import dashboard, fmt, verksamhet as vd
from iof.web import chrome, nav, session, views


def table(df: pl.DataFrame, **kwargs):
    """Every table of the app (st.dataframe nowhere else; tests/test_layers.py holds it): a Polars
    frame goes to Streamlit as an Arrow table, which it sends as it is — a Polars or pandas frame
    is first converted to pandas and then to Arrow (≈ 3 ms for each of a page's tables, more for
    the long lists). No index column. Returns st.dataframe's selection event."""
    kwargs.setdefault("hide_index", True)
    return st.dataframe(df.to_arrow() if isinstance(df, pl.DataFrame) else df, **kwargs)


def lazy_tabs(labels: list[str], key: str):
    """Tabs whose content runs only while open (st.tabs with on_change="rerun"; the page checks
    each tab's `.open`): the browser mounts one tab's tables and charts instead of every tab's.
    Placeringar mounted nine data grids and four charts at once, 1,4–1,6× a bare page in Chromium.
    A closed tab's widgets are not drawn, so they return to their defaults when it is opened again."""
    return st.tabs(labels, key=key, on_change="rerun")


def plot(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, theme=None, key=key, config={
        **chrome.PLOTLY_CONFIG,  # Swedish toolbar tooltips and date formats
        "toImageButtonOptions": {"format": "png", "filename": key or "diagram", "scale": 2},
    })


# Status words as coloured labels (st.dataframe's MultiselectColumn): no pandas Styler on the
# request path (a 70-row Styler cost ≈ 90 ms of a month change at city scale).
SUBMITTED_PILL_COLOURS = {"lämnad": "#c8e8ca", "ej lämnad": "#fde3b0"}
CASELOAD_PILL_COLOURS = {"över": "#f8c9c5", "under": "#fde3b0", "inom": "#c8e8ca"}
STATUS_PILL_COLOURS = {"Underskott": "#f8c9c5", "I balans": "#dfe6ee", "Överskott": "#c8e8ca"}
GOAL_PILL_COLOURS = {"på väg": "#c8e8ca", "risk": "#fde3b0", "ej uppnått": "#f8c9c5", "saknar underlag": "#e5e7eb"}


def status_table(df: pl.DataFrame, colours: dict[str, str] = GOAL_PILL_COLOURS, column: str = "Status",
                 key: str | None = None) -> None:
    """A table whose status column is a coloured label (no pandas, no Styler)."""
    options = list(dict.fromkeys([*colours, *df[column].drop_nulls().unique().to_list()]))
    table(df.with_columns(pl.concat_list(column).list.drop_nulls()), key=key, column_config={
        column: st.column_config.MultiselectColumn(column, options=options,
                                                   color=[colours.get(o, "#e5e7eb") for o in options])})


def overview_table(year: int, month: int) -> None:
    """The units' table, the worst deviation first (or as chosen). Each unit's name is a button that
    opens its page in this tab for the same year and month (selecting the row does too). No pandas,
    no Styler: the status is a coloured label."""
    order = st.segmented_control("Ordning", dashboard.SORT_ORDERS, default=dashboard.SORT_WORST,
                                 key="oversikt_ordning") or dashboard.SORT_WORST
    units, shown = views.overview_table(year, month, order)
    event = table(
        shown, on_select="rerun", selection_mode="single-row", key="oversikt_tabell",
        column_config={
            "Enhet": st.column_config.ButtonColumn("Enhet", type="tertiary", width=175, pinned=True,
                                                   alignment="left", key="oversikt_enhet",
                                                   help="Öppnar enhetens sida för samma månad"),
            "Status": st.column_config.MultiselectColumn(
                "Status", options=list(STATUS_PILL_COLOURS), color=list(STATUS_PILL_COLOURS.values()),
                width=110),
            "80 % intervall": st.column_config.TextColumn(
                help="Helårsprognosen hamnar i intervallet 8 gånger av 10 enligt tidigare års prognosfel"),
        },
    )
    click = st.session_state.get("oversikt_enhet")
    rows = [click["row"]] if click else (event.selection.rows if event is not None else [])
    if rows:
        unit = units[rows[0]]
        page = nav.unit_page(unit) if unit != dashboard.IOF_TOTAL else nav.named_page("apt")
        if page is not None:
            # the period goes with the session (år and månad are widgets bound to the URL)
            st.switch_page(page, query_params={"apt_enhet": unit} if unit == dashboard.IOF_TOTAL else None)


def kpi_tiles(tiles: list[dict], year: int | None = None, month: int | None = None) -> None:
    """KPI tiles; with year and month each says which period its value covers."""
    if not tiles:
        st.info("Det finns inga mål att följa upp för perioden.")
        return
    cols = st.columns(len(tiles))
    for col, t in zip(cols, tiles):
        with col.container(border=True):
            st.metric(t["label"], t["value_text"],
                      help=f"Jämförelse: {t['comparison']}" if t["baseline_text"] else None)
            if year and month:
                st.caption(f"Period: {dashboard.kpi_period(t['kpi'], year, month)}")
            if t["baseline_text"]:
                st.caption(f"{t['comparison'].capitalize()}: {t['baseline_text']}")
            if t["status_text"]:
                st.caption(t["status_text"])


def delta_style(change: float | None) -> dict:
    """st.metric delta arguments for a change where positive is better (text keeps U+2212)."""
    if change is None:
        return {"delta": None}
    if round(change / 1000, 1) == 0:
        return {"delta": fmt.signed(change, "mnkr"), "delta_color": "gray", "delta_arrow": "off"}
    better = change > 0
    return {"delta": fmt.signed(change, "mnkr"), "delta_color": "green" if better else "red",
            "delta_arrow": "up" if better else "down"}


def swedish_chrome() -> None:
    """Swedish for Streamlit's own labels (uploader, table toolbar …) and `<html lang="sv">`."""
    chrome.swedish_chrome()


def apt_style(projector: bool = False) -> None:
    """Projector-friendly type sizes (APT-läge only); `projector` also hides the sidebar and Streamlit's
    header and uses the whole width (1920×1080 on a projector, read from the back of the room)."""
    hide = """
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
        [data-testid="stHeader"] { display: none !important; }
        [data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2.5rem 2rem 2.5rem; }
    """ if projector else ""
    st.html(
        """<style>
        [data-testid="stMain"] h1 { font-size: 3rem; }
        [data-testid="stMain"] h3 { font-size: 1.9rem; line-height: 1.35; font-weight: 500; }
        [data-testid="stMain"] h4 { font-size: 1.6rem; }
        [data-testid="stMain"] li, [data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.35rem; }
        [data-testid="stMain"] [data-testid="stMetricValue"],
        [data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3rem; }
        [data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.3rem; }
        [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
        [data-testid="stMain"] [data-testid="stButtonGroup"] button p { font-size: 1.2rem; }
        [data-testid="stMain"] .stBadge span, [data-testid="stMain"] [data-testid="stBadge"] span { font-size: 1.2rem; }
        """ + hide + "</style>"
    )


def demo_banner() -> None:
    if session.is_demo():
        st.warning(
            "**Demodata.** Allt som visas här är påhittade uppgifter för visning och test – "
            "inga verkliga barn, ärenden eller belopp.",
            icon=":material/science:",
        )


def user_box() -> None:
    p = session.principal()
    with st.sidebar:
        st.caption(f"Inloggad: {p.label}" if not p.local else f"Lokalt läge (demodata), roll {p.rules.label.lower()}")
        if not p.local:
            st.button("Logga ut", on_click=st.logout, key="logga_ut")


def unit_filter(label: str = "Enhet") -> str | None:
    """The enhet selectbox (key `enhet`, bound to ?enhet= in the URL, so unit pages can drill down
    here). Returns the unit, or None for "Alla enheter"; Streamlit ignores an unknown ?enhet=."""
    options = [vd.ALL_UNITS, *session.units()]
    choice = st.selectbox(label, options, key="enhet", bind="query-params")
    return vd.unit_or_none(choice)


def detail_note(unit: str | None) -> None:
    """Say so when lists of children or ärenden are limited by the viewer's role."""
    p = session.principal()
    if session.detail_hidden(unit):
        own = ", ".join(sorted(p.units)) or "inga enheter"
        st.info(f"Listor med enskilda placeringar och ärenden visas bara för dina egna enheter ({own}). "
                "Övriga enheter visas som sammanställningar.", icon=":material/lock:")


def show_flash() -> None:
    """Confirmations saved before a rerun (session.flash): a toast and a message that stays on the page."""
    for message in st.session_state.pop("_flash", []):
        st.toast(message, icon=":material/check_circle:")
        st.success(message, icon=":material/check_circle:")
