"""compute: pure Polars — the prognosis (`forecast`, `bridge`, `accuracy`, `whatif`), interval
arithmetic (`intervals`), trends (`trends`, `cases`, `staff`), targets (`targets`, `scorecard`).

Rule: frames in, frames out, English column names; imports only core; no I/O, no Streamlit.
"""
