"""`kam check`: the findings reviewers expect (DOMAIN.md), plan against itself and against
the ledger. Each rule has a stable code, a default severity and a message saying what to
do; each finding points at ``plans/x.yaml:line:col`` or at ``file › sheet › row``. The
settings' ``checks.levels`` re-level a rule or switch it off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.errors import Diagnostic, Location, Severity, sort_key

if TYPE_CHECKING:
    from workbench.analyze.facts import AccountFacts, PortfolioFacts, SourceRef
    from workbench.ledger.model import Ledger
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
    Rule("hold-ships-goods", Severity.ERROR, "a customer on credit hold with an open action that ships goods"),
    Rule("blacklist-proposed", Severity.WARNING, "repeated overdue invoices: propose the customer for the blacklist"),
    Rule("inventory-above-band", Severity.WARNING, "dealer stock above the inventory band (next order smaller)"),
    Rule("inventory-below-band", Severity.INFO, "dealer stock below the inventory band (next order larger)"),
    Rule("price-below-floor", Severity.WARNING, "resale price below the floor: risk of cross-region dumping (窜货)"),
    Rule("price-above-ceiling", Severity.WARNING, "resale price above the ceiling: end demand at risk"),
    Rule("price-unstable", Severity.INFO, "resale prices spread widely over the period"),
    Rule("activity-below-alert", Severity.WARNING, "a salesperson's customer activity rate below the alert level"),
    Rule("class-changed", Severity.INFO, "an account's class changed since last year"),
)
_BY_CODE = {r.code: r for r in RULES}
OPEN = ("planned", "in_progress", "blocked")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


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
    found += _activity(portfolio, facts)
    out = []
    for d in found:
        level = levels.get(d.code)
        if level == "off":
            continue
        if level is not None:
            d = Diagnostic(d.code, d.message, d.location, Severity(level), d.hint)
        out.append(d)
    return sorted(out, key=sort_key)


def _finding(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, location, _BY_CODE[code].severity, hint)


def _plan_rules(lp: LoadedPlan, facts: PortfolioFacts) -> Iterator[Diagnostic]:
    plan = lp.plan
    as_of = facts.as_of
    for section, present in (
        ("customer.contacts", plan.customer.contacts),
        ("goals.this_year", plan.goals.this_year),
        ("strategies", plan.strategies),
        ("actions", plan.actions),
    ):
        if not present:
            yield _finding(
                "missing-section",
                f"the plan has no {section.replace('_', ' ')}",
                lp.locate(section.split(".")[0]),
                "every key-account plan needs contacts, goals, strategies and an action timeline",
            )
    for a in plan.actions:
        status = a.status.value
        if status in OPEN and not a.owner:
            yield _finding(
                "action-no-owner", f"action {a.id} has no owner", lp.locate(f"actions[{a.id}]"), "name who does it"
            )
        if status in OPEN and a.due is None:
            yield _finding(
                "action-no-due", f"action {a.id} has no due date", lp.locate(f"actions[{a.id}]"), "give it a due date"
            )
        if status in OPEN and a.due is not None and a.due < as_of:
            yield _finding(
                "action-overdue",
                f"action {a.id} “{a.title}” was due {a.due} and is still {status.replace('_', ' ')}",
                lp.locate(f"actions[{a.id}].due"),
                "finish it, or set a new due date or status",
            )
    served = {g for s in plan.strategies for g in s.goals}
    for g in plan.goals.this_year:
        if g.id not in served:
            yield _finding(
                "goal-no-strategy",
                f"goal {g.id} “{g.title}” has no strategy",
                lp.locate(f"goals.this_year[{g.id}]"),
                "add a strategy that lists this goal",
            )
    carried = {a.strategy for a in plan.actions if a.strategy}
    for s in plan.strategies:
        if s.id not in carried:
            yield _finding(
                "strategy-no-action",
                f"strategy {s.id} “{s.title}” has no action",
                lp.locate(f"strategies[{s.id}]"),
                "add an action with `strategy: " + s.id + "`",
            )
    for c in plan.customer.contacts:
        if c.role is None:
            yield _finding(
                "contact-no-role",
                f"contact {c.id} ({c.name}) has no role in the decision",
                lp.locate(f"customer.contacts[{c.id}]"),
                "decision_maker, influencer, user or gatekeeper",
            )


def _ledger_rules(lp: LoadedPlan, a: AccountFacts, ledger: Ledger) -> Iterator[Diagnostic]:
    plan = lp.plan
    if a.ytd.lines == 0 and a.last_year.lines == 0 and a.receivables.invoiced == 0:
        known = set(ledger.customers.get_column("customer").to_list()) | set(
            ledger.sales.get_column("customer").unique().to_list()
        )
        if plan.account_id not in known:
            yield _finding(
                "not-in-ledger",
                f"customer id `{plan.account_id}` does not appear in the ledger",
                lp.locate("account_id"),
                "check the id against the ERP (leading zeros matter)",
            )
    for g in a.last_year_goals:
        if g.agrees is False:
            yield _finding(
                "achieved-mismatch",
                f"goal {g.goal_id} reports {_money(g.reported or Decimal(0))} achieved; the ledger shows {_money(g.ledger or Decimal(0))}",
                lp.locate(f"goals.last_year[{g.goal_id}].achieved"),
                "correct the reported figure or the ledger",
            )
    rec = a.receivables
    if "over_limit" in rec.hold_reasons:
        yield _finding(
            "credit-limit-exceeded",
            f"outstanding {_money(rec.outstanding)} exceeds the credit limit {_money(rec.limit)} ({_pct(rec.limit_use)} used)",
            lp.locate("customer.credit.limit"),
            "collect before shipping more, or raise the limit with approval",
        )
    if rec.overdue > 0 and "overdue" in rec.hold_reasons:
        oldest = next((i for i in rec.open_invoices if i.days_past_due > 0), None)
        where = _ledger_loc(oldest.source if oldest else None)
        yield _finding(
            "overdue-receivables",
            f"{a.account_id} {a.name}: {_money(rec.overdue)} overdue, the oldest {rec.max_days_past_due} days past due"
            + (f" (invoice {oldest.invoice})" if oldest else ""),
            where if where.file else lp.locate("customer.credit"),
            "agree a payment plan; the customer is on hold",
        )
    if rec.on_hold:
        for act in plan.actions:
            if act.ships_goods and act.status.value in OPEN:
                yield _finding(
                    "hold-ships-goods",
                    f"action {act.id} ships goods while the customer is on credit hold ({', '.join(rec.hold_reasons)})",
                    lp.locate(f"actions[{act.id}].ships_goods"),
                    "hold the shipment until the account is cleared",
                )
    if rec.blacklist_proposed:
        yield _finding(
            "blacklist-proposed",
            f"{rec.late_invoices_12m} invoices paid late or overdue in the last 12 months",
            lp.locate("customer.credit.blacklisted"),
            "review the account for the credit blacklist",
        )
    for inv in a.inventory:
        if inv.status in ("above", "below"):
            code = "inventory-above-band" if inv.status == "above" else "inventory-below-band"
            yield _finding(
                code,
                f"{a.account_id} {a.name}: {inv.sku} has {inv.days} days of stock on {inv.report_date}"
                f" ({inv.status} the band); suggested next order {inv.suggested_order}",
                _ledger_loc(inv.source),
                "order the suggested quantity next time",
            )
    for p in a.prices:
        if p.status in ("below_floor", "above_ceiling"):
            code = "price-below-floor" if p.status == "below_floor" else "price-above-ceiling"
            yield _finding(
                code,
                f"{a.account_id} {a.name}: {p.sku} sold at {p.latest_price:.2f} against a guideline of {p.guideline:.2f}"
                f" ({_pct(p.deviation)})",
                _ledger_loc(p.worst),
                "talk to the dealer; check for goods from other regions",
            )
        if p.unstable:
            yield _finding(
                "price-unstable",
                f"{a.account_id} {a.name}: {p.sku} prices spread {_pct(p.spread)} over the period",
                _ledger_loc(p.worst),
                "watch the market for price wars",
            )
    for scheme in a.classes.changed:
        current = getattr(a.classes, scheme).value
        before = a.classes.last_year.get(scheme)
        yield _finding(
            "class-changed",
            f"{scheme} class changed from {before} to {current}",
            lp.locate(f"classification.last_year.{scheme}"),
            "review the account's strategy for its new class",
        )


def _activity(portfolio: Portfolio, facts: PortfolioFacts) -> Iterator[Diagnostic]:
    from workbench.plan.load import display_path

    alert = portfolio.settings.activity.alert_below
    act = facts.activity
    for person in act.salespeople:
        if person == "*":
            continue
        cells = [c for c in act.cells if c.salesperson == person and c.rate is not None]
        if not cells:
            continue
        mean = sum((c.rate for c in cells if c.rate is not None), Decimal(0)) / len(cells)
        if mean < alert:
            low = [c.month for c in cells if c.rate is not None and c.rate < alert]
            yield _finding(
                "activity-below-alert",
                f"{person}: customer activity rate {_pct(mean)} on average this year (below {_pct(alert)}; low in {', '.join(low)})",
                Location(file=display_path(portfolio.settings_path)),
                "visit the customers who did not buy; see the activity heat map",
            )
