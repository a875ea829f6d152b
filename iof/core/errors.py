"""Errors a user can cause and fix (a month without data, a bad argument): the message is Swedish.

Bugs still raise their own exceptions; these are shown to the user as they are.
"""


class ForecastError(Exception):
    """A prognosis request that cannot be answered (no data for the month, bad month)."""
