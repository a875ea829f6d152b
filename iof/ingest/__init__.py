"""ingest: extract files in, validated frames out — recognise the kind, normalise, check every cell,
reject with a Swedish message naming file, row and column (`extracts`); the demo generator that
writes such files (`demo`).

Rule: imports only core; never touches the database.
"""
