"""Disclosure control (röjandekontroll) for views meant for a wider audience.

Pure Python on the scorecard (one row per unit × kpi, see iof.scorecard): which figures may be
shown to a wide audience, so that no hidden figure can be worked out from the shown ones. The
rule is written down in docs/rojandekontroll.md; in short, per measure:

1. **Primary suppression.** A count of children or events below the threshold (`små_tal_gräns`,
   default 5) is hidden — zero included, since "none of the unit's children" is also a fact
   about each of them. A share or median whose basis (closed ärenden, ended stays) is below the
   threshold is hidden. A staff measure (sjukfrånvaro, personalomsättning) is hidden for a unit
   with fewer people than `personalmått_minsta_antal` (default 10).
2. **Secondary suppression.** The IoF total of a measure is a sum (counts) or a mean (the rest)
   of the units' figures. If it is shown, the hidden units' sum is known: so at least two units
   must be hidden, and for counts their sum must be at least threshold − 1 (else each hidden
   count is pinned to a narrower range than "under the threshold"). When that does not hold, the
   smallest shown unit is hidden as well; when no unit is left to hide, the total is hidden.
   A count total below the threshold is itself a small count: it is hidden, and so is every
   unit. For a viewer who knows some units exactly, the total is hidden whenever every other
   unit is (whether their sum is small must not show in whether the total is shown).
   Units the viewer sees in detail anyway (an enhetschef's own) count as shown and are never
   hidden. The same is done separately for last year's values (the "förra året" column and
   total).
3. **Derived figures.** A goal computed from last year's value ("−10 % mot förra året (högst
   0,9)") is hidden when last year's value is; a status (på väg / risk / ej uppnått) is hidden
   when the value or the goal it compares is hidden, and hidden statuses are not counted in
   the IoF totals' "Enheter på väg: …".

Every hidden figure is shown the same way (`HIDDEN_TEXT`), whether hidden for being small or to
protect another, so the marker itself tells nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

HIDDEN_TEXT = "dolt"

# Measures by what their value is, for the rule above.
COUNT_KPIS = frozenset({"sammanbrott", "barn_i_konsulentstött_jourhem", "placerade_barn"})
STAFF_KPIS = frozenset({"sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct", "personalomsättning_12m_pct"})
# A share or median: hidden when its basis (closed ärenden, ended stays) is small.
BASIS_KPIS = frozenset({
    "jourhem_median_dagar", "förhandsbedömning_andel_inom_gräns", "utredning_andel_inom_gräns",
    "kontaktfamilj_andel_inom_gräns", "samarbetssamtal_andel_inom_gräns", "faderskap_andel_inom_gräns",
})


@dataclass(frozen=True)
class Rules:
    threshold: int = 5
    staff_min_headcount: int = 10

    @classmethod
    def from_config(cls, cfg=None) -> "Rules":
        from iof.core import config as config_mod

        cfg = cfg or config_mod.load()
        return cls(cfg.small_count_threshold, cfg.staff_min_headcount)


@dataclass
class Decision:
    """What a wide audience may see of one measure."""

    hidden_value: set[str] = field(default_factory=set)  # units
    hidden_baseline: set[str] = field(default_factory=set)
    total_value_hidden: bool = False
    total_baseline_hidden: bool = False


def protect_group(
    values: dict[str, float | None],
    primary: set[str],
    known: set[str],
    min_hidden_sum: float | None,
) -> tuple[set[str], bool]:
    """(hidden units, total hidden) for one column of one measure whose total is shown.

    `values`: unit → value (None: no figure, neither shown nor hidden). `primary`: units hidden
    by the primary rule. `known`: units this viewer sees anyway (never hidden, count as shown).
    `min_hidden_sum`: for counts, the least sum the hidden cells must have (threshold − 1), so
    that the total minus the shown units does not pin a hidden cell; None for means.
    """
    present = {u for u, v in values.items() if v is not None}
    counts = min_hidden_sum is not None
    if counts and not known and sum(values[u] or 0 for u in present) < min_hidden_sum + 1:
        # The total is itself a small count: it and every unit (all smaller) are hidden.
        return set(present), True
    hidden = (primary & present) - known
    total_hidden = False
    while hidden:
        s = sum(values[u] or 0 for u in hidden)
        if len(hidden) >= 2 and (min_hidden_sum is None or s >= min_hidden_sum):
            break
        candidates = sorted((u for u in present - hidden - known), key=lambda u: (values[u], u))
        if not candidates:
            total_hidden = True
            break
        hidden.add(candidates[0])
    if counts and known and hidden and hidden == present - known:
        # Every unit but the viewer's own is hidden: whether their sum is small must not show
        # in whether the total is shown, so the total is hidden whatever the sum.
        total_hidden = True
    return hidden, total_hidden


def decide(sc: pl.DataFrame, rules: Rules, known_units: frozenset[str] | set[str] = frozenset()) -> dict[str, Decision]:
    """kpi → Decision for a scorecard (columns unit, kpi, value, baseline, basis, baseline_basis,
    headcount)."""
    known = set(known_units)
    out: dict[str, Decision] = {}
    cols = [c for c in ("unit", "kpi", "value", "baseline", "basis", "baseline_basis", "headcount") if c in sc.columns]
    rows_by_kpi: dict[str, list[dict]] = {}
    for r in sc.select(cols).iter_rows(named=True):
        rows_by_kpi.setdefault(r["kpi"], []).append(r)
    t = rules.threshold
    for kpi, rows in rows_by_kpi.items():
        d = Decision()
        for column, basis_col, total_attr, hidden_attr in (
            ("value", "basis", "total_value_hidden", "hidden_value"),
            ("baseline", "baseline_basis", "total_baseline_hidden", "hidden_baseline"),
        ):
            values = {r["unit"]: r.get(column) for r in rows}
            if kpi in COUNT_KPIS:
                primary = {u for u, v in values.items() if v is not None and v < t}
                min_sum = float(t - 1)
            elif kpi in STAFF_KPIS:
                heads = {r["unit"]: r.get("headcount") for r in rows}  # headcount now stands for both years
                primary = {u for u in values if heads.get(u) is None or heads[u] < rules.staff_min_headcount}
                min_sum = None
            elif kpi in BASIS_KPIS:
                basis = {r["unit"]: r.get(basis_col) for r in rows}
                primary = {u for u in values if basis.get(u) is None or basis[u] < t}
                min_sum = None
            else:  # money and care days: not about few identifiable people
                continue
            hidden, total_hidden = protect_group(values, primary, known, min_sum)
            setattr(d, hidden_attr, hidden)
            setattr(d, total_attr, total_hidden)
        out[kpi] = d
    return out


def apply(sc: pl.DataFrame, rules: Rules, known_units: frozenset[str] | set[str] = frozenset()) -> pl.DataFrame:
    """The scorecard with flags for a wide audience: value_hidden, baseline_hidden, goal_hidden,
    status_hidden per unit × kpi, and total_value_hidden, total_baseline_hidden per kpi."""
    decisions = decide(sc, rules, known_units)
    recs = []
    for r in sc.select("unit", "kpi", *[c for c in ("comparison",) if c in sc.columns]).iter_rows(named=True):
        d = decisions.get(r["kpi"], Decision())
        vh = r["unit"] in d.hidden_value
        bh = r["unit"] in d.hidden_baseline
        derived = r.get("comparison") == "mot_föregående_år"
        gh = bh and derived
        recs.append((r["unit"], r["kpi"], vh, bh, gh, vh or gh, d.total_value_hidden, d.total_baseline_hidden))
    flags = pl.DataFrame(
        recs,
        schema={"unit": pl.String, "kpi": pl.String, "value_hidden": pl.Boolean, "baseline_hidden": pl.Boolean,
                "goal_hidden": pl.Boolean, "status_hidden": pl.Boolean, "total_value_hidden": pl.Boolean,
                "total_baseline_hidden": pl.Boolean},
        orient="row",
    )
    drop = [c for c in flags.columns if c in sc.columns and c not in ("unit", "kpi")]
    return sc.drop(drop).join(flags, on=["unit", "kpi"], how="left")
