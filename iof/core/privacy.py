"""Privacy helpers used by every layer: the personnummer check, redaction for messages, who is acting."""

from __future__ import annotations

import getpass
import os
import re

# Personnummer / samordningsnummer: 10 or 12 digits, optional - or +, valid date part.
_PNR_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?(\d{4})(?!\d)")


# The same test as one regular expression, for Polars (no Python callback per cell: those can
# deadlock when several threads of the app run Polars at once, cf. pola-rs/polars#24448):
# YYMMDD or YYYYMMDD with a valid month and day (day + 60 for samordningsnummer), then 4 digits.
PERSONNUMMER_REGEX = (
    r"(^|\D)(\d{2})?\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(\D|$)"
)


def looks_like_personnummer(value: str) -> bool:
    """True if `value` contains a Swedish personnummer or samordningsnummer shape."""
    for m in _PNR_CANDIDATE.finditer(value):
        datepart = m.group(1)
        yymmdd = datepart[-6:]
        month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
        if day > 60:  # samordningsnummer: day + 60
            day -= 60
        if 1 <= month <= 12 and 1 <= day <= 31:
            return True
    return False


def redact(text: str) -> str:
    """`text` with every personnummer shape replaced by `[dolt]` (for file names, log lines)."""
    return _PNR_CANDIDATE.sub(
        lambda m: "[dolt]" if looks_like_personnummer(m.group(0)) else m.group(0), text
    )


def mask(value: str, limit: int = 40) -> str:
    """A value safe to echo in a message: personnummer shapes hidden, long values cut."""
    if looks_like_personnummer(value):
        return "[dolt värde]"
    return value if len(value) <= limit else value[: limit - 1] + "…"




def current_user() -> str:
    """Who runs a command: $IOF_USER, else the OS user (the app passes its signed-in principal)."""
    return os.environ.get("IOF_USER") or getpass.getuser()
