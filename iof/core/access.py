"""Who may see what: principals, the four roles as data, and the checks the data readers apply.

A `Principal` is resolved from the roles file (`[behörighet] roller_fil` in iof.toml, kept out of
the repository because it names people). The restriction is enforced in the package, where frames
leave it for the pages (`iof.web.loaders` passes every list with pseudonyms through `restrict_detail`), not
by hiding widgets; counts for a wider audience (`wide_audience`) are shown as "<5" by
`iof.present.fmt.count`. `cache_key(principal)` goes into every cache key.

Rules (also in README): detail = rows that carry a pseudonym (placerings_id, barn_id, ärende_id).
- ledningsgrupp: every unit in detail; no import, no adjustments, no audit log.
- enhetschef:    own unit(s) in detail and adjustments of their prognosis; other units as
                 aggregates with small counts suppressed.
- controller:    every unit in detail, plus import, adjustments, backup/restore and the audit log.
- apt:           aggregates only, small counts suppressed, never a pseudonym.
An unknown signed-in user gets no access at all (never a default role).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from iof.core import config


class AccessDenied(Exception):
    """The principal may not do or see this; the message is Swedish and safe to show."""


# --------------------------------------------------------------------------------------------
# The four roles, as data
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    name: str
    label: str
    detail: str  # "all" | "own" | "none": which units' rows with pseudonyms are visible
    may_import: bool = False
    may_adjust: bool = False  # prognosis adjustments (justeringar), all units
    may_audit: bool = False  # read and export the audit log; take and restore backups


ROLES: dict[str, Role] = {
    "ledningsgrupp": Role("ledningsgrupp", "Ledningsgrupp", detail="all"),
    "enhetschef": Role("enhetschef", "Enhetschef", detail="own"),
    "controller": Role("controller", "Controller", detail="all", may_import=True, may_adjust=True,
                       may_audit=True),
    "apt": Role("apt", "APT-visning", detail="none"),
}

@dataclass(frozen=True)
class Principal:
    user: str  # e-mail (or the OIDC subject) as the identity provider gives it; "lokal" in local mode
    role: str
    units: frozenset[str] = field(default_factory=frozenset)  # own units (enhetschef)
    local: bool = False  # local demo mode: never allowed on a database with real data

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"okänd roll {self.role!r}")

    @property
    def rules(self) -> Role:
        return ROLES[self.role]

    @property
    def label(self) -> str:
        own = f" ({', '.join(sorted(self.units))})" if self.units else ""
        return f"{self.user}, {self.rules.label.lower()}{own}"


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------
def may_see_detail(principal: Principal, unit: str) -> bool:
    detail = principal.rules.detail
    return detail == "all" or (detail == "own" and unit in principal.units)


def may_see_any_detail(principal: Principal) -> bool:
    return principal.rules.detail == "all" or (principal.rules.detail == "own" and bool(principal.units))


def may_import(principal: Principal) -> bool:
    """Imports bring real extracts: never in local mode (no sign-in), whatever its role."""
    return principal.rules.may_import and not principal.local


def may_adjust(principal: Principal, unit: str | None = None) -> bool:
    """Adjustments of the prognosis ("chefens justeringar"): the controller for every unit, an
    enhetschef for the own units (it is the chef's own prognosis); never in local mode for real data."""
    if principal.rules.may_adjust:
        return True
    return principal.role == "enhetschef" and unit is not None and unit in principal.units


def may_audit(principal: Principal) -> bool:
    return principal.rules.may_audit


def wide_audience(principal: Principal, unit: str | None = None) -> bool:
    """Counts shown to this principal about `unit` (None: across units) need suppression."""
    if principal.rules.detail == "all":
        return False
    if principal.rules.detail == "none" or unit is None:
        return True
    return unit not in principal.units


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise AccessDenied(f"Din roll har inte behörighet att {what}.")


def cache_key(principal: Principal) -> str:
    """What the principal may see, as a string for every cache key.

    Role and units, not the person: two enhetschefer of the same unit share cached frames,
    an enhetschef and the ledningsgrupp never do.
    """
    return f"{principal.role}:{','.join(sorted(principal.units))}"


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------
def restrict_detail(frame: pl.DataFrame, principal: Principal, unit_col: str = "unit") -> pl.DataFrame:
    """The rows of units the principal may see in detail; AccessDenied if there are none."""
    if not may_see_any_detail(principal):
        raise AccessDenied("Din roll visar bara sammanställningar, inte enskilda placeringar eller ärenden.")
    if principal.rules.detail == "all":
        return frame
    if unit_col not in frame.columns:
        raise ValueError(f"frame has no unit column {unit_col!r}; cannot restrict detail")
    return frame.filter(pl.col(unit_col).is_in(sorted(principal.units)))


# --------------------------------------------------------------------------------------------
# Resolving principals from the roles file
# --------------------------------------------------------------------------------------------
UNKNOWN_USER = (
    "Du är inloggad som {user}, men har ingen behörighet i IoF-dashboarden. "
    "Be controllern lägga till dig i rollfilen (roll och enhet)."
)
REAL_DATA_NEEDS_SIGN_IN = (
    "Databasen innehåller verkliga uppgifter och inloggning är inte konfigurerad. "
    "Uppgifterna visas bara efter inloggning (se README, avsnittet Inloggning och roller)."
)


@dataclass(frozen=True)
class RolesConfig:
    users: Mapping[str, Principal]  # lower-case e-mail or subject -> principal
    local_role: str  # the role of the local demo principal
    path: Path | None


def roles_path() -> Path | None:
    """$IOF_ROLLER, else `[behörighet] roller_fil` relative to the config file; None if unset."""
    env = os.environ.get("IOF_ROLLER")
    if env:
        return Path(env)
    name = config.load().section("behörighet").get("roller_fil", "")
    return (config.config_path().parent / name) if name else None


def load_roles(path: Path | None = None) -> RolesConfig:
    """Read the roles file. A missing file means: nobody signed in has access (not: everybody)."""
    path = path or roles_path()
    local_role = config.load().section("behörighet").get("lokal_roll", "controller")
    if local_role not in ROLES:
        raise ValueError(f"[behörighet] lokal_roll: okänd roll {local_role!r}; välj {', '.join(ROLES)}")
    users: dict[str, Principal] = {}
    if path is not None and path.exists():
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        for user, spec in raw.get("användare", {}).items():
            role = spec.get("roll")
            if role not in ROLES:
                raise ValueError(f"{path.name}: {user}: okänd roll {role!r}; välj {', '.join(ROLES)}")
            units = frozenset(spec.get("enheter", []))
            if role == "enhetschef" and not units:
                raise ValueError(f"{path.name}: {user}: en enhetschef behöver minst en enhet (enheter = [...])")
            users[user.strip().lower()] = Principal(user.strip(), role, units)
    return RolesConfig(users, local_role, path)


def resolve(user_info: Mapping[str, object], roles: RolesConfig | None = None) -> Principal:
    """The principal of a signed-in user (st.user as a dict): by e-mail, else by subject.

    AccessDenied (Swedish) for a user the roles file does not name.
    """
    roles = roles or load_roles()
    for key in ("email", "sub"):
        value = user_info.get(key)
        if isinstance(value, str) and value.strip().lower() in roles.users:
            return roles.users[value.strip().lower()]
    shown = user_info.get("email") or user_info.get("sub") or "okänd användare"
    from iof.core.privacy import redact

    raise AccessDenied(UNKNOWN_USER.format(user=redact(str(shown))))


def local_principal(is_demo_or_empty: bool, roles: RolesConfig | None = None) -> Principal:
    """Local mode (no sign-in configured): only on demo data; refused on a database with real data."""
    if not is_demo_or_empty:
        raise AccessDenied(REAL_DATA_NEEDS_SIGN_IN)
    roles = roles or load_roles()
    return Principal("lokal", roles.local_role, local=True)


def session_principal(
    user_info: Mapping[str, object] | None,
    *,
    auth_configured: bool,
    demo_or_empty: bool,
    roles: RolesConfig | None = None,
) -> Principal | None:
    """The decision the app makes on every run, in one place.

    - sign-in configured, nobody signed in: None (show the sign-in button, nothing else);
    - sign-in configured, signed in: the user's principal, AccessDenied if the roles file lacks them;
    - no sign-in configured (local mode): the local demo principal, AccessDenied on real data.
    `user_info` is st.user as a dict (is_logged_in, email, sub, …).
    """
    if auth_configured:
        if not user_info or not user_info.get("is_logged_in"):
            return None
        return resolve(user_info, roles)
    return local_principal(demo_or_empty, roles)


def cli_principal() -> str:
    """Who runs the command line (for the audit log): $IOF_USER or the OS user.

    The command line needs the database file itself, so whoever runs it has the controller's
    access already; it is the controller's tool (import, backup, restore, audit export).
    """
    from iof.core.privacy import current_user

    return current_user()
