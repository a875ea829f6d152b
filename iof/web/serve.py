"""Start the dashboard: `python -m iof.web.serve [streamlit options]` (what `sh run.sh app` runs).

Why not plain `streamlit run app.py`: the app navigates with st.navigation, but a folder named
pages/ beside app.py makes Streamlit run the very first script run of a new server as an old
pages-folder app. A unit page's address (not a file in pages/) as that first request then showed
"Sidan finns inte" over the right page. Every later run has learnt that the app uses
st.navigation; this says so before the first one. (`streamlit run app.py` still works, with that
one glitch after each start.)

The modules the pages need are imported before the server listens (`preload`).
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = APP.parent / "pages"

# Loaded by Streamlit itself at the first alert or button label that is not plain ASCII (any
# Swedish one): its emoji catalogue, a regular expression of every emoji (≈ 0,2–0,3 s to compile).
_STREAMLIT_LAZY = ("streamlit.emojis", "streamlit.material_icon_names")
# Our layers a page reaches, whole: some of their modules are imported inside functions.
_LAYERS = ("iof.core", "iof.store", "iof.compute", "iof.pipeline", "iof.present", "iof.web")


def page_modules() -> list[str]:
    """The modules to import before the first page: ours, what the scripts in pages/ import at
    their top level, and Streamlit's lazily loaded catalogues."""
    import pkgutil

    names = set(_STREAMLIT_LAZY)
    for layer in _LAYERS:
        package = importlib.import_module(layer)
        names.update(m.name for m in pkgutil.iter_modules(package.__path__, f"{layer}."))
    for page in sorted(PAGES.glob("*.py")):
        for node in ast.parse(page.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)  # `from iof.web import loaders`
    return sorted(names)


class _NoRuntimeWarning:
    def filter(self, record) -> bool:
        return "No runtime found" not in record.getMessage()


def preload() -> None:
    """Import what the pages need, before the server listens.

    Why: otherwise the first visitor after a start waits for ≈ 1 s of imports on top of the
    page (Polars, DuckDB, NumPy, PyArrow, Plotly, our modules, Streamlit's emoji catalogue). Here
    nobody waits yet, and in the main thread before the server starts no import races another."""
    import logging

    # Each st.cache_data decorator asks for the runtime's cache storage, which does not exist yet,
    # and logs a warning; the caches themselves are made at their first call, under the runtime.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    no_runtime = _NoRuntimeWarning()
    quiet.addFilter(no_runtime)
    try:
        for name in page_modules():
            try:
                importlib.import_module(name)
            except ImportError:
                pass  # `from iof.present import fmt` names a module, `from datetime import date` does not
    finally:
        quiet.removeFilter(no_runtime)
    # What the libraries load at their first use, not at import: a Plotly figure's classes and
    # JSON writer, PyArrow's compute and IPC modules (tables), NumPy's masked arrays (a Series
    # made from an array, iof.compute.intervals).
    import numpy as np
    import plotly.graph_objects as go
    import polars as pl
    import pyarrow.compute  # noqa: F401
    import pyarrow.ipc  # noqa: F401

    _chart_vocabulary(go).to_json()
    pl.DataFrame({"a": [1]}).to_arrow()
    pl.Series(np.arange(1))


def _chart_vocabulary(go):
    """A figure with every kind of trace and layout part the pages draw: Plotly loads the class of
    each at its first use (≈ 0,1 s for these). A new kind in a chart belongs here too (the test
    `test_a_started_server_has_imported_what_the_first_pages_need` names what is missing)."""
    text = {"text": "a", "font": {"size": 1}}
    return go.Figure(
        [go.Bar(x=["a"], y=[1], marker={"color": "#000"}), go.Scatter(x=["a"], y=[1], line={"color": "#000"}),
         go.Waterfall(x=["a"], y=[1]), go.Heatmap(z=[[1]])],
        layout={"title": text, "font": {"size": 1}, "legend": {"x": 0}, "margin": {"l": 0},
                "xaxis": {"title": text}, "yaxis": {"title": text}, "hoverlabel": {"font": {"size": 1}},
                "annotations": [text], "shapes": [{"type": "line", "line": {"width": 1}}]},
    )


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    preload()
    PagesManager.uses_pages_directory = False  # what st.navigation sets on its first call
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
