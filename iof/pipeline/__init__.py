"""pipeline: the one path from the store through compute that both the pages and the CLI call —
imports (`importer`: ingest → store in one transaction), the prognosis round (`prognosis`:
adjustments, freezing, frozen snapshots), and the report frames (`reports`, `trend_reports`,
`forecast_reports`).

Rule: imports core, ingest, store and compute; never present, web or cli; no Streamlit.
"""
