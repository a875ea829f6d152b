"""The fixed vocabulary of the data contract: kostnadsslag, placeringsformer, ärendetyper, extract kinds."""

from __future__ import annotations

import polars as pl

INCOME_TYPES: tuple[str, ...] = (
    "Taxor och avgifter",
    "Hyresintäkter",
    "Bidrag och ersättningar",
    "Försäljning",
    "Övriga externa intäkter",
)
COST_TYPES: tuple[str, ...] = (
    "Personalkostnader",
    "Övriga personalkostnader",
    "Lokalkostnader",
    "Entreprenader och köp av verksamhet",
    "Övriga kostnader",
)
ALL_COST_TYPES: tuple[str, ...] = COST_TYPES + INCOME_TYPES  # report order: costs, then income
# The kostnadsslag the staffing extract explains (salaries; hired staff and consultants).
STAFF_COST_TYPES: tuple[str, ...] = ("Personalkostnader", "Övriga personalkostnader")
NET = "Netto"


def net_sign(column: str = "cost_type") -> pl.Expr:
    """+1 for a cost line, −1 for an income line: Netto = kostnader − intäkter."""
    return pl.when(pl.col(column).is_in(list(INCOME_TYPES))).then(-1.0).otherwise(1.0)


IOF_TOTAL = "IoF totalt"

PLACEMENT_TYPES: tuple[str, ...] = (
    "Familjehem egen regi",
    "Familjehem konsulentstött",
    "Jourhem egen regi",
    "Jourhem konsulentstött",
    "Nätverkshem",
    "HVB",
    "SiS",
    "Stödboende",
)
END_REASONS: tuple[str, ...] = (
    "Planerad",
    "Sammanbrott",
    "Omplacering",
    "Vårdnadsöverflyttning",
    "Åldersgräns",
    "Annan",
)
BREAKDOWN = "Sammanbrott"

CASE_TYPES: tuple[str, ...] = (
    "Förhandsbedömning",
    "Utredning",
    "Samarbetssamtal",
    "Vårdnadsutredning",
    "Faderskap",
    "Kontaktfamilj",
    "Familjehemsutredning",
)

KINDS: tuple[str, ...] = ("budget", "utfall", "placeringar", "bemanning", "arenden")
KIND_LABELS: dict[str, str] = {
    "budget": "Budget",
    "utfall": "Utfall",
    "placeringar": "Placeringar",
    "bemanning": "Bemanning",
    "arenden": "Ärenden",
}

MONTH_NAMES: tuple[str, ...] = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
MONTH_ABBR: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
)


def is_income(cost_type: str) -> bool:
    return cost_type in INCOME_TYPES

# The own-care form a bought placement can move to (what-if).
OWN_FORM = {
    "Jourhem konsulentstött": "Jourhem egen regi",
    "Familjehem konsulentstött": "Familjehem egen regi",
}
