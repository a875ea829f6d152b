"""Swedish number and date formats: `1 234,5 tkr`, `−2,3 mnkr`, `12,5 %`, `2025-03-31`.

One minus sign (U+2212) and a no-break space (U+00A0) as thousands separator everywhere a
person reads a number; files for machines (CSV) use plain decimal comma without separators.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from iof.core.domain import MONTH_NAMES

if TYPE_CHECKING:
    import polars as pl

MINUS = "\u2212"
NBSP = "\u00a0"


def rounded(value: float | int, decimals: int = 0) -> float:
    """Rounded as a person (and Excel) rounds: half away from zero, on the number as written
    (0,25 → 0,3; 2,5 → 3; 1,005 → 1,01), not Python's round-half-to-even on the binary value."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1 234 567,9` with U+00A0 thousands separator and U+2212 minus; `–` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded_ = rounded(value, decimals)
    if rounded_ == 0:
        rounded_ = 0.0  # no "−0,0"
    text = f"{abs(rounded_):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if rounded_ < 0 else "") + text


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
    return ("+" + body) if rounded(value / (1000 if unit == "mnkr" else 1), decimals) > 0 else body


def amount(value_tkr: float | None, signed_: bool = False) -> str:
    """An amount in running text: below 0,1 mnkr in whole tkr (`35 tkr`), else `1,2 mnkr`;
    with `signed_` a `+` before positive amounts (a zero is never signed)."""
    if value_tkr is None:
        return "–"
    if abs(value_tkr) < 99.95:
        body, shown = f"{number(value_tkr, 0)}{NBSP}tkr", rounded(value_tkr)
    else:
        body, shown = mnkr(value_tkr), rounded(value_tkr / 1000, 1)
    return ("+" + body) if signed_ and shown > 0 else body


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


# ---------------------------------------------------------------------------------------------
# Formatting whole columns without Python callbacks inside Polars
# ---------------------------------------------------------------------------------------------
# Python UDFs inside Polars (map_elements) deadlock when several Streamlit sessions collect at
# once (the Polars/GIL deadlock class, pola-rs/polars#24448; found by tests/browser/test_load.py).
# So display frames carry the raw value in a marked struct, and `finish` formats it in plain
# Python after Polars is done.
_FORMATS: dict[str, tuple] = {}


def text(fn, column: str, *args) -> "pl.Expr":
    """A display column: `fn(value, *args)` of `column`, applied later by `finish` (not by Polars)."""
    import polars as pl

    key = f"{fn.__module__}.{fn.__qualname__}{args!r}"
    _FORMATS[key] = (fn, args)
    return pl.struct(pl.col(column).alias("__value"), pl.lit(key).alias("__format"))


def finish(frame: "pl.DataFrame") -> "pl.DataFrame":
    """Apply the formats `text` marked, in Python, outside Polars."""
    import polars as pl

    out = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Struct) and [f.name for f in dtype.fields] == ["__value", "__format"]:
            col = frame[name]
            values = col.struct.field("__value").to_list()
            keys = col.struct.field("__format").to_list()
            fn, args = _FORMATS[keys[0]] if keys else (None, ())
            out.append(pl.Series(name, [fn(v, *args) for v in values], dtype=pl.String))
    return frame.with_columns(out) if out else frame


def formatted(display):
    """Decorator for display functions whose select uses `text`: their result is finished."""
    import functools

    @functools.wraps(display)
    def wrapper(*args, **kwargs):
        return finish(display(*args, **kwargs))

    return wrapper


def signed_tkr(value: float | None) -> str:
    return signed(value)


def signed_pct(value: float | None, decimals: int = 1) -> str:
    """With an explicit sign: `+3,2 %`, `−1,0 %`, `0,0 %`."""
    if value is None:
        return "–"
    return ("+" if rounded(value, decimals) > 0 else "") + pct(value, decimals)


def tkr_from_kr(value: float | None) -> str:
    return tkr(value / 1000) if value is not None else "–"


def month_abbr(month: int | None) -> str:
    from iof.core.domain import MONTH_ABBR

    return MONTH_ABBR[month - 1] if month else "–"


def extra_kr(value: float | None) -> str:
    """`+1 234 kr` for a cost increase, as is otherwise."""
    return kr(value) if value is None or value <= 0 else "+" + kr(value)


def date_text(d: date | None) -> str:
    """`2 december 2026` (running text; tables keep ISO dates for sorting)."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}" if d else "–"


def when(ts) -> str:
    """`2 december 2026 kl. 10.15` for a timestamp (who did what and when)."""
    return f"{date_text(ts)} kl. {ts:%H.%M}" if ts else "–"
