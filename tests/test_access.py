"""Roles: what each of the four roles can and cannot see or do, on small hand frames."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iof import access
from iof.access import AccessDenied, Principal

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


# -- aggregates -------------------------------------------------------------------------------------
def test_ledningsgrupp_and_controller_get_aggregates_unsuppressed():
    for p in (LEDNING, CONTROLLER):
        out = access.aggregate_view(PER_UNIT, p, ["children"], dependent_cols=["mean_cost_kr"])
        assert out["children"].to_list() == [2, 7, 0]
        assert out["mean_cost_kr"].to_list() == [5000.0, 4000.0, None]


def test_apt_gets_every_small_count_suppressed_and_what_depends_on_it():
    out = access.aggregate_view(PER_UNIT, APT, ["children"], dependent_cols=["mean_cost_kr"])
    assert out["children"].to_list() == ["<5", "7", "0"]
    assert out["mean_cost_kr"].to_list() == [None, 4000.0, None]


def test_enhetschef_gets_own_unit_exact_and_other_units_suppressed():
    pu = PER_UNIT.with_columns(children=pl.Series([2, 3, 0]))
    out = access.aggregate_view(pu, CHEF_A, ["children"], dependent_cols=["mean_cost_kr"])
    assert out["children"].to_list() == ["2", "<5", "0"]
    assert out["mean_cost_kr"].to_list() == [5000.0, None, None]


def test_enhetschef_totals_across_units_are_suppressed():
    total = pl.DataFrame({"placement_type": ["HVB", "SiS"], "children": [12, 1]})
    out = access.aggregate_view(total, CHEF_A, ["children"], unit_col=None)
    assert out["children"].to_list() == ["12", "<5"]


@pytest.mark.parametrize("p", ALL, ids=lambda p: p.role)
def test_no_role_gets_pseudonyms_in_an_aggregate(p):
    leaky = PLACEMENTS.group_by("unit").agg(n=pl.len(), child_id=pl.col("child_id").first())
    out = access.aggregate_view(leaky, p, ["n"])
    assert not set(out.columns) & set(access.PSEUDONYM_COLUMNS)


def test_suppression_threshold_is_configurable_and_defaults_to_the_config():
    f = pl.DataFrame({"n": [0, 1, 4, 5, 9, 1234]})
    assert access.suppress_small(f, ["n"])["n"].to_list() == ["0", "<5", "<5", "5", "9", f"1{NB}234"]
    assert access.suppress_small(f, ["n"], threshold=10)["n"].to_list() == [
        "0", "<10", "<10", "<10", "<10", f"1{NB}234"]


def test_drop_pseudonyms_drops_code_and_report_names():
    f = pl.DataFrame({"barn_id": ["C1"], "placerings_id": ["P1"], "case_id": ["Ä1"], "enhet": [A]})
    assert access.drop_pseudonyms(f).columns == ["enhet"]


# -- the Reader: the one place pages read from ---------------------------------------------------
class FakeStore:
    def placements(self):
        return PLACEMENTS

    def cases(self):
        return pl.DataFrame({"case_id": ["Ä1", "Ä2"], "unit": [A, B]})

    def actual(self):
        return pl.DataFrame({"unit": [A, B], "amount_tkr": [1.0, 2.0]})


def per_unit(p: pl.DataFrame) -> pl.DataFrame:
    return p.group_by("unit").agg(children=pl.col("child_id").n_unique()).sort("unit")


@pytest.mark.parametrize("p, units", [(LEDNING, {A, B}), (CHEF_A, {A}), (CONTROLLER, {A, B})],
                         ids=["ledningsgrupp", "enhetschef", "controller"])
def test_reader_detail_per_role(p, units):
    r = access.Reader(FakeStore(), p)
    assert set(r.detail("placements")["unit"]) == units
    assert set(r.detail("cases")["unit"]) == units


def test_reader_refuses_detail_to_apt_but_gives_aggregates():
    r = access.Reader(FakeStore(), APT)
    with pytest.raises(AccessDenied):
        r.detail("placements")
    out = r.aggregate("placements", per_unit, ["children"])
    assert out.to_dicts() == [{"unit": B, "children": "<5"}, {"unit": A, "children": "<5"}]
    assert r.frame("actual").height == 2


def test_reader_never_hands_out_a_register_as_a_plain_frame():
    with pytest.raises(ValueError):
        access.Reader(FakeStore(), CONTROLLER).frame("placements")


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


def test_resolve_by_email_case_insensitive_or_subject(tmp_path):
    f = tmp_path / "roller.toml"
    f.write_text(ROLES_TOML, encoding="utf-8")
    roles = access.load_roles(f)
    assert access.resolve({"email": "anna.controller@X.SE"}, roles).role == "controller"
    chef = access.resolve({"email": "cecilia@x.se", "sub": "123"}, roles)
    assert chef.role == "enhetschef" and chef.units == {A}
    assert access.resolve({"sub": "apt-skarm"}, roles).role == "apt"


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
    from iof.config import ROOT

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
