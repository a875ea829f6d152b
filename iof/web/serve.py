"""Start the dashboard: `python -m iof.web.serve [streamlit options]` (what `sh run.sh app` runs).

Why not plain `streamlit run app.py`: the app navigates with st.navigation, but a folder named
pages/ beside app.py makes Streamlit run the very first script run of a new server as an old
pages-folder app. A unit page's address (not a file in pages/) as that first request then showed
"Sidan finns inte" over the right page. Every later run has learnt that the app uses
st.navigation; this says so before the first one. (`streamlit run app.py` still works, with that
one glitch after each start.)
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # what st.navigation sets on its first call
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
