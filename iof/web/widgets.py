"""Shared widgets: charts and tables the Swedish way, status colours, KPI tiles, the unit filter."""

from __future__ import annotations

import polars as pl
import streamlit as st

from iof.present import dashboard, fmt, verksamhet as vd
from iof.web import nav, session


def swedish_table(df: pl.DataFrame, **kwargs) -> None:
    """A dataframe whose numbers read the Swedish way (formatted strings for display)."""
    st.dataframe(df, hide_index=True, **kwargs)


def plot(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, theme=None, key=key, config={
        "displaylogo": False, "locale": "sv",
        "toImageButtonOptions": {"format": "png", "filename": key or "diagram", "scale": 2},
    })


STATUS_COLOURS = {
    "Underskott": "background-color: #fde2e1; color: #8b1a12",
    "Överskott": "background-color: #e3f4e4; color: #1e5b22",
    "I balans": "background-color: #eef2f7; color: #1f3b63",
    "ej uppnått": "background-color: #fde2e1; color: #8b1a12",
    "risk": "background-color: #fff1d6; color: #7a4b00",
    "på väg": "background-color: #e3f4e4; color: #1e5b22",
}
CASELOAD_COLOURS = {
    "över": "background-color: #fde2e1; color: #8b1a12",
    "under": "background-color: #fff1d6; color: #7a4b00",
    "inom": "background-color: #e3f4e4; color: #1e5b22",
}


def styled(df: pl.DataFrame, column: str = "Status", colours: dict[str, str] = STATUS_COLOURS):
    """The table with `column` coloured by its value (status words by default)."""
    pdf = df.to_pandas()
    if column in pdf.columns:
        return pdf.style.map(lambda v: colours.get(v, ""), subset=[column])
    return pdf


def styled_caseload(df: pl.DataFrame, column: str = "Läge"):
    """A staff table with ärenden per handläggare over/under/inside the band coloured."""
    return styled(df, column, CASELOAD_COLOURS)


def overview_table(ov: pl.DataFrame) -> None:
    """The units' table; selecting a row opens that unit's page (drill-down)."""
    shown = dashboard.overview_display(ov)
    event = st.dataframe(
        styled(shown), hide_index=True, on_select="rerun", selection_mode="single-row", key="oversikt_tabell",
        column_config={"Enhet": st.column_config.TextColumn(width="medium"),
                       "Status": st.column_config.TextColumn(width="small")},
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        unit = shown["Enhet"][rows[0]]
        page = nav.unit_page(unit)
        if page is not None:
            st.switch_page(page)
    links = [u for u in shown["Enhet"].to_list() if nav.unit_page(u) is not None]
    cols = st.columns(max(len(links), 1))
    for col, unit in zip(cols, links):
        col.page_link(nav.unit_page(unit), label=unit, icon=":material/arrow_forward:")


def kpi_tiles(tiles: list[dict]) -> None:
    if not tiles:
        st.info("Det finns inga mål att följa upp för perioden.")
        return
    cols = st.columns(len(tiles))
    for col, t in zip(cols, tiles):
        with col.container(border=True):
            st.metric(t["label"], t["value_text"],
                      help=f"Jämförelse: {t['comparison']}" if t["baseline_text"] else None)
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
    """Swedish text for the few built-in Streamlit labels that have no parameter (file upload)."""
    st.html(
        """<style>
        [data-testid="stFileUploaderDropzoneInstructions"] small { display: none; }
        [data-testid="stFileUploaderDropzoneInstructions"] > div::after {
            content: "CSV eller xlsx, som Excel sparar dem"; font-size: 0.85rem; color: #6b7280; }
        [data-testid="stFileUploaderDropzone"] button { font-size: 0; }
        [data-testid="stFileUploaderDropzone"] button::after { content: "Välj filer"; font-size: 0.9rem; }
        </style>"""
    )


def apt_style() -> None:
    """Projector-friendly type sizes (APT-läge only)."""
    st.html(
        """<style>
        [data-testid="stMain"] h1 { font-size: 3rem; }
        [data-testid="stMain"] h3 { font-size: 1.9rem; line-height: 1.35; font-weight: 500; }
        [data-testid="stMetricValue"] { font-size: 3rem; }
        [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
        [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
        </style>"""
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
