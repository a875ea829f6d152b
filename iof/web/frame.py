"""The frame every page runs inside: page config, sign-in and role, navigation, sidebar, demo banner.

`app.py` calls `run()`. Streamlit runs `pages/X.py` *directly* on the very first request to `/X`
after a server start (before any `st.navigation` call, the v1 pages/ folder behaviour). Every page
therefore starts with `context.page()`, which runs the frame here when it did not run first: the
visitor goes through sign-in and navigation, and the page renders inside the frame or not at all.
"""

from __future__ import annotations

import threading

import streamlit as st

_local = threading.local()  # Streamlit runs each session's script in its own thread


def inside() -> bool:
    """True while the frame is running a page in this thread."""
    return getattr(_local, "depth", 0) > 0


def run() -> None:
    """Build the frame and run the page the visitor asked for (or the sign-in page).

    The run is pinned to the database's generation when it starts: if an import (in any process)
    lands while the page is being built, the next read notices and the run starts over, so a page
    shows the month before or the month after, never a mix (iof.store.gate, docs/drift.md)."""
    from iof.store.db import StaleData
    from iof.web import ui

    store = ui.store()
    store.pin()
    try:
        _run()
    except StaleData:
        st.rerun()  # the database changed under this run: build the page again, on the new state
    finally:
        store.unpin()


def _run() -> None:
    from iof.core import access
    from iof.web import ui
    from pages import enhet

    st.set_page_config(page_title="IoF ledningsdashboard", page_icon=":material/monitoring:", layout="wide")
    ui.swedish_chrome()
    store = ui.store()  # opens the database; in local mode an empty database gets demo data
    who = ui.sign_in()  # the principal, or a sign-in page / refusal (st.stop)

    unit_pages = {u: st.Page(enhet.page_for(u), title=u, url_path=ui.slug(u), icon=":material/groups:")
                  for u in store.units()}
    ui.register_unit_pages(unit_pages)
    named = {
        "oversikt": st.Page("pages/oversikt.py", title="IoF-översikt", icon=":material/dashboard:",
                            default=who.role != "apt"),
        "placeringar": st.Page("pages/placeringar.py", title="Placeringar", icon=":material/home:",
                               url_path="placeringar"),
        "handlaggningstider": st.Page("pages/handlaggningstider.py", title="Handläggningstider",
                                      icon=":material/schedule:", url_path="handlaggningstider"),
        "personal": st.Page("pages/personal.py", title="Personal", icon=":material/badge:", url_path="personal"),
        "prognossakerhet": st.Page("pages/prognossakerhet.py", title="Prognossäkerhet", icon=":material/target:",
                                   url_path="prognossakerhet"),
        "apt": st.Page("pages/apt.py", title="APT-läge", icon=":material/co_present:", url_path="apt",
                       default=who.role == "apt"),
        "import": st.Page("pages/importera.py", title="Importera", icon=":material/upload_file:",
                          url_path="importera"),
        "datastatus": st.Page("pages/datastatus.py", title="Datastatus och importlogg", icon=":material/database:",
                              url_path="datastatus"),
        "granskning": st.Page("pages/granskningslogg.py", title="Granskningslogg", icon=":material/policy:",
                              url_path="granskningslogg"),
    }
    ui.register_named_pages(named)
    if who.role == "apt":  # aggregates only: the APT walkthrough and nothing else
        nav = {"APT": [named["apt"]]}
    else:
        nav = {
            "Ledning": [named["oversikt"], named["prognossakerhet"], named["apt"]],
            "Enheter": list(unit_pages.values()),
            "Verksamhet": [named["placeringar"], named["handlaggningstider"], named["personal"]],
            "Data": [named["import"]] * (access.may_import(who) or who.local)
            + [named["datastatus"]] + [named["granskning"]] * access.may_audit(who),
        }
    page = st.navigation(nav, expanded=True)
    ui.user_box()
    ui.period_picker()
    ui.demo_banner()  # every page says so when it shows demo data
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        page.run()
    finally:
        _local.depth -= 1


def guard() -> None:
    """Called first by every page script: outside the frame, run the frame instead and stop."""
    if not inside():
        run()
        st.stop()
