"""The frame every page runs inside: page config, sign-in and role, navigation, sidebar, demo banner.

`app.py` calls `run()`. Streamlit runs `pages/X.py` *directly* on the very first request to `/X`
after a server start (before any `st.navigation` call, the v1 pages/ folder behaviour). Every page
therefore starts with `context.page()`, which runs the frame here when it did not run first: the
visitor goes through sign-in and navigation, and the page renders inside the frame or not at all.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from iof.core import access
from iof.core.access import Principal
from iof.store.db import StaleData, StoreError
from iof.web import loaders, nav, session, widgets

_local = threading.local()  # Streamlit runs each session's script in its own thread


def _skip_streamlit_repl_probe() -> None:
    """At the first element of a process Streamlit asks whether it runs in a Python REPL (to print
    "use streamlit run"): `inspect.stack()` over the whole stack, which reads each frame's source and
    scans every loaded module, ≈ 0,46 s of the first page after a server start (cProfile, city demo).
    The dashboard never runs in a REPL. A private flag: if Streamlit renames it, nothing breaks."""
    import streamlit.delta_generator as dg

    if hasattr(dg, "_use_warning_has_been_displayed"):
        dg._use_warning_has_been_displayed = True


_skip_streamlit_repl_probe()


def inside() -> bool:
    """True while the frame is running a page in this thread."""
    return getattr(_local, "depth", 0) > 0


# key -> (script in pages/, title, icon, url path; "" = the default page's root address)
NAMED_PAGES = {
    "oversikt": ("oversikt.py", "IoF-översikt", ":material/dashboard:", ""),
    "placeringar": ("placeringar.py", "Placeringar", ":material/home:", "placeringar"),
    "handlaggningstider": ("handlaggningstider.py", "Handläggningstider", ":material/schedule:", "handlaggningstider"),
    "personal": ("personal.py", "Personal", ":material/badge:", "personal"),
    "prognossakerhet": ("prognossakerhet.py", "Prognossäkerhet", ":material/target:", "prognossakerhet"),
    "apt": ("apt.py", "APT-läge", ":material/co_present:", "apt"),
    # reached from a deviation (unit page, overview), not from the menu: ?enhet=&kostnadsslag=&från=
    "avvikelse": ("avvikelse.py", "Vad förklarar avvikelsen", ":material/manage_search:", "avvikelse"),
    "import": ("importera.py", "Importera", ":material/upload_file:", "importera"),
    "datastatus": ("datastatus.py", "Datastatus och importlogg", ":material/database:", "datastatus"),
    "granskning": ("granskningslogg.py", "Granskningslogg", ":material/policy:", "granskningslogg"),
    "enheter": ("enheter.py", "Sök enhet", ":material/search:", "enheter"),
}
# With more units than this, the sidebar lists no unit pages (each keeps its address, reached from
# the overview's table or the search page "Sök enhet"), so the menu stays short at city scale.
UNIT_MENU_LIMIT = 12


HIDDEN_PAGES = {"avvikelse"}  # registered (addressable) but not listed in the menu
# /enhet (the address pages/enhet.py would have had): a hidden alias of the unit search, so an old
# bookmark opens it instead of "Sidan finns inte". (/oversikt cannot be one: Streamlit reserves the
# default page's file name; it shows the overview under Streamlit's own "page not found" note.)
ALIASES = {"enhet": ("enheter.py", "Sök enhet")}


@contextmanager
def running():
    """Marks this thread as inside the frame while a page renders."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


def run() -> None:
    """Build the frame and run the page the visitor asked for (or the sign-in page).

    The run is pinned to the database's generation when it starts: if an import (in any process)
    lands while the page is being built, the next read notices and the run starts over, so a page
    shows the month before or the month after, never a mix (iof.store.gate, docs/drift.md)."""
    st.set_page_config(page_title="IoF ledningsdashboard", page_icon=":material/monitoring:", layout="wide")
    # No table toolbar download or copy: exports go through the logged, role-checked buttons only
    # (also in .streamlit/config.toml, for a server started elsewhere).
    if not st.get_option("client.disableDataExport"):
        st.set_option("client.disableDataExport", True)
    store = session.store()  # opens the database; in local mode an empty database gets demo data
    store.pin()
    try:
        _run()
    except StaleData:
        st.rerun()  # the database changed under this run: build the page again, on the new state
    finally:
        store.unpin()


def _run() -> None:
    from pages import enhet  # the unit page is a function of the unit (pages/enhet.py), which imports this module

    widgets.swedish_chrome()
    try:
        store = session.store()  # opens the database; in local mode an empty database gets demo data
        units = store.units()
    except StoreError as exc:  # e.g. a damaged database file: a Swedish message, not a traceback
        st.error(str(exc))
        st.stop()
    # Page addresses unique by construction: odd or colliding unit names never break the navigation.
    paths = nav.page_paths(units)
    # the principal, or a sign-in page / refusal (st.stop) that claims every address, so a deep link
    # before sign-in shows the sign-in page and no "page not found"
    try:
        who = session.sign_in([p for _, _, _, p in NAMED_PAGES.values() if p] + ["oversikt", "enhet"]
                              + list(paths.values()))
    except StoreError as exc:
        st.error(str(exc))
        st.stop()

    in_menu = len(units) <= UNIT_MENU_LIMIT
    unit_pages = {u: st.Page(enhet.page_for(u, paths[u]), title=u, url_path=paths[u], icon=":material/groups:",
                             visibility="visible" if in_menu else "hidden")
                  for u in paths}
    nav.register_unit_pages(unit_pages)
    named = {key: st.Page(f"pages/{file}", title=title, icon=icon, url_path=path or None,
                          default=key == ("apt" if who.role == "apt" else "oversikt"),
                          visibility="hidden" if key in HIDDEN_PAGES or (key == "enheter" and in_menu) else "visible")
             for key, (file, title, icon, path) in NAMED_PAGES.items()}
    nav.register_named_pages(named)
    if who.role == "apt":  # aggregates only: the APT walkthrough and nothing else
        sections = {"APT": [named["apt"]]}
    else:
        sections = {
            "Ledning": [named["oversikt"], named["prognossakerhet"], named["apt"], named["avvikelse"],
                        *(st.Page(f"pages/{file}", title=title, url_path=path, visibility="hidden")
                          for path, (file, title) in ALIASES.items())],
            "Enheter": [named["enheter"], *unit_pages.values()],  # the search page listed only at city scale
            "Verksamhet": [named["placeringar"], named["handlaggningstider"], named["personal"]],
            "Data": [named["import"]] * (access.may_import(who) or who.local)
            + [named["datastatus"]] + [named["granskning"]] * access.may_audit(who),
        }
    page = st.navigation(sections, expanded=True)
    session.begin_run()  # the data version, read once for this run
    widgets.user_box()
    loaders.first_reads()  # cached after the first run of a data version
    session.period_picker()
    widgets.demo_banner()  # every page says so when it shows demo data
    widgets.show_flash()  # "sparad" and the like, kept over the rerun that follows a save
    try:
        with running():
            page.run()
    except StoreError as exc:  # a damaged database file found while reading: a Swedish message
        st.error(str(exc))
    finally:
        session.end_run()


def fragment(fn):
    """st.fragment for a part of a page that reruns alone when its own inputs change, under the
    frame's rules: its reads are pinned to one generation of the database, and an import that lands
    meanwhile reruns the whole page (StaleData) instead of showing as an error inside the part —
    Streamlit shows a fragment's exceptions in place, so the frame's own handler never sees them."""

    @st.fragment
    @functools.wraps(fn)
    def part(*args, **kwargs):
        store = session.store()
        own_pin = store.pinned() is None  # a fragment rerun runs outside frame.run()
        if own_pin:
            store.pin()
        try:
            fn(*args, **kwargs)
        except StaleData:
            st.rerun(scope="app")
        finally:
            if own_pin:
                store.unpin()

    return part


def guard() -> None:
    """Called first by every page script: outside the frame, run the frame instead and stop."""
    if not inside():
        run()
        st.stop()


# -- what a page starts from ----------------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """A page's context: the chosen period and who is looking. Loaders read the data version themselves."""

    year: int | None  # None on pages without a period (import, data status, audit log)
    month: int | None
    principal: Principal

    @property
    def is_current(self) -> bool:
        """True when the chosen month is the latest with utfall (the current prognosis)."""
        return (self.year, self.month) == session.latest_period()


def context(with_period: bool = True) -> Context:
    """The page's context, after the frame guard (a page run outside the frame runs the frame instead).

    With `with_period`, a database without utfall stops the page with a Swedish message.
    """
    guard()
    year, month = session.period() if with_period else (None, None)
    return Context(year, month, session.principal())
