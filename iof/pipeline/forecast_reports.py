"""Report builders and commands of the prognosis: frames with Swedish column names for the CLI.

`iof report prognos`, `prognos-brygga`, `prognossäkerhet`, `prognos-backtest`, `prognos-flytt`,
and the commands `iof justering` (add an adjustment) and `iof prognos-frys` (freeze a month).
iof.pipeline.reports and iof.cli register what `report_specs()` and `commands()` return.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import polars as pl

from iof.pipeline import prognosis as fs
from iof.compute.accuracy import accuracy_table, backtest, backtest_summary, closed_years
from iof.compute.bridge import bridge
from iof.core.domain import MONTH_NAMES
from iof.compute.forecast import ForecastError, ForecastParams, forecast, net_by_unit, prognos_table, with_adjustments
from iof.store.db import Store
from iof.compute.whatif import OWN_FORM, effect_on_lines, move_to_own_care


def _check_unit(store: Store, unit: str | None) -> None:
    if unit is not None and unit not in store.units():
        raise ForecastError(f"Enheten '{unit}' finns inte i databasen. Enheter: {', '.join(store.units())}.")


def _check_data(store: Store, year: int, month: int) -> None:
    months = store.actual().filter(pl.col("year") == year)["month"]
    if months.is_empty():
        raise ForecastError(f"Det finns inget utfall för {year}.")
    if int(months.max()) < month:
        raise ForecastError(f"Utfall för {year} finns bara t.o.m. månad {int(months.max())}, inte {month}.")


def prognos_report(store: Store, year: int, month: int, unit: str | None = None) -> pl.DataFrame:
    """Contract report `prognos`: enhet;kostnadsslag;budget_tkr;utfall_tkr;prognos_tkr;avvikelse_tkr
    then modell_tkr, justering_tkr, the model's parts, staff drivers, and källa (fryst/beräknad)."""
    _check_unit(store, unit)
    _check_data(store, year, month)
    fc, source = fs.prognosis(store, year, month)
    return _round_report(prognos_table(fc.lines, unit, fc.interval)).with_columns(källa=pl.lit(source))


def _round_report(frame: pl.DataFrame) -> pl.DataFrame:
    """tkr to whole kronor (3 decimals), åa to one decimal as in the extracts: a sum of FTE or of
    model parts otherwise shows float noise such as 124,19999999999999."""
    return frame.with_columns(
        pl.col(c).round(3 if c.endswith("_tkr") else 1, mode="half_away_from_zero")
        for c, t in frame.schema.items() if t.is_float()
    )


def brygga_report(store: Store, year: int, month: int, unit: str | None = None) -> pl.DataFrame:
    """One row per enhet (then IoF totalt): the change from month−1's prognosis to month's, by driver."""
    _check_unit(store, unit)
    if month < 2:
        raise ForecastError("Bryggan jämför med föregående månads prognos; välj månad 2–12.")
    _check_data(store, year, month)
    prev, src0 = fs.prognosis(store, year, month - 1)
    curr, src1 = fs.prognosis(store, year, month)
    out = bridge(prev, curr, ForecastParams.from_config(), store.placements())
    if unit is not None:
        out = out.filter(pl.col("enhet") == unit)
    return out.with_columns(källa=pl.lit(f"{src0}→{src1}"))


def _snapshots_or_model(store: Store, year: int) -> pl.DataFrame:
    """One row per month × unit: the frozen Netto prognosis where one exists, else recomputed
    as of that month (model + that month's stored adjustments)."""
    params = ForecastParams.from_config()
    b, a, p, s = store.budget(), store.actual(), store.placements(), store.staffing()
    rows = []
    for m in range(1, 13):
        frozen = fs.load_snapshot(store, year, m)
        if frozen is not None:
            lines, source = frozen.lines, "fryst"
        else:
            model = forecast(b, a, p, s, year, m, params).lines
            adj = fs.adjustments(store, year, m).select(list(fs.ADJUSTMENT_SCHEMA))
            lines, source = with_adjustments(model, adj, m), "omräknad"
        rows.append(net_by_unit(lines).with_columns(month=pl.lit(m, pl.Int32), källa=pl.lit(source)))
    return pl.concat(rows, how="diagonal_relaxed").with_columns(year=pl.lit(year, pl.Int32))


def prognossakerhet_report(store: Store, year: int | None = None, unit: str | None = None) -> pl.DataFrame:
    """One row per enhet × år × månad of closed years: prognosis (frozen, else recomputed as of
    that month), the year's outcome, error tkr and %."""
    _check_unit(store, unit)
    actual = store.actual()
    years = closed_years(actual)
    if year is not None:
        if year not in years:
            raise ForecastError(f"Året {year} är inte avslutat (utfall för december saknas).")
        years = [year]
    if not years:
        raise ForecastError("Det finns inget avslutat år att mäta prognossäkerhet på.")
    out = accuracy_table(pl.concat([_snapshots_or_model(store, y) for y in years]), actual)
    out = out.with_columns(pl.col("fel_pct").round(1, mode="half_away_from_zero"))
    return out.filter(pl.col("enhet") == unit) if unit is not None else out


def frozen_netto(store: Store, years: list[int]) -> pl.DataFrame:
    """One row per frozen (year, month) × unit: the Netto prognosis as it was said."""
    rows = []
    for y in years:
        for m in range(1, 13):
            frozen = fs.load_snapshot(store, y, m)
            if frozen is not None:
                rows.append(net_by_unit(frozen.lines).with_columns(year=pl.lit(y, pl.Int32), month=pl.lit(m, pl.Int32)))
    if not rows:
        return pl.DataFrame(schema={"unit": pl.String, "prognos_tkr": pl.Float64, "year": pl.Int32, "month": pl.Int32})
    return pl.concat(rows)


BACKTEST_MONTHS = tuple(range(2, 12))


def backtest_report(store: Store, summary: bool = True, months=BACKTEST_MONTHS) -> pl.DataFrame:
    """The method at every month 2–11 (T1 = April, T2 = August) of every closed year against
    utfall/M × 12, utfall + remaining budget and budget, scoring the frozen prognosis where a
    month was frozen (källa = fryst) and a recomputed one otherwise (omräknad)."""
    actual = store.actual()
    years = closed_years(actual)
    if not years:
        raise ForecastError("Det finns inget avslutat år att pröva metoden på.")
    bt = backtest(store.budget(), actual, store.placements(), store.staffing(), years, months,
                  frozen=frozen_netto(store, years))
    if summary:
        return backtest_summary(bt).with_columns(
            pl.col("^.*_pct$").round(1, mode="half_away_from_zero"),
            pl.col("^.*_tkr$").round(1, mode="half_away_from_zero"),
            pl.col("^kvot.*$").round(2, mode="half_away_from_zero"),
        )
    return bt.with_columns(pl.col("^.*_tkr$").round(3, mode="half_away_from_zero"))


def justeringar_report(store: Store, year: int, month: int, unit: str | None = None) -> pl.DataFrame:
    """One row per chefsjustering of the prognosis of (year, month): who, when, why."""
    _check_unit(store, unit)
    adj = fs.adjustments(store, year, month)
    if unit is not None:
        adj = adj.filter(pl.col("unit") == unit)
    return adj.select(
        justering_id="adjustment_id",
        år="year",
        månad="month",
        enhet="unit",
        kostnadsslag="cost_type",
        belopp_tkr="amount_tkr",
        kommentar="comment",
        av="created_by",
        tidpunkt="created_at",
        återkallar_id="reverses_id",
        återkallad_av_id="reversed_by",
    )


def flytt_report(
    store: Store,
    year: int,
    month: int,
    n: int,
    move_date: date,
    from_form: str,
    unit: str | None = None,
    detail: bool = False,
) -> pl.DataFrame:
    """What-if: one row per enhet × kostnadsslag touched, with the prognosis before, the change
    and after; then Netto per enhet. With `detail`: one row per moved placement."""
    _check_unit(store, unit)
    _check_data(store, year, month)
    fc, _ = fs.prognosis(store, year, month)
    moved = move_to_own_care(store.placements(), year, month, n, move_date, from_form, unit)
    if moved.height < n:
        print(f"Obs: bara {moved.height} av {n} barn i {from_form} har dagar kvar att flytta.", file=sys.stderr)
    if detail:
        return moved.with_columns(pl.col("dagar").round(1, mode="half_away_from_zero"))
    eff = effect_on_lines(moved)
    table = prognos_table(fc.lines).select("enhet", "kostnadsslag", prognos_före_tkr="prognos_tkr")
    lines = eff.join(table, on=["enhet", "kostnadsslag"], how="left").with_columns(
        pl.col("prognos_före_tkr").fill_null(0.0)
    )
    net = (
        eff.group_by("enhet")
        .agg(pl.col("förändring_tkr").sum())
        .join(table.filter(pl.col("kostnadsslag") == "Netto"), on="enhet", how="left")
        .with_columns(kostnadsslag=pl.lit("Netto"))
    )
    return (
        pl.concat([lines, net], how="diagonal_relaxed")
        .with_columns(prognos_efter_tkr=pl.col("prognos_före_tkr") + pl.col("förändring_tkr"), antal_barn=pl.lit(moved.height))
        .sort("enhet", pl.col("kostnadsslag") == "Netto", "kostnadsslag")
        .select("enhet", "kostnadsslag", "prognos_före_tkr", "förändring_tkr", "prognos_efter_tkr", "antal_barn")
    )


# -- CLI registration --------------------------------------------------------------------------
def _year_month(p: argparse.ArgumentParser, month_required: bool = True) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, required=True)
    p.add_argument("--månad", "--manad", dest="månad", type=int, required=month_required)
    p.add_argument("--enhet", dest="enhet", default=None, help="bara denna enhet")


def _args_sakerhet(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, default=None, help="ett avslutat år (annars alla)")
    p.add_argument("--enhet", dest="enhet", default=None)


def _args_backtest(p: argparse.ArgumentParser) -> None:
    p.add_argument("--detalj", action="store_true", help="en rad per år, månad och enhet i stället för sammanfattning")


def _args_flytt(p: argparse.ArgumentParser) -> None:
    _year_month(p)
    p.add_argument("--antal", type=int, required=True, help="antal barn som flyttas")
    p.add_argument("--från-datum", "--fran-datum", dest="från_datum", type=date.fromisoformat, required=True)
    p.add_argument("--från-form", "--fran-form", dest="från_form", choices=list(OWN_FORM), default="Jourhem konsulentstött")
    p.add_argument("--detalj", action="store_true", help="en rad per flyttad placering")


def report_specs() -> dict[str, tuple]:
    """name → (help, add_arguments, build(store, args) -> frame), for iof.cli.reports.REPORTS."""
    return {
        "prognos": (
            "helårsprognos per enhet och kostnadsslag per månad M",
            _year_month,
            lambda s, a: prognos_report(s, a.år, a.månad, a.enhet),
        ),
        "prognos-brygga": (
            "förändring av prognosen sedan föregående månad, per drivare",
            _year_month,
            lambda s, a: brygga_report(s, a.år, a.månad, a.enhet),
        ),
        "prognossäkerhet": (
            "hur långt varje månads prognos var från årets utfall (avslutade år)",
            _args_sakerhet,
            lambda s, a: prognossakerhet_report(s, a.år, a.enhet),
        ),
        "prognos-backtest": (
            "metoden varje månad 2–11 (T1, T2) mot tre naiva metoder, med intervallets täckning (avslutade år)",
            _args_backtest,
            lambda s, a: backtest_report(s, summary=not a.detalj),
        ),
        "prognos-justeringar": (
            "chefens justeringar av en månads prognos (vem, när, varför)",
            _year_month,
            lambda s, a: justeringar_report(s, a.år, a.månad, a.enhet),
        ),
        "prognos-flytt": (
            "vad händer om N barn flyttas från konsulentstött till egen regi",
            _args_flytt,
            lambda s, a: flytt_report(s, a.år, a.månad, a.antal, a.från_datum, a.från_form, a.enhet, a.detalj),
        ),
    }


REPORT_ALIASES = {"prognos-brygga": ["brygga"], "prognossäkerhet": ["prognossakerhet"]}


def _args_justering(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, default=None, help="prognosens år (ny justering)")
    p.add_argument("--månad", "--manad", dest="månad", type=int, default=None, help="prognosmånaden (1–11)")
    p.add_argument("--enhet", default=None)
    p.add_argument("--kostnadsslag", default=None)
    p.add_argument("--belopp-tkr", dest="belopp_tkr", type=float, default=None,
                   help="i kostnadsslagets riktning: +100 = 100 tkr mer kostnad (eller intäkt); "
                        "med --återkalla: det nya beloppet som ersätter justeringen")
    p.add_argument("--återkalla", "--aterkalla", dest="återkalla", type=int, default=None, metavar="ID",
                   help="återkalla justering ID med en ny motverkande rad (historiken finns kvar)")
    p.add_argument("--kommentar", required=True, help="varför (krävs, också när en justering återkallas)")
    p.add_argument("--av", default=None, help="vem (annars $IOF_USER eller inloggad användare)")


def _run_justering(args) -> int:
    try:
        if args.återkalla is not None:
            with Store(args.db) as store:
                ids = fs.withdraw_adjustment(store, args.återkalla, args.kommentar, replacement_tkr=args.belopp_tkr,
                                             created_by=args.av)
            print(f"Justering {args.återkalla} återkallad med en motverkande rad (justering {ids[0]}).")
            if len(ids) > 1:
                print(f"Justering {ids[1]} sparad: nytt belopp {args.belopp_tkr:+} tkr ersätter den.")
            return 0
        missing = [f"--{n.replace('_', '-')}" for n in ("år", "månad", "enhet", "kostnadsslag", "belopp_tkr")
                   if getattr(args, n) is None]
        if missing:
            print(f"Fel: en ny justering kräver {', '.join(missing)} (eller --återkalla ID).", file=sys.stderr)
            return 2
        with Store(args.db) as store:
            aid = fs.add_adjustment(store, args.år, args.månad, args.enhet, args.kostnadsslag,
                                    args.belopp_tkr, args.kommentar, created_by=args.av)
    except ForecastError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"Justering {aid} sparad: {args.enhet}, {args.kostnadsslag}, {args.belopp_tkr:+} tkr "
          f"i prognosen för {args.år}-{args.månad:02d}.")
    return 0


def _args_lamna(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, required=True)
    p.add_argument("--månad", "--manad", dest="månad", type=int, required=True, help="prognosmånaden")
    p.add_argument("--enhet", required=True)
    p.add_argument("--kommentar", default="", help="chefens kommentar till prognosen")
    p.add_argument("--av", default=None, help="vem (annars $IOF_USER)")


def _run_lamna(args) -> int:
    try:
        with Store(args.db) as store:
            fs.submit(store, args.år, args.månad, args.enhet, args.kommentar, created_by=args.av)
            missing = fs.not_submitted(store, args.år, args.månad)
    except ForecastError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"Prognosen för {MONTH_NAMES[args.månad - 1]} {args.år} är lämnad för {args.enhet}.")
    print("Ej lämnad: " + (", ".join(missing) if missing else "ingen – alla enheter har lämnat."))
    return 0


def _args_kommentar(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, required=True)
    p.add_argument("--månad", "--manad", dest="månad", type=int, required=True, help="prognosmötets månad")
    p.add_argument("--enhet", required=True)
    p.add_argument("--kommentar", required=True, help="vad som sades och beslutades")
    p.add_argument("--av", default=None, help="vem (annars $IOF_USER)")


def _run_kommentar(args) -> int:
    try:
        with Store(args.db) as store:
            cid = fs.add_comment(store, args.år, args.månad, args.enhet, args.kommentar, created_by=args.av)
    except ForecastError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"Kommentar {cid} sparad: {args.enhet}, prognosmötet {MONTH_NAMES[args.månad - 1]} {args.år}.")
    return 0


def _args_frys(p: argparse.ArgumentParser) -> None:
    p.add_argument("--år", "--ar", dest="år", type=int, required=True)
    p.add_argument("--månad", "--manad", dest="månad", type=int, required=True)
    p.add_argument("--av", default=None)


def _run_frys(args) -> int:
    try:
        with Store(args.db) as store:
            _check_data(store, args.år, args.månad)
            latest = fs.latest_month(store)
            if latest is not None and (args.år, args.månad) != latest:
                raise ForecastError(
                    f"Bara den aktuella prognosen ({MONTH_NAMES[latest[1] - 1]} {latest[0]}) kan frysas: en "
                    "tidigare månads prognos kan inte längre göras om som den var."
                )
            sid = fs.freeze(store, args.år, args.månad, created_by=args.av)
    except ForecastError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"Prognosen för {args.år}-{args.månad:02d} är fryst (ögonblicksbild {sid}).")
    return 0


def commands() -> dict[str, tuple]:
    """name → (help, add_arguments, run(args) -> exit code), for iof.cli."""
    return {
        "justering": ("lägg till en chefsjustering av prognosen (belopp, kommentar, vem)", _args_justering, _run_justering),
        "prognos-frys": ("frys månadens prognos som den är (för jämförelse senare)", _args_frys, _run_frys),
        "lämna": ("markera enhetens prognos för månaden som lämnad (med kommentar)", _args_lamna, _run_lamna),
        "kommentar": ("spara en kommentar från prognosmötet för en enhet och månad", _args_kommentar,
                      _run_kommentar),
    }

