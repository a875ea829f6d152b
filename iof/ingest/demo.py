"""Realistic demo extracts, written exactly as the data contract's files (Swedish Excel CSV).

`write_demo_extracts` simulates one stadsdelsförvaltning's IoF (scale "district") or fourteen
(scale "city") and writes budget, utfall, bemanning, placeringar and ärenden files that the
importer reads like real ones. The figures follow shared/domain/SEED-FACTS.md and RULES.md:
budgets in the documents' ranges, Familjehemsenheten ≈ 10 mnkr over budget in 2024 driven by
sammanbrott and bought jourhem, placements priced in the typical ranges, handläggningstider
around their limits.

How it is made (so that the numbers agree with each other):
1. Placements are simulated child by child with an event queue from years before the first
   exported year (a realistic stock of ongoing placements), through 31 December of the current
   year. Sammanbrott at Familjehemsenheten are scheduled per year (3 in 2023, 11 in 2024, fewer
   after) and each is followed within 0–7 days by a costly placement of the same child.
2. Utfall is derived from the data: placement costs are vårddygn × dygnskostnad / 1000 per
   unit and month, booked on the kostnadsslag `iof.core.config.load()` names for the placeringsform
   (times a small noise factor, at most ±PLACEMENT_COST_NOISE); staff costs from filled FTE with
   the year's profile (July low, December accruals); consultants on Övriga kostnader.
3. Budgets are set from the expected level of each line, with designed deviations for
   Familjehemsenheten (the 2024 deficit, the 2025 cut).
4. The registers (placeringar, ärenden) are shown as the system knew them on the last data day:
   later starts dropped, later endings empty.

Deterministic: the same (scale, seed, today) gives byte-identical files. No global random state.
"""

from __future__ import annotations

import heapq
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from iof.core import config as iof_config

# ---------------------------------------------------------------------------------------------
# Vocabulary and parameters
# ---------------------------------------------------------------------------------------------

BOU, FHE, FS, FR, VUX = "bou", "fhe", "fs", "fr", "vux"
UNIT_BASE_NAMES: dict[str, str] = {
    BOU: "Barn och ungdom",
    FHE: "Familjehemsenheten",
    FS: "Familjestöd",
    FR: "Familjerätt",
    VUX: "Vuxenenheten/RVC",
}

# Stockholm's stadsdelsområden with a size factor relative to the district-scale demo (1.0).
CITY_DISTRICTS: tuple[tuple[str, float], ...] = (
    ("Rinkeby-Kista", 1.3),
    ("Spånga-Tensta", 1.2),
    ("Hässelby-Vällingby", 1.1),
    ("Bromma", 0.8),
    ("Kungsholmen", 0.7),
    ("Norrmalm", 0.6),
    ("Östermalm", 0.6),
    ("Södermalm", 0.9),
    ("Enskede-Årsta-Vantör", 1.2),
    ("Skarpnäck", 0.9),
    ("Farsta", 1.0),
    ("Älvsjö", 0.6),
    ("Hägersten-Liljeholmen", 1.0),
    ("Skärholmen", 1.1),
)

# Typical dygnskostnad (kr) per placeringsform, RULES.md (jourhem egen regi: the brief's range).
DAILY_COST_RANGE: dict[str, tuple[int, int]] = {
    "Familjehem egen regi": (500, 900),
    "Nätverkshem": (400, 800),
    "Familjehem konsulentstött": (1900, 4200),
    "Jourhem konsulentstött": (2500, 4500),
    "HVB": (3500, 8000),
    "Stödboende": (1500, 3000),
    "SiS": (5000, 13000),
    "Jourhem egen regi": (700, 1200),
}

# Utfall on a placement kostnadsslag = exact placement cost × a factor within 1 ± this.
PLACEMENT_COST_NOISE = 0.015



@dataclass(frozen=True)
class DemoOptions:
    """Generator parameters beyond scale and seed (the defaults are the demo; the others exist
    so the prognosis can be tested on data it was not developed on, see docs/demo.md).

    invoice_lag_months: bought care (Entreprenader och köp av verksamhet) and consultants are
      invoiced and booked this many months after the days of care (0 or 1), with a December
      accrual so that the year holds exactly its own care days.
    intake_factor: multiplies every intake stream's rate (2.0 = doubled intake).
    indexation: dygnskostnad of an ongoing placement rises by this each January.
    """

    invoice_lag_months: int = 1
    intake_factor: float = 1.0
    indexation: float = 0.03


# Files beside the extracts that say what they are (the importer may read it; not an extract).
DEMO_META_FILE = "demo.json"

BUDGET_COLUMNS = ("år", "månad", "enhet", "kostnadsslag", "belopp_tkr")
ACTUAL_COLUMNS = ("år", "månad", "enhet", "kostnadsslag", "belopp_tkr")
STAFFING_COLUMNS = (
    "år", "månad", "enhet", "budgeterade_åa", "bemannade_åa", "vakanta_tjänster", "konsulter_åa",
    "sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct", "avgångar", "handläggare_åa", "aktuella_ärenden",
)
PLACEMENT_COLUMNS = (
    "placerings_id", "barn_id", "enhet", "placeringsform", "startdatum", "slutdatum",
    "planerat_slutdatum", "dygnskostnad_kr", "avslutsorsak", "lagrum", "kön", "födelseår",
    "ensamkommande",
)
CASE_COLUMNS = ("ärende_id", "enhet", "ärendetyp", "inkom_datum", "start_datum", "avslut_datum")

# Monthly profile of staff costs: July low (semester), December with accruals.
STAFF_PROFILE = np.array([1.0, 1.0, 1.01, 1.0, 1.0, 1.02, 0.65, 0.9, 1.02, 1.02, 1.01, 1.25])
# Profile of övriga personalkostnader (utbildning, handledning): low in summer.
OTHER_STAFF_PROFILE = np.array([0.85, 1.0, 1.1, 1.05, 1.05, 0.95, 0.4, 0.75, 1.2, 1.2, 1.15, 1.3])
# Anmälningar/ärenden per month: fewer in July, more in autumn.
CASE_MONTH_WEIGHT = np.array([1.0, 1.05, 1.1, 1.0, 1.05, 0.95, 0.55, 0.85, 1.15, 1.15, 1.1, 0.9])

# Per unit: budgeted FTE, share who are handläggare, staff cost tkr per FTE and month (2024),
# lokalkostnader and övriga kostnader tkr per year (district scale, 2024 level).
@dataclass(frozen=True)
class _UnitParams:
    fte: float
    caseworker_share: float
    cost_per_fte: float
    premises: float
    other: float
    income: dict[str, float] = field(default_factory=dict)  # fixed income lines, tkr/year


UNIT_PARAMS: dict[str, _UnitParams] = {
    BOU: _UnitParams(70, 0.62, 54.0, 7400, 5400,
                     {"Bidrag och ersättningar": 900, "Taxor och avgifter": 180,
                      "Övriga externa intäkter": 250}),
    FHE: _UnitParams(20, 0.62, 55.0, 1800, 1400, {"Taxor och avgifter": 220}),
    FS: _UnitParams(17, 0.75, 53.0, 1500, 1300,
                    {"Försäljning": 850, "Bidrag och ersättningar": 450}),
    FR: _UnitParams(7, 0.8, 56.0, 700, 450, {"Försäljning": 300}),
    VUX: _UnitParams(17, 0.6, 54.0, 1900, 1700,
                     {"Hyresintäkter": 620, "Bidrag och ersättningar": 500, "Taxor och avgifter": 160}),
}
CONSULTANT_COST_PER_MONTH = 110.0  # tkr per konsult-åa and month
MIGRATIONSVERKET_KR_PER_DAY = 220.0  # effective ersättning per vårddygn for ensamkommande


# ---------------------------------------------------------------------------------------------
# Public entry
# ---------------------------------------------------------------------------------------------


def last_data_day(today: date) -> date:
    """The last day of the last complete month before `today`."""
    return today.replace(day=1) - timedelta(days=1)


def write_demo_extracts(
    out_dir: Path, scale: str = "district", seed: int = 1, today: date | None = None,
    options: DemoOptions | None = None,
) -> list[Path]:
    """Write the demo extracts into `out_dir`; return the files in import order.

    Order: budget_YYYY.csv per year, utfall_YYYY.csv per year, bemanning_YYYY.csv per year,
    placeringar_YYYY-MM.csv, arenden_YYYY-MM.csv (registers as of the last data day). Also
    writes `demo.json` (not an extract) with the as-of date, scale and seed.
    """
    if scale not in ("district", "city"):
        raise ValueError(f"Okänd skala {scale!r}: välj 'district' eller 'city'.")
    today = today or date.today()
    last_day = last_data_day(today)
    n_years = 4 if scale == "district" else 10
    years = list(range(last_day.year - n_years + 1, last_day.year + 1))
    districts = [("", 1.0)] if scale == "district" else list(CITY_DISTRICTS)
    cfg = iof_config.load()

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    budgets, actuals, staffing, placements, cases = [], [], [], [], []
    id_state = _IdState(seed)
    for d_idx, (district, factor) in enumerate(districts):
        units = {k: (f"{v} {district}" if district else v) for k, v in UNIT_BASE_NAMES.items()}
        sim = _District(
            seed=seed, index=d_idx, factor=factor, city=scale == "city", units=units, years=years,
            last_day=last_day, cfg=cfg, ids=id_state, options=options or DemoOptions(),
        )
        sim.run()
        budgets.append(sim.budget_rows)
        actuals.append(sim.actual_rows)
        staffing.append(sim.staffing_rows)
        placements.append(sim.placement_frame)
        cases.append(sim.case_frame)

    budget = pl.concat(budgets)
    actual = pl.concat(actuals)
    staff = pl.concat(staffing)
    place = pl.concat(placements)
    case = pl.concat(cases)
    place, case = id_state.assign(place, case)

    paths: list[Path] = []
    for y in years:
        paths.append(_write(out_dir / f"budget_{y}.csv", _format_money(budget.filter(pl.col("år") == y)),
                            BUDGET_COLUMNS))
    for y in years:
        paths.append(_write(out_dir / f"utfall_{y}.csv", _format_money(actual.filter(pl.col("år") == y)),
                            ACTUAL_COLUMNS))
    for y in years:
        paths.append(_write(out_dir / f"bemanning_{y}.csv", _format_staffing(staff.filter(pl.col("år") == y)),
                            STAFFING_COLUMNS))
    period = f"{last_day.year}-{last_day.month:02d}"
    paths.append(_write(out_dir / f"placeringar_{period}.csv", _format_placements(place), PLACEMENT_COLUMNS))
    paths.append(_write(out_dir / f"arenden_{period}.csv", _format_cases(case), CASE_COLUMNS))

    meta = {
        "demo": True,
        "as_of": last_day.isoformat(),
        "today": today.isoformat(),
        "scale": scale,
        "seed": seed,
        "years": years,
        "units": sorted(budget["enhet"].unique().to_list()),
        "periodised_budget": {
            "kostnadsslag": "Personalkostnader",
            "enheter": sorted(u for u in budget["enhet"].unique().to_list() if u.startswith("Barn och ungdom")),
        },
        "files": [p.name for p in paths],
        "generator": "iof.ingest.demo.write_demo_extracts",
    }
    (out_dir / DEMO_META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    return paths


def read_demo_meta(out_dir: Path) -> dict | None:
    """The demo.json written beside demo extracts, or None if the folder holds none."""
    path = Path(out_dir) / DEMO_META_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Identifiers: pseudonyms that can never look like a personnummer (never 10 or 12 digits)
# ---------------------------------------------------------------------------------------------


class _IdState:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng([seed, 9001])

    def assign(self, place: pl.DataFrame, case: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        # Placement ids grow with the start date, as a system's serial numbers do, with gaps.
        place = place.sort("startdatum", "_key")
        n = place.height
        gaps = self.rng.integers(1, 4, size=n)
        pid = 100000 + np.cumsum(gaps)
        # Children: distinct random 6-hex pseudonyms.
        child_keys = place["_child"].unique(maintain_order=True).to_numpy()
        codes = self.rng.choice(16**6, size=len(child_keys), replace=False)
        child_map = pl.DataFrame({
            "_child": child_keys,
            "barn_id": [f"B-{c:06x}" for c in codes],
        })
        place = (
            place.with_columns(placerings_id=pl.Series([f"P-{p}" for p in pid]))
            .join(child_map, on="_child", how="left")
            .drop("_key", "_child")
        )
        case = case.sort("inkom_datum", "_key")
        gaps = self.rng.integers(1, 3, size=case.height)
        cid = 10000 + np.cumsum(gaps)
        case = case.with_columns(ärende_id=pl.Series([f"Ä-{c}" for c in cid])).drop("_key")
        return place, case


# ---------------------------------------------------------------------------------------------
# One district's simulation
# ---------------------------------------------------------------------------------------------


@dataclass
class _Placement:
    key: int
    child: int
    unit: str
    form: str
    start: int  # date ordinal
    end: int  # natural (or breakdown) last day of care, ordinal
    planned: int | None
    cost: int
    reason: str
    next_form: str | None
    lagrum: str
    version: int = 0


@dataclass
class _Child:
    key: int
    birth: int  # ordinal of birth date
    sex: str
    unaccompanied: bool
    lvu: bool


# Entry streams: (unit, form, kind of child, rate per year at district scale by year).
def _rate_jourhem_agency(y: int) -> float:
    return {2023: 8.0, 2024: 14.0, 2025: 6.0}.get(y, 6.0 if y < 2023 else 5.0)


def _rate_unaccompanied_fh(y: int) -> float:
    return {2015: 7.0, 2016: 6.0, 2017: 4.0}.get(y, 2.5)


def _rate_unaccompanied_hvb(y: int) -> float:
    return {2015: 6.0, 2016: 5.0, 2017: 2.0}.get(y, 0.8)


STREAMS: tuple[tuple[str, str, str, object], ...] = (
    (FHE, "Jourhem egen regi", "child", 20.0),
    (FHE, "Jourhem konsulentstött", "child", _rate_jourhem_agency),
    (FHE, "Familjehem egen regi", "child", 1.5),
    (FHE, "Familjehem egen regi", "ens", _rate_unaccompanied_fh),
    (FHE, "Familjehem konsulentstött", "child", 0.5),
    (FHE, "Familjehem konsulentstött", "ens", 0.6),
    (FHE, "Nätverkshem", "child", 0.5),
    (BOU, "HVB", "teen", 5.0),
    (BOU, "HVB", "ens", _rate_unaccompanied_hvb),
    (BOU, "SiS", "teen", 2.0),
    (BOU, "Stödboende", "youth", 2.5),
    (VUX, "Stödboende", "adult", 4.0),
    (VUX, "HVB", "adult", 2.5),
)

FHE_BREAKDOWN_FORMS = (
    "Familjehem egen regi", "Familjehem konsulentstött", "Jourhem egen regi",
    "Jourhem konsulentstött", "Nätverkshem",
)


FHE_FOLLOW_UPS = (
    "Jourhem konsulentstött", "HVB", "Jourhem konsulentstött", "SiS", "HVB",
    "Jourhem konsulentstött", "HVB", "Jourhem konsulentstött", "SiS", "Jourhem konsulentstött",
    "HVB",
)


def fhe_breakdowns_per_year(y: int) -> float:
    """Sammanbrott a year at Familjehemsenheten, district scale (seeds: 3 in 2023, 11 in 2024)."""
    return {2024: 11.0, 2025: 8.0, 2026: 7.0}.get(y, 3.0 if y < 2024 else 6.0)


def fhe_deficit_tkr(y: int) -> float:
    """Designed netto deficit of Familjehemsenheten (tkr, district scale)."""
    return {2022: 800.0, 2023: 1800.0, 2024: 10000.0, 2025: 5200.0, 2026: 3000.0}.get(
        y, 400.0 if y < 2022 else 2000.0
    )


def _consultants_bou(y: int) -> float:
    return {2023: 4.0, 2024: 3.0, 2025: 2.0, 2026: 1.0}.get(y, 5.0 if y < 2023 else 0.5)


def _vacancy_rate(unit: str, y: int) -> float:
    if unit == BOU:
        return {2023: 0.05, 2024: 0.08, 2025: 0.06}.get(y, 0.04)
    if unit == FHE:
        return {2023: 0.06, 2024: 0.12, 2025: 0.08}.get(y, 0.05)
    return 0.04


class _District:
    def __init__(self, *, seed: int, index: int, factor: float, city: bool, units: dict[str, str],
                 years: list[int], last_day: date, cfg: iof_config.Config, ids: _IdState,
                 options: DemoOptions | None = None) -> None:
        self.seed, self.index, self.factor, self.city = seed, index, factor, city
        self.options = options or DemoOptions()
        self.units, self.years, self.last_day, self.cfg = units, years, last_day, cfg
        self.last = last_day.toordinal()
        self.first_year = years[0]
        self.sim_start = date(self.first_year - 10, 1, 1).toordinal()
        self.sim_end = date(years[-1], 12, 31).toordinal()
        self.py = random.Random(f"iof-demo/{seed}/{index}/placements")
        self.np = np.random.default_rng([seed, index, 1])
        self.children: list[_Child] = []
        self.placements: list[_Placement] = []
        self.active: dict[str, dict[int, _Placement]] = {u: {} for u in UNIT_BASE_NAMES}
        self.heap: list[tuple[int, int, str, object]] = []
        self.n_followups = index  # districts start at different points of the follow-up cycle
        self.seq = 0
        # Months of the simulated years (full years, budgets need the whole current year).
        self.month_starts = [date(y, m, 1) for y in years for m in range(1, 13)]
        self.n_months = len(self.month_starts)
        self.n_export = sum(1 for d in self.month_starts if d <= last_day)

    # -- event queue -------------------------------------------------------------------------
    def _push(self, day: int, kind: str, payload: object) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (day, self.seq, kind, payload))

    def run(self) -> None:
        self._schedule()
        while self.heap:
            day, _, kind, payload = heapq.heappop(self.heap)
            if day > self.sim_end:
                break
            if kind == "arrive":
                unit, form, child_kind = payload  # type: ignore[misc]
                child = self._new_child(day, child_kind)
                self._place(child, unit, form, day)
            elif kind == "end":
                p, version = payload  # type: ignore[misc]
                if p.version == version:
                    self._end(p)
            elif kind == "breakdown":
                self._breakdown(payload, day)  # type: ignore[arg-type]
            elif kind == "action":
                self._move_from_bought_jourhem(day)
        self._finance()
        self.case_frame = _simulate_cases(self)
        self.placement_frame = self._placement_frame()

    def _schedule(self) -> None:
        f = self.factor
        y0 = date.fromordinal(self.sim_start).year
        surge = self.py.uniform(0.3, 1.2)
        for y in range(y0, self.years[-1] + 1):
            start = date(y, 1, 1).toordinal()
            days = date(y, 12, 31).toordinal() - start + 1
            for unit, form, kind, rate in STREAMS:
                # Stratified arrivals: about `lam` a year, spread over the year (a steadier stock
                # than a Poisson process, so the designed budget story holds for every seed).
                lam = (rate(y) if callable(rate) else rate) * f * self.options.intake_factor
                n = int(lam) + (1 if self.py.random() < lam - int(lam) else 0)
                for k in range(n):
                    self._push(start + int((k + self.py.random()) / n * days), "arrive", (unit, form, kind))
            # Sammanbrott: exact counts at district scale, proportional with jitter at city scale.
            n_fhe = fhe_breakdowns_per_year(y)
            if self.city:  # city scale: each district has its own share of the 2024 surge
                n_fhe = 3.0 + (n_fhe - 3.0) * surge
                n_fhe = max(0, round(n_fhe * f * self.py.uniform(0.8, 1.2)))
            else:
                n_fhe = round(n_fhe * f)
            if y >= self.first_year:
                for off in sorted(self.py.sample(range(days), n_fhe)):
                    self._push(start + off, "breakdown", FHE)
            else:  # warm-up years: a few, so the stock has a history
                for off in sorted(self.py.sample(range(days), round(3 * f))):
                    self._push(start + off, "breakdown", FHE)
            for off in sorted(self.py.sample(range(days), self.np.poisson(1.5 * f))):
                self._push(start + off, "breakdown", BOU)
            if y == 2025:  # the ledningsgrupp's measure after the 2024 deficit (seed goals 2025)
                self._push(date(2025, 1, 20).toordinal(), "action", FHE)

    # -- children and placements --------------------------------------------------------------
    def _new_child(self, day: int, kind: str) -> _Child:
        r = self.py
        age = {
            "child": lambda: r.choice([r.uniform(0, 6), r.uniform(4, 13), r.uniform(10, 16.5)]),
            "teen": lambda: r.uniform(13, 17.6),
            "ens": lambda: r.uniform(14, 17.5),
            "youth": lambda: r.uniform(16, 19.5),
            "adult": lambda: r.uniform(20, 62),
        }[kind]()
        birth = day - int(age * 365.25)
        ens = kind == "ens"
        lvu = False if kind in ("ens", "adult", "youth") else r.random() < 0.35
        c = _Child(len(self.children), birth, r.choice("FM") if not ens else ("M" if r.random() < 0.85 else "F"),
                   ens, lvu)
        self.children.append(c)
        return c

    def _age(self, child: _Child, day: int) -> float:
        return (day - child.birth) / 365.25

    def _price(self, form: str, day: int, emergency: bool = False) -> int:
        lo, hi = DAILY_COST_RANGE[form]
        y = date.fromordinal(day).year
        ref = self.years[-1]
        step = 0.1 * (lo + hi) / 2 / (hi - lo)  # ≈ 3 % a year on the mid price
        s = min(1.0, max(0.0, 1.0 - (ref - y) * step))
        q = self.py.betavariate(3.0, 2.0) if emergency else self.py.betavariate(2.2, 2.2)
        price = lo + (hi - lo) * (0.7 * q + 0.3 * s)
        return int(min(hi, max(lo, round(price / 10) * 10)))

    def _place(self, child: _Child, unit: str, form: str, start: int, emergency: bool = False) -> _Placement:
        r = self.py
        age = self._age(child, start)
        adult = age >= 19.9 and unit == VUX
        planned_days: float | None = None
        if form in ("Jourhem egen regi", "Jourhem konsulentstött"):
            planned_days = r.uniform(60, 120)
            # Bought jourhem stays overran their plan most; the 2025 goal (time halved) bites a little.
            y = date.fromordinal(start).year
            over = 1.35 if form == "Jourhem egen regi" else (1.45 if y < 2025 else 1.25)
            days = planned_days * r.lognormvariate(math.log(over), 0.4)
        elif child.unaccompanied and form.startswith("Familjehem"):
            days = max(60.0, (r.uniform(18, 21) - age) * 365.25)  # usually stays until 18–21
        elif form == "Familjehem egen regi":
            days = r.gammavariate(1.6, 700 / 1.6)
        elif form == "Familjehem konsulentstött":
            days = r.gammavariate(1.5, 650 / 1.5)
        elif form == "Nätverkshem":
            days = r.gammavariate(1.6, 1000 / 1.6)
        elif form == "HVB":
            planned_days = r.uniform(30, 180) if adult else (r.uniform(60, 180) if emergency else r.uniform(90, 270))
            days = planned_days * r.lognormvariate(math.log(1.2), 0.45)
            if r.random() > (0.6 if adult else 0.75):
                planned_days = None
        elif form == "SiS":
            planned_days = r.uniform(60, 180)
            days = planned_days * r.lognormvariate(math.log(1.15), 0.35)
            if r.random() > 0.85:
                planned_days = None
        else:  # Stödboende
            planned_days = r.uniform(90, 365) if adult else r.uniform(180, 540)
            days = planned_days * r.lognormvariate(math.log(1.1), 0.4)
            if r.random() > (0.4 if adult else 0.5):
                planned_days = None
        days = max(3, int(days))
        end = start + days - 1
        reason, next_form = self._natural_end(child, unit, form, start, end)
        # Age limit: children leave family care at 18 (ensamkommande/young people's care at 21).
        if unit != VUX:
            limit_age = 21 if (child.unaccompanied or form in ("HVB", "SiS", "Stödboende")) else 18
            limit = child.birth + int(limit_age * 365.25) - 1
            if end >= limit:
                end = max(start + 2, limit)
                reason, next_form = "Åldersgräns", None
        planned = start + int(planned_days) - 1 if planned_days is not None else None
        lagrum = "LVU" if (form == "SiS" and unit != VUX) or child.lvu else "SoL"
        p = _Placement(len(self.placements), child.key, unit, form, start, end, planned,
                       self._price(form, start, emergency), reason, next_form, lagrum)
        self.placements.append(p)
        self.active[unit][p.key] = p
        self._push(end, "end", (p, p.version))
        return p

    def _natural_end(self, child: _Child, unit: str, form: str, start: int, end: int) -> tuple[str, str | None]:
        r = self.py.random()
        age_end = self._age(child, end)
        if unit == VUX:
            if r < 0.72:
                return "Planerad", None
            if r < 0.92:
                return "Annan", None
            return "Omplacering", "Stödboende"
        if form.startswith("Jourhem"):
            if r < 0.5:
                # From 2025 the unit recruits more own familjehem instead of buying (seed goals).
                own_first = form == "Jourhem egen regi" or date.fromordinal(end).year >= 2025
                fh = self.py.choices(
                    ["Familjehem egen regi", "Familjehem konsulentstött", "Nätverkshem"],
                    weights=[0.8, 0.1, 0.1] if own_first else [0.55, 0.35, 0.1],
                )[0]
                return "Omplacering", fh
            return ("Planerad", None) if r < 0.95 else ("Annan", None)
        if form in ("Familjehem egen regi", "Familjehem konsulentstött", "Nätverkshem"):
            long = (end - start) > 730
            if r < 0.5:
                return "Planerad", None
            if r < 0.65 and long and not child.unaccompanied:
                return "Vårdnadsöverflyttning", None
            if r < 0.75:
                if age_end >= 16:
                    return "Omplacering", "Stödboende"
                return "Omplacering", self.py.choices(
                    ["Familjehem egen regi", "Familjehem konsulentstött"], weights=[0.75, 0.25])[0]
            return "Annan", None
        if form == "SiS":
            return ("Omplacering", "HVB") if r < 0.6 else ("Planerad", None)
        if form == "HVB":
            if r < 0.55:
                return "Planerad", None
            if r < 0.88:
                return "Omplacering", ("Stödboende" if age_end >= 16 else "Familjehem konsulentstött")
            return "Annan", None
        # Stödboende
        return ("Planerad", None) if r < 0.85 else ("Annan", None)

    @staticmethod
    def _unit_for(form: str, current: str) -> str:
        if form.startswith(("Familjehem", "Jourhem")) or form == "Nätverkshem":
            return FHE
        return current if current != FHE else BOU

    def _end(self, p: _Placement) -> None:
        self.active[p.unit].pop(p.key, None)
        if p.next_form is not None:
            child = self.children[p.child]
            unit = VUX if p.unit == VUX else self._unit_for(p.next_form, p.unit)
            self._place(child, unit, p.next_form, p.end + 1)

    def _breakdown(self, unit: str, day: int) -> None:
        forms = FHE_BREAKDOWN_FORMS if unit == FHE else ("HVB", "Stödboende")
        cands = [
            p for p in self.active[unit].values()
            if p.form in forms and p.start <= day - 14 and p.end > day
            and (unit == FHE or self._age(self.children[p.child], day) < 18)
        ]
        if not cands:
            return
        weights = []
        for p in cands:
            age = self._age(self.children[p.child], day)
            w = (3.0 if age >= 13 else 1.0) * (1.5 if "konsulentstött" in p.form else 1.0)
            weights.append(w)
        p = self.py.choices(cands, weights=weights)[0]
        p.end, p.reason, p.next_form = day, "Sammanbrott", None
        p.version += 1
        self.active[unit].pop(p.key, None)
        child = self.children[p.child]
        age = self._age(child, day)
        if unit == FHE:
            # Follow-ups cycle through a fixed mix (about 45 % bought jourhem, 35 % HVB, 20 % SiS)
            # so that every seed shows the costly emergency placements the seeds describe.
            form = FHE_FOLLOW_UPS[self.n_followups % len(FHE_FOLLOW_UPS)]
            self.n_followups += 1
            if form == "SiS" and age < 13:
                form = "HVB"
        else:
            form = self.py.choices(["SiS", "HVB"], weights=[0.6, 0.4])[0]
        gap = self.py.choices(range(8), weights=[0.2, 0.4, 0.12, 0.08, 0.06, 0.06, 0.04, 0.04])[0]
        if day <= self.last:  # a breakdown in the extract always shows its follow-up
            gap = min(gap, self.last - day)
        self._place(child, unit, form, day + gap, emergency=True)

    def _move_from_bought_jourhem(self, day: int) -> None:
        """Goal 2025: halve the children in konsulentstött jourhem; many move to own homes early."""
        for p in list(self.active[FHE].values()):
            if p.form == "Jourhem konsulentstött" and p.end > day + 30 and self.py.random() < 0.6:
                p.end = max(p.start + 1, day + self.py.randint(5, 60))
                p.reason = "Omplacering"
                p.next_form = self.py.choices(["Familjehem egen regi", "Jourhem egen regi"], weights=[0.6, 0.4])[0]
                p.version += 1
                self._push(p.end, "end", (p, p.version))

    # -- frames -------------------------------------------------------------------------------
    def _placement_frame(self) -> pl.DataFrame:
        """The register as known on the last data day, placements overlapping the exported years."""
        first = date(self.first_year, 1, 1).toordinal()
        rows = [p for p in self.placements if p.start <= self.last and p.end >= first]
        known_end = [p.end if p.end <= self.last else None for p in rows]
        return pl.DataFrame(
            {
                "_key": [self.index * 10_000_000 + p.key for p in rows],
                "_child": [self.index * 10_000_000 + p.child for p in rows],
                "enhet": [self.units[p.unit] for p in rows],
                "placeringsform": [p.form for p in rows],
                "startdatum": [date.fromordinal(p.start) for p in rows],
                "slutdatum": [date.fromordinal(e) if e is not None else None for e in known_end],
                "planerat_slutdatum": [date.fromordinal(p.planned) if p.planned else None for p in rows],
                "dygnskostnad_kr": [self._register_price(p) for p in rows],
                "avslutsorsak": [p.reason if e is not None else None for p, e in zip(rows, known_end)],
                "lagrum": [p.lagrum for p in rows],
                "kön": [self.children[p.child].sex for p in rows],
                "födelseår": [date.fromordinal(self.children[p.child].birth).year for p in rows],
                "ensamkommande": ["ja" if self.children[p.child].unaccompanied else "nej" for p in rows],
            },
            schema_overrides={"slutdatum": pl.Date, "planerat_slutdatum": pl.Date, "avslutsorsak": pl.String},
        )

    @staticmethod
    def _quarterly(v: np.ndarray, months: np.ndarray, after: bool, in_last: bool = False) -> np.ndarray:
        """A monthly amount booked once a quarter: in its first month (rent in advance), its last
        (`in_last`: grants), or the month after it (`after`: the fourth quarter accrued in December)."""
        out = np.zeros_like(v)
        for k in range(0, len(v) - len(v) % 3, 3):  # the series starts in a January
            q = float(v[k:k + 3].sum())
            if after:
                target = k + 3 if months[k] != 10 else k + 2
            else:
                target = k + 2 if in_last else k
            if target < len(v):
                out[target] += q
        return out

    def _index(self, p: _Placement, year: int) -> float:
        """Price factor of a placement in `year`: +indexation each January after its start."""
        return (1.0 + self.options.indexation) ** max(0, year - date.fromordinal(p.start).year)

    def _register_price(self, p: _Placement) -> int:
        """The register keeps the latest dygnskostnad: the one in force on the placement's last
        known day (its end, or the last data day)."""
        year = date.fromordinal(min(p.end, self.last)).year
        return int(round(p.cost * self._index(p, year)))

    def _booked(self, care: np.ndarray, lag: int, months: np.ndarray) -> np.ndarray:
        """Booked cost per month of care cost per month, invoiced `lag` months later (0 or 1).

        With a lag, January books nothing of the care (December's was accrued), February books
        January's care, ..., and December books November's invoices plus an accrual of its own
        care, so each year holds exactly its own care days. Works on the last axis.
        """
        if lag <= 0:
            return care
        out = np.zeros_like(care)
        out[..., 1:] = care[..., :-1]
        out[..., months == 1] = 0.0
        dec = months == 12
        out[..., dec] += care[..., dec]
        return out

    def _care_days(self, rows: list[_Placement]) -> np.ndarray:
        """Care days per placement (rows) and simulated month (columns)."""
        if not rows:
            return np.zeros((0, self.n_months))
        ms = np.array([d.toordinal() for d in self.month_starts])
        me = np.append(ms[1:], date(self.years[-1] + 1, 1, 1).toordinal()) - 1
        s = np.array([p.start for p in rows])[:, None]
        e = np.array([p.end for p in rows])[:, None]
        return np.clip(np.minimum(e, me[None, :]) - np.maximum(s, ms[None, :]) + 1, 0, None)

    # -- money and staff ------------------------------------------------------------------------
    def _finance(self) -> None:
        f, years, nm = self.factor, self.years, self.n_months
        rng = np.random.default_rng([self.seed, self.index, 2])
        months = np.tile(np.arange(1, 13), len(years))
        yrs = np.repeat(np.array(years), 12)
        actual: dict[tuple[str, str], np.ndarray] = {}
        budget: dict[tuple[str, str, int], float] = {}

        def add(unit: str, line: str, values: np.ndarray) -> None:
            key = (unit, line)
            actual[key] = actual.get(key, np.zeros(nm)) + values

        # Placements: exact cost per month on the configured kostnadsslag, times small noise.
        sim_first = self.month_starts[0].toordinal()
        rows = [p for p in self.placements if p.end >= sim_first]
        days = self._care_days(rows)
        # dygnskostnad per month: indexed each January (RULES.md ranges hold at the start)
        price = np.array([[p.cost * self._index(p, int(y)) for y in yrs] for p in rows], dtype=float)
        price = price.reshape(len(rows), nm)
        cost_tkr = days * price / 1000.0
        ens = np.array([self.children[p.child].unaccompanied for p in rows], dtype=bool)
        placement_lines: dict[tuple[str, str], np.ndarray] = {}
        ens_income: dict[str, np.ndarray] = {}
        for unit in UNIT_BASE_NAMES:
            sel_u = np.array([p.unit == unit for p in rows], dtype=bool)
            if not sel_u.any():
                continue
            for form, ptc in self.cfg.placement_types.items():
                sel = sel_u & np.array([p.form == form for p in rows], dtype=bool)
                if sel.any():
                    key = (unit, ptc.cost_type)
                    placement_lines[key] = placement_lines.get(key, np.zeros(nm)) + cost_tkr[sel].sum(axis=0)
            if (sel_u & ens).any():
                income = days[sel_u & ens].sum(axis=0) * MIGRATIONSVERKET_KR_PER_DAY / 1000.0
                ens_income[unit] = income
                # Migrationsverket's ersättning is applied for per quarter and booked in the month
                # after it (April, July, October); the fourth quarter is accrued in December.
                add(unit, "Bidrag och ersättningar", self._quarterly(income * rng.uniform(0.9, 1.1, nm),
                                                                     months, after=True))
        lag = self.options.invoice_lag_months
        bought = "Entreprenader och köp av verksamhet"
        for key, v in placement_lines.items():
            booked = self._booked(v, lag, months) if key[1] == bought else v
            add(*key, booked * rng.uniform(1 - PLACEMENT_COST_NOISE, 1 + PLACEMENT_COST_NOISE, nm))

        # Staff, consultants and the fixed lines.
        staffing_rows = []
        price_index = np.array([1.03 ** (y - 2024) * (1 if m >= 4 else 1 / 1.03) for y, m in zip(yrs, months)])
        for unit, up in UNIT_PARAMS.items():
            fte_budget = round(up.fte * f * 2) / 2
            vac = np.array([_vacancy_rate(unit, y) for y in yrs])
            filled = fte_budget * (1 - vac + rng.normal(0, 0.015, nm))
            filled = np.minimum(fte_budget, np.round(filled * 2) / 2)
            if unit == BOU:
                cons = np.array([_consultants_bou(y) for y in yrs]) * f
            elif unit == FHE:
                cons = np.array([1.0 if y == 2024 or (y == 2025 and m <= 6) else 0.0 for y, m in zip(yrs, months)])
                cons = cons * round(f + 0.01)
            else:
                cons = np.zeros(nm)
            cons = np.maximum(0, np.round((cons + np.where(cons > 0, rng.normal(0, 0.3, nm), 0)) * 2) / 2)
            rate = up.cost_per_fte * price_index
            add(unit, "Personalkostnader",
                filled * rate * STAFF_PROFILE[months - 1] * rng.normal(1, 0.01, nm))
            add(unit, "Övriga personalkostnader",
                0.12 * fte_budget * up.cost_per_fte * price_index * OTHER_STAFF_PROFILE[months - 1]
                * rng.normal(1, 0.06, nm))
            premises = up.premises * f / 12 * np.array([1.025 ** (y - 2024) for y in yrs])
            # rent is invoiced quarterly in advance: January, April, July, October
            add(unit, "Lokalkostnader", self._quarterly(premises, months, after=False))
            other = up.other * f / 12 * price_index * rng.normal(1, 0.12, nm)
            consultants = cons * CONSULTANT_COST_PER_MONTH * np.where(months == 7, 0.5, 1)
            # consultants invoice their month afterwards, like bought care
            add(unit, "Övriga kostnader", other + self._booked(consultants, self.options.invoice_lag_months, months))
            for line, amount in up.income.items():
                monthly = amount * f / 12 * price_index * rng.normal(1, 0.15, nm).clip(0.3)
                if line == "Bidrag och ersättningar":  # statsbidrag: paid per quarter, in its last month
                    monthly = self._quarterly(monthly, months, after=False, in_last=True)
                add(unit, line, monthly)

            # Budget: expected level of each line, one year at a time.
            for i, y in enumerate(years):
                sl = slice(12 * i, 12 * i + 12)
                yi = 1.03 ** (y - 2024)
                budget[(unit, "Personalkostnader", y)] = fte_budget * up.cost_per_fte * yi * 11.9 * 0.995
                budget[(unit, "Övriga personalkostnader", y)] = 0.12 * fte_budget * up.cost_per_fte * yi * 12
                budget[(unit, "Lokalkostnader", y)] = float(premises[sl].sum())
                budget[(unit, "Övriga kostnader", y)] = up.other * f * yi
                for line, amount in up.income.items():
                    budget[(unit, line, y)] = amount * f * yi * rng.uniform(0.92, 1.05)
            self._staffing(unit, up, fte_budget, filled, cons, yrs, months, rng, staffing_rows)

        # Placement lines and Migrationsverket income: the year's simulated level ± a few %.
        levels = dict(placement_lines)
        levels.update({(u, "Bidrag och ersättningar"): v for u, v in ens_income.items()})
        for (unit, line), v in levels.items():
            for i, y in enumerate(years):
                level = float(v[12 * i: 12 * i + 12].sum())
                prior = budget.get((unit, line, y), 0.0)
                budget[(unit, line, y)] = prior + level * rng.uniform(0.96, 1.04)

        # Familjehemsenheten: the designed deficits (2024 ≈ 10 mnkr), then a budget cut in 2025
        # and a budget that follows last year's frame rather than the costs.
        ent = "Entreprenader och köp av verksamhet"
        prev_net = None
        for i, y in enumerate(years):
            sl = slice(12 * i, 12 * i + 12)
            net_actual = sum(
                (-1 if _is_income(line) else 1) * float(v[sl].sum())
                for (u, line), v in actual.items() if u == FHE
            )
            net_budget = sum(
                (-1 if _is_income(line) else 1) * b
                for (u, line, yy), b in budget.items() if u == FHE and yy == y
            )
            deficit = fhe_deficit_tkr(y) * f * (rng.uniform(0.6, 1.3) if self.city else 1.0)
            target = net_actual - deficit
            if prev_net is not None and y == 2025:
                # A cut of at least 3 mnkr, unless that would push the deficit past ≈ 11 mnkr;
                # the cut stays at least 1 mnkr either way.
                target = min(target, prev_net - 3000 * f)
                target = max(target, min(net_actual - 11000 * f, prev_net - 1000 * f))
            elif prev_net is not None and y > 2025:
                target = min(target, prev_net * 1.04)
            budget[(FHE, ent, y)] = max(500.0 * f, budget[(FHE, ent, y)] + target - net_budget)
            prev_net = target

        # Rows: budget (rounded to 100 tkr like a real budget; BoU Personalkostnader by month).
        b_rows = []
        for (unit, line, y), amount in budget.items():
            if amount <= 0:
                continue
            if unit == BOU and line == "Personalkostnader":
                prof = STAFF_PROFILE / STAFF_PROFILE.sum()
                for m in range(1, 13):
                    b_rows.append((y, m, self.units[unit], line, round(amount * prof[m - 1], 1)))
            else:
                b_rows.append((y, None, self.units[unit], line, float(round(amount / 100) * 100)))
        self.budget_rows = pl.DataFrame(
            b_rows, schema={"år": pl.Int32, "månad": pl.Int32, "enhet": pl.String,
                            "kostnadsslag": pl.String, "belopp_tkr": pl.Float64},
            orient="row",
        )
        a_rows = []
        for (unit, line), v in actual.items():
            for k in range(self.n_export):
                amount = round(float(v[k]), 1)
                if amount > 0:
                    a_rows.append((int(yrs[k]), int(months[k]), self.units[unit], line, amount))
        self.actual_rows = pl.DataFrame(
            a_rows, schema={"år": pl.Int32, "månad": pl.Int32, "enhet": pl.String,
                            "kostnadsslag": pl.String, "belopp_tkr": pl.Float64},
            orient="row",
        )
        self.staffing_rows = pl.DataFrame(
            staffing_rows, schema=list(zip(STAFFING_COLUMNS, (
                pl.Int32, pl.Int32, pl.String, pl.Float64, pl.Float64, pl.Float64, pl.Float64,
                pl.Float64, pl.Float64, pl.Int32, pl.Float64, pl.Int32))),
            orient="row",
        )

    def _staffing(self, unit, up, fte_budget, filled, cons, yrs, months, rng, out) -> None:
        nm = self.n_export
        season = np.array([1.25, 1.3, 1.15, 1.0, 0.9, 0.8, 0.65, 0.7, 0.95, 1.05, 1.15, 1.2])
        base_sick = {BOU: 8.5, FHE: 9.5, FS: 7.0, FR: 6.5, VUX: 7.5}[unit]
        caseload_base = {BOU: 16.0, FHE: 13.0, FS: 14.0, FR: 15.0, VUX: 14.0}[unit]
        for k in range(nm):
            y, m = int(yrs[k]), int(months[k])
            strain = 1.0 + (0.12 if y == 2024 and unit in (BOU, FHE) else 0.0)
            sick = base_sick * strain * (0.82 + 0.18 * season[m - 1]) + rng.normal(0, 0.6)
            sick = float(np.clip(sick, 5.0, 12.0))
            short = float(np.clip(2.4 * season[m - 1] + rng.normal(0, 0.25), 1.5, 4.0))
            vacancies = float(max(0.0, math.floor(fte_budget - filled[k])))
            leavers = int(rng.poisson(fte_budget * 0.13 / 12 * (1.6 if m in (6, 8) else 1.0)))
            hand = round(float(filled[k] * up.caseworker_share + cons[k]) * 2) / 2
            caseload = caseload_base * strain * rng.normal(1, 0.05)
            caseload = float(np.clip(caseload, 12.0, 20.0))
            out.append((y, m, self.units[unit], float(fte_budget), float(filled[k]), vacancies,
                        float(cons[k]), round(sick, 1), round(short, 1), leavers, hand,
                        int(round(hand * caseload))))


def _is_income(line: str) -> bool:
    return line in ("Taxor och avgifter", "Hyresintäkter", "Bidrag och ersättningar",
                    "Försäljning", "Övriga externa intäkter")


# ---------------------------------------------------------------------------------------------
# Ärenden (vectorised per unit and ärendetyp)
# ---------------------------------------------------------------------------------------------

# (unit, ärendetyp, per year at district scale, median days, sigma of log days)
CASE_STREAMS: tuple[tuple[str, str, float, float, float], ...] = (
    (BOU, "Förhandsbedömning", 760.0, 8.5, 0.5),
    (FHE, "Kontaktfamilj", 60.0, 55.0, 0.6),
    (FHE, "Familjehemsutredning", 32.0, 100.0, 0.45),
    (FR, "Samarbetssamtal", 160.0, 9.0, 0.45),  # days to first meeting offered
    (FR, "Vårdnadsutredning", 35.0, 130.0, 0.3),
    (FR, "Faderskap", 90.0, 120.0, 0.7),
)
UTREDNING_SHARE = 0.4
UTREDNING_MEDIAN_DAYS, UTREDNING_SIGMA = 96.0, 0.28


def _strain(y: np.ndarray) -> np.ndarray:
    """How much slower handläggning is by year (staff shortage 2024)."""
    return np.select([y == 2024, y == 2025], [1.2, 1.08], 1.0)


def _simulate_cases(d: _District) -> pl.DataFrame:
    rng = np.random.default_rng([d.seed, d.index, 3])
    first = date(d.first_year - 1, 1, 1)
    last_sim = date(d.years[-1], 12, 31)
    all_days = np.arange(first.toordinal(), last_sim.toordinal() + 1)
    month_of = np.array([date.fromordinal(int(o)).month for o in all_days])
    weights = CASE_MONTH_WEIGHT[month_of - 1]
    n_years = d.years[-1] - first.year + 1
    frames = []

    def draw_inkom(per_year: float) -> np.ndarray:
        n = int(rng.poisson(per_year * d.factor * n_years))
        return np.sort(rng.choice(all_days, size=n, p=weights / weights.sum()))

    def lognorm(median: float, sigma: float, mult: np.ndarray) -> np.ndarray:
        return np.maximum(0, np.round(median * mult * np.exp(rng.normal(0, sigma, len(mult))))).astype(np.int64)

    for unit, typ, per_year, median, sigma in CASE_STREAMS:
        inkom = draw_inkom(per_year)
        yrs = np.array([date.fromordinal(int(o)).year for o in inkom]) if len(inkom) else np.zeros(0, int)
        mult = _strain(yrs)
        start = np.full(len(inkom), -1, dtype=np.int64)
        if typ == "Samarbetssamtal":
            start = inkom + lognorm(median, sigma, mult)
            close = start + np.round(rng.uniform(14, 120, len(inkom))).astype(np.int64)
        else:
            close = inkom + np.maximum(1 if typ != "Förhandsbedömning" else 0, lognorm(median, sigma, mult))
        frames.append((unit, typ, inkom, start, close))
        if typ == "Förhandsbedömning":
            # About 40 % lead to an utredning opened on the day of the decision.
            pick = rng.random(len(inkom)) < UTREDNING_SHARE
            u_in, u_start = inkom[pick], close[pick]
            u_close = u_start + np.maximum(20, lognorm(UTREDNING_MEDIAN_DAYS, UTREDNING_SIGMA, mult[pick]))
            frames.append((BOU, "Utredning", u_in, u_start, u_close))

    last = d.last
    first_export = date(d.first_year, 1, 1).toordinal()
    parts = []
    for unit, typ, inkom, start, close in frames:
        keep = (inkom <= last) & (close >= first_export)
        if typ == "Utredning":
            keep &= start <= last  # not yet opened on the extract day
        inkom, start, close = inkom[keep], start[keep], close[keep]
        has_start = (start >= 0) & (start <= last)
        parts.append(pl.DataFrame({
            "enhet": [d.units[unit]] * len(inkom),
            "ärendetyp": [typ] * len(inkom),
            "inkom_datum": pl.Series(inkom - 719163, dtype=pl.Int32).cast(pl.Date),
            "start_datum": pl.Series(np.where(has_start, start - 719163, 0), dtype=pl.Int32)
            .cast(pl.Date),
            "_has_start": has_start,
            "avslut_datum": pl.Series(np.where(close <= last, close - 719163, 0), dtype=pl.Int32)
            .cast(pl.Date),
            "_closed": close <= last,
        }))
    out = pl.concat(parts).with_columns(
        start_datum=pl.when(pl.col("_has_start")).then(pl.col("start_datum")),
        avslut_datum=pl.when(pl.col("_closed")).then(pl.col("avslut_datum")),
    ).drop("_has_start", "_closed")
    return out.with_row_index("_key").with_columns(
        (pl.col("_key").cast(pl.Int64) + d.index * 10_000_000).alias("_key")
    )


# ---------------------------------------------------------------------------------------------
# Formatting as Swedish Excel writes it
# ---------------------------------------------------------------------------------------------


def format_number(x: float | int | None, decimals: int = 1) -> str | None:
    """`1 234,5`: space thousands separator, decimal comma, trailing zero decimals dropped."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    scale = 10**decimals
    n = int(round(abs(x) * scale))
    whole, frac = divmod(n, scale)
    s = f"{whole:,}".replace(",", " ")
    if frac:
        s += "," + f"{frac:0{decimals}d}".rstrip("0")
    return ("-" + s) if x < 0 and n else s


def _fmt_col(df: pl.DataFrame, col: str, decimals: int) -> pl.Series:
    return pl.Series(col, [format_number(v, decimals) for v in df[col].to_list()], dtype=pl.String)


def _format_money(df: pl.DataFrame) -> pl.DataFrame:
    df = df.sort("enhet", "kostnadsslag", "månad", nulls_last=False)
    return df.with_columns(
        pl.col("år").cast(pl.String), pl.col("månad").cast(pl.String), _fmt_col(df, "belopp_tkr", 1)
    )


def _format_staffing(df: pl.DataFrame) -> pl.DataFrame:
    df = df.sort("månad", "enhet")
    out = df.with_columns(pl.col(c).cast(pl.String) for c in ("år", "månad", "avgångar", "aktuella_ärenden"))
    return out.with_columns(
        _fmt_col(df, c, 1) for c in ("budgeterade_åa", "bemannade_åa", "vakanta_tjänster", "konsulter_åa",
                                     "sjukfrånvaro_pct", "sjukfrånvaro_dag1_14_pct", "handläggare_åa")
    )


def _format_placements(df: pl.DataFrame) -> pl.DataFrame:
    df = df.sort("placerings_id")
    dates = ("startdatum", "slutdatum", "planerat_slutdatum")
    return df.with_columns(
        *(pl.col(c).dt.to_string("%Y-%m-%d") for c in dates),
        _fmt_col(df, "dygnskostnad_kr", 0),
        pl.col("födelseår").cast(pl.String),
    )


def _format_cases(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col(c).dt.to_string("%Y-%m-%d") for c in ("inkom_datum", "start_datum", "avslut_datum")
    )


def _write(path: Path, df: pl.DataFrame, columns: tuple[str, ...]) -> Path:
    df.select(columns).write_csv(
        path, include_bom=True, separator=";", line_terminator="\r\n", null_value="",
        quote_style="necessary",
    )
    return path


def main(argv: list[str] | None = None) -> int:
    """`python -m iof.ingest.demo OUT_DIR [--scale district|city] [--seed N] [--today YYYY-MM-DD]`."""
    import argparse
    import time

    ap = argparse.ArgumentParser(prog="python -m iof.ingest.demo", description="Skriv demo-extrakt.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--scale", default="district", choices=("district", "city"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--today", type=date.fromisoformat, default=None)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = write_demo_extracts(a.out_dir, a.scale, a.seed, a.today)
    took = time.perf_counter() - t0
    for p in paths:
        print(f"{p}  {p.stat().st_size / 1024:,.0f} kB")
    print(f"{len(paths)} filer på {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
