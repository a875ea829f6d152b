"""Loads the SQL files of queries/ by name, relative to the package (never the working directory)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    path = QUERY_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def migrations() -> list[tuple[int, str]]:
    """(version, sql) for every queries/schema/NNN_*.sql, in order."""
    out = []
    for path in sorted((QUERY_DIR / "schema").glob("[0-9][0-9][0-9]_*.sql")):
        out.append((int(path.name[:3]), path.read_text(encoding="utf-8")))
    return out
