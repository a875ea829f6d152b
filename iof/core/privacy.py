"""Privacy helpers used by every layer: the personnummer check, redaction for messages, who is acting."""

from __future__ import annotations

import getpass
import os

# The one personnummer / samordningsnummer detector lives in iof.core.personnummer (every
# entrance uses it); these names are kept for the callers.
from iof.core.personnummer import contains as looks_like_personnummer  # noqa: E402,F401
from iof.core.personnummer import mask, redact  # noqa: E402,F401


def current_user() -> str:
    """Who runs a command: $IOF_USER, else the OS user (the app passes its signed-in principal)."""
    return os.environ.get("IOF_USER") or getpass.getuser()
