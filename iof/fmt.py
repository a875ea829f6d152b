"""Swedish number and date formats: `1 234,5 tkr`, `−2,3 mnkr`, `12,5 %`, `2025-03-31`.

One minus sign (U+2212) and a no-break space (U+00A0) as thousands separator everywhere a
person reads a number; files for machines (CSV) use plain decimal comma without separators.
"""

from __future__ import annotations

import math
from datetime import date

from iof.domain import MONTH_NAMES

MINUS = "\u2212"
NBSP = "\u00a0"


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1 234 567,9` with U+00A0 thousands separator and U+2212 minus; `–` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "−0,0"
    text = f"{abs(rounded):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def tkr(value: float | None, decimals: int = 1) -> str:
    return f"{number(value, decimals)}{NBSP}tkr" if value is not None else "–"


def mnkr(value_tkr: float | None, decimals: int = 1) -> str:
    """From tkr to `−2,3 mnkr`."""
    return f"{number(value_tkr / 1000, decimals)}{NBSP}mnkr" if value_tkr is not None else "–"


def kr(value: float | None, decimals: int = 0) -> str:
    return f"{number(value, decimals)}{NBSP}kr" if value is not None else "–"


def pct(value: float | None, decimals: int = 1) -> str:
    return f"{number(value, decimals)}{NBSP}%" if value is not None else "–"


def signed(value: float | None, unit: str = "tkr", decimals: int = 1) -> str:
    """With an explicit sign: `+1 234,5 tkr`, `−2,3 mnkr`."""
    if value is None:
        return "–"
    body = mnkr(value, decimals) if unit == "mnkr" else tkr(value, decimals)
    return ("+" + body) if round(value / (1000 if unit == "mnkr" else 1), decimals) > 0 else body


def count(value: int | None, threshold: int | None = None) -> str:
    """A count; below `threshold` (small-number suppression) shown as `<5`."""
    if value is None:
        return "–"
    if threshold is not None and 0 < value < threshold:
        return f"<{threshold}"
    return number(value, 0)


def day(d: date | None) -> str:
    return d.isoformat() if d else "–"


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]


def year_month(year: int, month: int) -> str:
    """`mars 2025`."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def parse_number(text: str | None) -> float | None:
    """A number as a Swedish user types it: `1 000`, `−250,5`, `-250.5`; None if it is not one."""
    if text is None:
        return None
    t = text.strip().replace("\u2212", "-")
    for space in (" ", NBSP, "\u202f"):
        t = t.replace(space, "")
    if "," in t and "." in t:
        return None
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None
