"""`kam check`: the findings reviewers expect (DOMAIN.md), plan against itself and against
the ledger. Each rule has a stable code, a default severity and a message saying what to
do; each finding points at ``plans/x.yaml:line:col`` or at ``file › sheet › row``. The
settings' ``checks.levels`` re-level a rule or switch it off."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from workbench.errors import Diagnostic, Location, Severity, sort_key

if TYPE_CHECKING:
    from workbench.analyze.facts import AccountFacts, PortfolioFacts, SourceRef
    from workbench.ledger.model import Ledger
    from workbench.plan.model import Action
    from workbench.portfolio import LoadedPlan, Portfolio


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    description: str


RULES: tuple[Rule, ...] = (
    Rule("missing-section", Severity.WARNING, "a plan without contacts, this year's goals, strategies or actions"),
    Rule("action-no-owner", Severity.WARNING, "an open action without an owner"),
    Rule("action-no-due", Severity.WARNING, "an open action without a due date"),
    Rule("action-overdue", Severity.WARNING, "an action due before the as-of date and not done or dropped"),
    Rule("goal-no-strategy", Severity.WARNING, "a goal of this year that no strategy serves"),
    Rule("strategy-no-action", Severity.WARNING, "a strategy that no action carries out"),
    Rule("contact-no-role", Severity.INFO, "a contact without a role in the decision"),
    Rule("not-in-ledger", Severity.ERROR, "a plan whose customer id is not in the ledger"),
    Rule("achieved-mismatch", Severity.WARNING, "last year's reported `achieved` disagrees with the ledger"),
    Rule("credit-limit-exceeded", Severity.ERROR, "outstanding receivables above the credit limit"),
    Rule("overdue-receivables", Severity.WARNING, "receivables past their due date (beyond the tolerance)"),
    Rule(
        "hold-ships-goods",
        Severity.ERROR,
        "a customer on credit hold with an open action that ships goods (`ships_goods: true`, or `form: delivery`)",
    ),
    Rule("blacklist-proposed", Severity.WARNING, "repeated overdue invoices: propose the customer for the blacklist"),
    Rule("inventory-above-band", Severity.WARNING, "dealer stock above the inventory band (next order smaller)"),
    Rule("inventory-below-band", Severity.INFO, "dealer stock below the inventory band (next order larger)"),
    Rule("price-below-floor", Severity.WARNING, "resale price below the floor: risk of cross-region dumping (窜货)"),
    Rule("price-above-ceiling", Severity.WARNING, "resale price above the ceiling: end demand at risk"),
    Rule("price-unstable", Severity.INFO, "resale prices spread widely over the period"),
    Rule(
        "activity-below-alert",
        Severity.WARNING,
        "a salesperson's customer activity rate below the alert level in one or more months of the period",
    ),
    Rule("class-changed", Severity.INFO, "an account's class changed since last year"),
    Rule(
        "owner-mismatch",
        Severity.WARNING,
        "the plan's owner differs from the account owner in the ledger's customers sheet (who activity credits)",
    ),
)
_BY_CODE = {r.code: r for r in RULES}
OPEN = ("planned", "in_progress", "blocked")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _pct(value: Decimal | None) -> str:
    """A ratio as a percentage to 0.1, rounded half up like every figure (12.25 % → 12.3 %)."""
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def _ledger_loc(src: SourceRef | None) -> Location:
    if src is None:
        return Location()
    return Location(file=src.file, sheet=src.sheet or None, row=src.row)


def run_checks(portfolio: Portfolio, ledger: Ledger, facts: PortfolioFacts) -> list[Diagnostic]:
    """Every finding of every rule, re-levelled by the settings, sorted by place."""
    levels = portfolio.settings.checks.levels
    found: list[Diagnostic] = []
    for lp in portfolio.plans:
        account = facts.account(lp.plan.account_id)
        found += _plan_rules(lp, facts)
        if account is not None:
            found += _ledger_rules(lp, account, ledger)
            found += _owner(lp, account, ledger)
    found += _activity(portfolio, facts)
    out = []
    for d in found:
        level = levels.get(d.code)
        if level == "off":
            continue
        if level is not None:
            d = dataclasses.replace(d, severity=Severity(level))
        out.append(d)
    return sorted(out, key=sort_key)


def _finding(code: str, location: Location, **args: object) -> Diagnostic:
    """A finding worded by the catalogue (``finding.<code>``, ``hint.<code>``) in English;
    its arguments travel with it so a Chinese booklet can word it again."""
    from workbench.messages import Messages, finding_text

    values = tuple((k, str(v)) for k, v in args.items())
    draft = Diagnostic(code, "", location, _BY_CODE[code].severity, None, values)
    message, hint = finding_text(draft, Messages("en"))
    return dataclasses.replace(draft, message=message, hint=hint)


def _plan_rules(lp: LoadedPlan, facts: PortfolioFacts) -> Iterator[Diagnostic]:
    plan = lp.plan
    as_of = facts.as_of
    for section, part, present in (
        ("customer.contacts", "contacts", plan.customer.contacts),
        ("goals.this_year", "goals_this_year", plan.goals.this_year),
        ("strategies", "strategies", plan.strategies),
        ("actions", "actions", plan.actions),
    ):
        if not present:
            yield _finding("missing-section", lp.locate(section.split(".")[0]), section_key=f"part.{part}")
    for a in plan.actions:
        status = a.status.value
        if status in OPEN and not a.owner:
            yield _finding("action-no-owner", lp.locate(f"actions[{a.id}]"), id=a.id)
        if status in OPEN and a.due is None:
            yield _finding("action-no-due", lp.locate(f"actions[{a.id}]"), id=a.id)
        if status in OPEN and a.due is not None and a.due < as_of:
            yield _finding(
                "action-overdue",
                lp.locate(f"actions[{a.id}].due"),
                id=a.id,
                title=a.title,
                due=a.due,
                status_key=f"status.{status}",
            )
    served = {g for s in plan.strategies for g in s.goals}
    for g in plan.goals.this_year:
        if g.id not in served:
            yield _finding("goal-no-strategy", lp.locate(f"goals.this_year[{g.id}]"), id=g.id, title=g.title)
    carried = {a.strategy for a in plan.actions if a.strategy}
    for s in plan.strategies:
        if s.id not in carried:
            yield _finding("strategy-no-action", lp.locate(f"strategies[{s.id}]"), id=s.id, title=s.title)
    for c in plan.customer.contacts:
        if c.role is None:
            yield _finding("contact-no-role", lp.locate(f"customer.contacts[{c.id}]"), id=c.id, name=c.name)


def _ledger_rules(lp: LoadedPlan, a: AccountFacts, ledger: Ledger) -> Iterator[Diagnostic]:
    plan = lp.plan
    if a.ytd.lines == 0 and a.last_year.lines == 0 and a.receivables.invoiced == 0:
        known = set(ledger.customers.get_column("customer").to_list()) | set(
            ledger.sales.get_column("customer").unique().to_list()
        )
        if plan.account_id not in known:
            yield _finding("not-in-ledger", lp.locate("account_id"), id=plan.account_id)
    for g in a.last_year_goals:
        if g.agrees is False:
            yield _finding(
                "achieved-mismatch",
                lp.locate(f"goals.last_year[{g.goal_id}].achieved"),
                id=g.goal_id,
                reported=_money(g.reported or Decimal(0)),
                ledger=_money(g.ledger or Decimal(0)),
            )
    rec = a.receivables
    if "over_limit" in rec.hold_reasons:
        yield _finding(
            "credit-limit-exceeded",
            lp.locate("customer.credit.limit"),
            outstanding=_money(rec.outstanding),
            limit=_money(rec.limit),
            used=_pct(rec.limit_use),
        )
    if rec.overdue > 0 and "overdue" in rec.hold_reasons:
        oldest = next((i for i in rec.open_invoices if i.days_past_due > 0), None)
        where = _ledger_loc(oldest.source if oldest else None)
        yield _finding(
            "overdue-receivables",
            where if where.file else lp.locate("customer.credit"),
            account=a.account_id,
            name=a.name,
            overdue=_money(rec.overdue),
            days=rec.max_days_past_due,
            invoice=oldest.invoice if oldest else "—",
        )
    if rec.on_hold:
        for act in plan.actions:
            if ships_goods(act) and act.status.value in OPEN:
                field = "ships_goods" if "ships_goods" in act.model_fields_set else "form"
                yield _finding(
                    "hold-ships-goods",
                    lp.locate(f"actions[{act.id}].{field}"),
                    id=act.id,
                    reasons_key=",".join(f"flag.{r}" for r in rec.hold_reasons),
                )
    if rec.blacklist_proposed:
        yield _finding("blacklist-proposed", lp.locate("customer.credit.blacklisted"), count=rec.late_invoices_12m)
    for inv in a.inventory:
        if inv.status in ("above", "below"):
            code = "inventory-above-band" if inv.status == "above" else "inventory-below-band"
            yield _finding(
                code,
                _ledger_loc(inv.source),
                account=a.account_id,
                name=a.name,
                sku=inv.sku,
                days=inv.days,
                date=inv.report_date,
                order=inv.suggested_order,
            )
    for p in a.prices:
        for code, count, obs in (
            ("price-below-floor", p.below_floor, p.floor_breach),
            ("price-above-ceiling", p.above_ceiling, p.ceiling_breach),
        ):
            if count and obs is not None:
                yield _finding(
                    code,
                    _ledger_loc(obs.source),
                    account=a.account_id,
                    name=a.name,
                    sku=p.sku,
                    price=f"{obs.price:.2f}",
                    date=obs.date,
                    guideline=f"{obs.guideline:.2f}",
                    deviation=_pct(obs.deviation),
                    count=count,
                    observations=p.observations,
                    latest=f"{p.latest_price:.2f}",
                    latest_date=p.latest_date,
                )
        if p.unstable:
            yield _finding(
                "price-unstable",
                _ledger_loc(p.worst),
                account=a.account_id,
                name=a.name,
                sku=p.sku,
                spread=_pct(p.spread),
            )
    for scheme in a.classes.changed:
        current = getattr(a.classes, scheme).value
        before = a.classes.last_year.get(scheme)
        yield _finding(
            "class-changed",
            lp.locate(f"classification.last_year.{scheme}"),
            scheme_key=f"scheme.{scheme}",
            before_key=f"class.{before}",
            current_key=f"class.{current}",
        )


def ships_goods(action: Action) -> bool:
    """An action ships goods when it says so, or when it is a delivery and does not say
    ``ships_goods: false``."""
    if "ships_goods" in action.model_fields_set:
        return action.ships_goods
    return action.form.value == "delivery"


def _owner(lp: LoadedPlan, a: AccountFacts, ledger: Ledger) -> Iterator[Diagnostic]:
    """The plan's owner against the customers sheet's owner, when the sheet comes from the
    workbooks (else it was built from the plans and agrees by construction)."""
    if not ledger.customers_from_workbook or not a.ledger_owner or a.ledger_owner == a.owner:
        return
    row = ledger.customers.filter(ledger.customers["customer"] == a.account_id).head(1)
    sheet = (
        f"{row['src_file'][0]} › {row['src_sheet'][0]} › row {row['src_row'][0]}" if row.height else "customers sheet"
    )
    yield _finding(
        "owner-mismatch",
        lp.locate("owner"),
        account=a.account_id,
        plan_owner=a.owner,
        ledger_owner=a.ledger_owner,
        sheet=sheet,
    )


def _activity(portfolio: Portfolio, facts: PortfolioFacts) -> Iterator[Diagnostic]:
    """One finding per salesperson with a month below the alert (DOMAIN.md defines the rate
    per salesperson per month), naming the months and their rates, with the period's mean;
    located at ``activity.alert_below`` in kam.yaml."""
    from workbench.analyze.period import settings_location

    alert = portfolio.settings.activity.alert_below
    act = facts.activity
    where: Location | None = None
    for person in act.salespeople:
        if person == "*":
            continue
        cells = [c for c in act.cells if c.salesperson == person and c.rate is not None]
        low = [c for c in cells if c.rate is not None and c.rate < alert]
        if not low:
            continue
        mean = sum((c.rate for c in cells if c.rate is not None), Decimal(0)) / len(cells)
        where = where or settings_location(portfolio.settings_path, "activity.alert_below")
        yield _finding(
            "activity-below-alert",
            where,
            person=person,
            mean=_pct(mean),
            alert=_pct(alert),
            months=", ".join(f"{c.month} ({_pct(c.rate)})" for c in low),
            count=len(low),
            period=len(cells),
        )
