"""IoF ledningsdashboard: the domain package, in layers that data flows through in one direction.

    core      domain terms, typed configuration, calendar, privacy helpers, roles   (imports nothing of iof)
    ingest    read, normalise and validate extract files; the demo generator        (core)
    store     DuckDB: schema, queries/*.sql, audit log, backups; frames out         (core)
    compute   pure Polars: forecast, bridge, accuracy, trends, ...; no I/O          (core)
    pipeline  store → compute → store: imports, the prognosis round, report frames  (core, ingest, store, compute)
    present   what a person reads: Swedish labels, formats, charts, files          (core, compute)
    web       Streamlit only: frame, session, cached loaders, widgets               (everything below)
    cli       the command line                                                      (everything below but web)

Column names are English through store, compute and pipeline; Swedish labels appear only where
present builds what a person reads (and in the contract's report columns, which the contract
names in Swedish). tests/test_layers.py holds the rule.
"""
