"""Roles: what each of the four roles can and cannot see or do, on small hand frames."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iof.core import access
from iof.core.access import AccessDenied, Principal

NB = "\u00a0"
A, B = "Familjehemsenheten", "Barn och unga"

LEDNING = Principal("bo@x.se", "ledningsgrupp")
CHEF_A = Principal("cecilia@x.se", "enhetschef", frozenset({A}))
CONTROLLER = Principal("anna@x.se", "controller")
APT = Principal("apt@x.se", "apt")
ALL = [LEDNING, CHEF_A, CONTROLLER, APT]

# Three placements: two in A, one in B.
PLACEMENTS = pl.DataFrame({
    "placement_id": ["P1", "P2", "P3"],
    "child_id": ["C1", "C2", "C3"],
    "unit": [A, A, B],
    "placement_type": ["HVB", "HVB", "SiS"],
    "start_date": [date(2025, 1, 1)] * 3,
})
# An aggregate: children per unit (A: 2, B: 7, C: 0) and their mean daily cost.
PER_UNIT = pl.DataFrame({"unit": [A, B, "C"], "children": [2, 7, 0], "mean_cost_kr": [5000.0, 4000.0, None]})


# -- detail (rows with pseudonyms) --------------------------------------------------------------
def test_ledningsgrupp_sees_every_unit_in_detail():
    assert access.restrict_detail(PLACEMENTS, LEDNING)["placement_id"].to_list() == ["P1", "P2", "P3"]
    assert access.may_see_detail(LEDNING, A) and access.may_see_detail(LEDNING, B)


def test_enhetschef_sees_own_unit_in_detail_and_no_other():
    out = access.restrict_detail(PLACEMENTS, CHEF_A)
    assert out["placement_id"].to_list() == ["P1", "P2"]
    assert set(out["unit"]) == {A}
    assert access.may_see_detail(CHEF_A, A) and not access.may_see_detail(CHEF_A, B)


def test_controller_sees_every_unit_in_detail():
    assert access.restrict_detail(PLACEMENTS, CONTROLLER).height == 3
    assert access.may_see_detail(CONTROLLER, B)


def test_apt_sees_no_detail_at_all():
    with pytest.raises(AccessDenied, match="bara sammanställningar"):
        access.restrict_detail(PLACEMENTS, APT)
    assert not access.may_see_detail(APT, A)


def test_enhetschef_without_units_sees_no_detail():
    with pytest.raises(AccessDenied):
        access.restrict_detail(PLACEMENTS, Principal("x@x.se", "enhetschef"))


# -- actions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("p, imports, adjusts_a, adjusts_b, audits", [
    (LEDNING, False, False, False, False),
    (CHEF_A, False, True, False, False),
    (CONTROLLER, True, True, True, True),
    (APT, False, False, False, False),
])
def test_only_the_controller_imports_and_reads_the_audit_log_and_chefs_adjust_their_own_unit(
        p, imports, adjusts_a, adjusts_b, audits):
    assert access.may_import(p) is imports
    assert access.may_adjust(p, A) is adjusts_a and access.may_adjust(p, B) is adjusts_b
    assert access.may_audit(p) is audits


def test_require_gives_a_swedish_message():
    with pytest.raises(AccessDenied, match="Din roll har inte behörighet att importera"):
        access.require(access.may_import(APT), "importera")
    access.require(access.may_import(CONTROLLER), "importera")


# -- cache keys -----------------------------------------------------------------------------------
def test_cache_key_differs_by_what_may_be_seen_not_by_person():
    keys = {access.cache_key(p) for p in ALL}
    assert len(keys) == 4
    assert access.cache_key(CHEF_A) == access.cache_key(Principal("other@x.se", "enhetschef", frozenset({A})))
    assert access.cache_key(CHEF_A) != access.cache_key(Principal("c@x.se", "enhetschef", frozenset({B})))


# -- resolving principals -------------------------------------------------------------------------
ROLES_TOML = f"""
["användare"."Anna.Controller@x.se"]
roll = "controller"
["användare"."cecilia@x.se"]
roll = "enhetschef"
enheter = ["{A}"]
["användare"."apt-skarm"]
roll = "apt"
"""


def test_resolve_by_the_one_configured_claim_case_insensitive(tmp_path):
    import dataclasses

    f = tmp_path / "roller.toml"
    f.write_text(ROLES_TOML, encoding="utf-8")
    roles = access.load_roles(f)
    assert roles.identity_claim == "email"
    assert access.resolve({"email": "anna.controller@X.SE"}, roles).role == "controller"
    chef = access.resolve({"email": "cecilia@x.se", "sub": "123"}, roles)
    assert chef.role == "enhetschef" and chef.units == {A}
    # issue 10: no fallback to `sub` (a subject equal to a configured name is not that person)
    with pytest.raises(AccessDenied) as exc:
        access.resolve({"sub": "apt-skarm"}, roles)
    assert exc.value.reason == "saknar identitetsuppgiften email"
    # a provider whose users are known by their subject is configured so: [behörighet] identitet
    assert access.resolve({"sub": "apt-skarm"}, dataclasses.replace(roles, identity_claim="sub")).role == "apt"


@pytest.mark.parametrize("verified", [False, "false", "False", None, 0])
def test_an_unverified_email_is_refused(tmp_path, verified):
    f = tmp_path / "roller.toml"
    f.write_text(ROLES_TOML, encoding="utf-8")
    roles = access.load_roles(f)
    with pytest.raises(AccessDenied, match="inte bekräftat") as exc:
        access.resolve({"email": "anna.controller@x.se", "email_verified": verified}, roles)
    assert exc.value.reason == "e-postadressen är inte verifierad"
    assert access.resolve({"email": "anna.controller@x.se", "email_verified": True}, roles).role == "controller"
    assert access.resolve({"email": "anna.controller@x.se", "email_verified": "true"}, roles).role == "controller"


def test_unknown_user_gets_no_access_not_a_default_role(tmp_path):
    f = tmp_path / "roller.toml"
    f.write_text(ROLES_TOML, encoding="utf-8")
    with pytest.raises(AccessDenied, match="ingen behörighet i IoF-dashboarden"):
        access.resolve({"email": "okand@x.se"}, access.load_roles(f))


def test_without_a_roles_file_nobody_has_access(tmp_path):
    with pytest.raises(AccessDenied):
        access.resolve({"email": "anna.controller@x.se"}, access.load_roles(tmp_path / "saknas.toml"))


def test_roles_file_errors_are_caught(tmp_path):
    f = tmp_path / "roller.toml"
    f.write_text('["användare"."a@x.se"]\nroll = "chef"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="okänd roll"):
        access.load_roles(f)
    f.write_text('["användare"."a@x.se"]\nroll = "enhetschef"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="minst en enhet"):
        access.load_roles(f)


def test_local_mode_only_on_demo_data(tmp_path):
    roles = access.load_roles(tmp_path / "saknas.toml")
    p = access.local_principal(is_demo_or_empty=True, roles=roles)
    assert p.local and p.role == "controller"
    with pytest.raises(AccessDenied, match="verkliga uppgifter"):
        access.local_principal(is_demo_or_empty=False, roles=roles)


def test_the_example_roles_file_is_valid():
    from iof.core.config import ROOT

    roles = access.load_roles(ROOT / "data" / "config" / "roller.exempel.toml")
    assert {p.role for p in roles.users.values()} == set(access.ROLES)


def test_unknown_user_message_never_echoes_a_personnummer(tmp_path):
    with pytest.raises(AccessDenied) as exc:
        access.resolve({"sub": "199001011234"}, access.load_roles(tmp_path / "saknas.toml"))
    assert "199001011234" not in str(exc.value)


def test_session_principal_decides_sign_in_local_mode_and_refusal(tmp_path):
    f = tmp_path / "roller.toml"
    f.write_text(ROLES_TOML, encoding="utf-8")
    roles = access.load_roles(f)
    decide = lambda info, auth, demo: access.session_principal(info, auth_configured=auth,
                                                               demo_or_empty=demo, roles=roles)
    assert decide(None, True, False) is None  # show the sign-in button
    assert decide({"is_logged_in": False}, True, True) is None
    assert decide({"is_logged_in": True, "email": "cecilia@x.se"}, True, False).units == {A}
    with pytest.raises(AccessDenied, match="ingen behörighet"):
        decide({"is_logged_in": True, "email": "okand@x.se"}, True, False)
    assert decide({"is_logged_in": False}, False, True).local  # local mode on demo data
    with pytest.raises(AccessDenied, match="inloggning är inte konfigurerad"):
        decide(None, False, False)


def test_local_mode_never_imports_even_as_controller(tmp_path):
    p = access.local_principal(True, access.load_roles(tmp_path / "saknas.toml"))
    assert p.role == "controller" and not access.may_import(p)
    assert access.may_audit(p) and access.may_see_detail(p, A)
