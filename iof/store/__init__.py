"""store: the DuckDB file — schema migrations and every query from queries/*.sql (`db`, `queries`),
the audit log (`audit`), backups (`backup`). Results are Polars frames with English column names.

Rule: imports only core; SQL lives in queries/, bound parameters only.
"""
