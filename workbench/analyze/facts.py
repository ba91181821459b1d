"""The typed results of analysis: what renderers, trackers and ``kam facts`` consume.

Everything here is computed by pure functions (``workbench.analyze.*``) from the plans,
the ledger, the settings and an explicit as-of date. Models are frozen; money and
quantities are exact ``Decimal``; a rate that is undefined (division by zero) is ``None``
and is shown as "—", never as an error. Every classification carries the inputs and
thresholds that produced it (``explanation``/``inputs``), so a booklet can say *why*.

Periods are inclusive date ranges. The figures named ``ytd`` are those of the chosen
period (``PortfolioFacts.period``; default: fiscal year start .. as-of date, hence the
name), measured up to the as-of date; ``last_ytd`` is the same span one year earlier (29 Feb
maps to 28 Feb; a whole period ending on a month end compares with that whole month a year
earlier). Receivables and stock are as of the as-of date; goals are measured over their own
periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def from_fields(cls) -> Any:
        """The model's compiled validator (``validate_python``): builds an instance from a
        dict of its fields, nested facts given as dicts too — the same validation as the
        constructor, without its Python frame (a run builds some 10⁵ small facts)."""
        return cls.__pydantic_validator__.validate_python


class FrozenMap(Mapping[str, str]):
    """A read-only text → text mapping (for the frozen models): reads like a dict
    (``m[k]``, ``m.get(k)``, ``k in m``), validates from a dict and dumps as one."""

    __slots__ = ("_data",)
    _data: dict[str, str]

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()):
        object.__setattr__(self, "_data", dict(items))

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self._data == dict(other)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (tuple(self._data.items()),))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.dict_schema(core_schema.str_schema(), core_schema.str_schema()),
            serialization=core_schema.plain_serializer_function_ser_schema(dict),
        )


# --------------------------------------------------------------------------- period


class Period(Fact):
    """The period the figures cover, and the span a year earlier they are compared with."""

    label: str  # as asked: "2026", "2026Q2", "2026H1", "2026-03", "2026-02-01..2026-04-15", "fiscal year to date"
    start: dt.date
    end: dt.date  # the period's last day
    through: dt.date  # last day measured: the earlier of `end` and the as-of date
    comparison_start: dt.date  # `start` one year earlier
    comparison_end: dt.date  # `through` one year earlier (a month end maps to the month end)


# --------------------------------------------------------------------------- sources


class SourceRef(Fact):
    """A ledger row: ``file › sheet › row N`` (Excel row number)."""

    file: str
    sheet: str
    row: int


# --------------------------------------------------------------------------- sales


class SalesFigures(Fact):
    """Revenue and margin of one customer (or the portfolio) over one period."""

    start: dt.date
    end: dt.date
    revenue: Decimal  # Σ quantity × unit price (returns reduce it)
    cost: Decimal  # Σ quantity × unit cost
    margin: Decimal  # revenue − cost
    margin_rate: Decimal | None  # margin / revenue; None when revenue is 0
    lines: int
    invoices: int
    returns: Decimal  # revenue of return lines (≤ 0)


class MonthPoint(Fact):
    """One calendar month of a monthly series."""

    month: str  # "2026-03"
    revenue: Decimal
    margin: Decimal
    margin_rate: Decimal | None
    revenue_last_year: Decimal | None  # same month one year earlier; None before the ledger starts
    yoy: Decimal | None  # revenue / revenue_last_year − 1; None when last year is ≤ 0 or unknown


class Trend(Fact):
    growth_yoy: Decimal | None  # period revenue / comparison revenue − 1; None when that revenue ≤ 0
    slope_per_month: Decimal | None  # least-squares slope of monthly revenue over the 12 months to the period's end
    months: int  # months in the fit


class RegionShare(Fact):
    region: str
    revenue: Decimal
    share: Decimal | None


class SalesQuality(Fact):
    """Cross-region sales: revenue delivered outside the customer's own region."""

    home_region: str | None
    cross_region_revenue: Decimal
    cross_region_share: Decimal | None  # None when YTD revenue is 0
    regions: tuple[RegionShare, ...]  # YTD revenue by delivery region, largest first


class LineRevenue(Fact):
    product_line: str
    revenue: Decimal
    margin: Decimal


class Penetration(Fact):
    """Product lines bought in the period out of all of ours; the rest is whitespace."""

    bought: tuple[str, ...]
    whitespace: tuple[str, ...]
    share: Decimal | None  # len(bought) / number of product lines; None when there are none
    by_line: tuple[LineRevenue, ...]  # YTD revenue per product line, largest first


# --------------------------------------------------------------------------- receivables


class CreditTerms(Fact):
    """Credit inputs of one customer (from the plan, else the customers sheet)."""

    term_days: int = 0
    limit: Decimal = Decimal(0)
    blacklisted: bool = False


class AgingBucket(Fact):
    label: str  # "not_due", "1-30", "31-60", "61-90", "90+"
    min_days: int | None  # days past due, inclusive; None for not_due
    max_days: int | None  # inclusive; None for the open-ended last bucket
    amount: Decimal


class OpenInvoice(Fact):
    invoice: str
    date: dt.date
    due: dt.date
    amount: Decimal  # invoice total
    outstanding: Decimal  # after payments applied to it and FIFO of unapplied payments
    days_past_due: int  # 0 when not yet due
    source: SourceRef | None  # first line of the invoice in the sales sheet


HoldReason = Literal["overdue", "over_limit", "blacklisted"]


class Receivables(Fact):
    as_of: dt.date
    term_days: int
    limit: Decimal
    invoiced: Decimal  # Σ invoice totals up to as-of
    paid: Decimal  # Σ payments up to as-of
    outstanding: Decimal  # Σ open invoice amounts (≥ 0)
    credit_balance: Decimal  # unapplied money left after every invoice is paid (overpayment, ≥ 0)
    overdue: Decimal  # outstanding more than 0 days past due
    max_days_past_due: int
    buckets: tuple[AgingBucket, ...]
    dso: Decimal | None  # outstanding / revenue of the trailing 90 days × 90 (0.1 day); None when that revenue ≤ 0
    limit_use: Decimal | None  # outstanding / limit (0.0001); None when the limit is 0
    on_hold: bool
    hold_reasons: tuple[HoldReason, ...]
    late_invoices_12m: int  # invoices paid late or still open past due (beyond tolerance) in the 12 months to as-of
    blacklist_proposed: bool  # late_invoices_12m ≥ settings.credit.blacklist_after_overdue and not blacklisted
    open_invoice_count: int  # open invoices in all
    open_invoices: tuple[OpenInvoice, ...]  # the oldest open invoices (at most 20), oldest first


# --------------------------------------------------------------------------- dealers


InventoryStatus = Literal["below", "within", "above", "no_sellout"]


class InventoryLine(Fact):
    """The latest stock report of a dealer for one SKU, judged against the band.

    Each report's ``sold`` covers the days since the dealer's previous report of the SKU.
    The rate counts the reports dated in the trailing window ending on the latest report,
    over the days they cover: latest report date − date of the report before the first
    counted one. The very first report of a SKU covers an unknown span: it is left out of
    the rate when later reports are counted, and assumed to cover the window when it is
    the only report (``span_assumed``)."""

    sku: str
    report_date: dt.date
    on_hand: Decimal
    sold: Decimal  # Σ sold of the reports counted in the rate
    covered_days: int | None  # days those reports cover; None without a usable span
    span_assumed: bool  # a single first report, assumed to cover the window
    daily_sellout: Decimal | None  # sold / covered_days (4 places); None when sell-out is 0 or unknown
    days: Decimal | None  # on_hand / daily sell-out (1 place); None when sell-out is 0
    status: InventoryStatus
    suggested_order: Decimal | None  # max(0, band midpoint × daily sell-out − on hand), whole units
    age_days: int  # as-of date − report date
    stale: bool  # the latest report is older than the trailing window
    source: SourceRef | None


PriceStatus = Literal["below_floor", "within", "above_ceiling", "no_guideline"]


class PriceObservation(Fact):
    """One observed resale price."""

    date: dt.date
    price: Decimal
    guideline: Decimal
    deviation: Decimal  # price / guideline − 1 (4 places)
    source: SourceRef


class PriceLine(Fact):
    """Observed resale prices of a dealer for one SKU in the period.

    ``status`` is that of the period: below the floor when any observation was, else
    above the ceiling when any was, else within; ``latest_status`` is the latest
    observation's alone."""

    sku: str
    guideline: Decimal | None  # of the latest observation
    observations: int
    latest_date: dt.date
    latest_price: Decimal
    deviation: Decimal | None  # latest price / guideline − 1
    min_deviation: Decimal | None
    max_deviation: Decimal | None
    spread: Decimal | None  # max − min deviation
    status: PriceStatus  # of the period (any observation)
    latest_status: PriceStatus  # of the latest observation
    below_floor: int  # observations below the floor
    above_ceiling: int  # observations above the ceiling
    floor_breach: PriceObservation | None  # the lowest observation, when it is below the floor (first of equals)
    ceiling_breach: PriceObservation | None  # the highest observation, when it is above the ceiling (first of equals)
    unstable: bool  # spread > settings.prices.spread_alert
    worst: SourceRef | None  # the observation deviating most (the lowest on a tie between lowest and highest)


# --------------------------------------------------------------------------- goals


class GoalProgress(Fact):
    """This year's goal with a ledger metric, measured to the as-of date."""

    goal_id: str
    title: str
    metric: str
    unit: str | None
    target: Decimal | None
    start: dt.date
    end: dt.date
    actual: Decimal | None  # None for text goals
    percent: Decimal | None  # actual / target
    projection: Decimal | None  # straight line: actual / elapsed days × period days (rates: actual)
    projected_percent: Decimal | None
    on_track: bool | None


class LastYearGoal(Fact):
    goal_id: str
    title: str
    metric: str
    target: Decimal | None
    reported: Decimal | None  # the plan's `achieved`
    ledger: Decimal | None  # what the ledger says
    agrees: bool | None  # within settings.checks.achieved_tolerance; None when not comparable


# --------------------------------------------------------------------------- classification


Scheme = Literal["abc", "quadrant", "stars", "matrix"]


class ClassResult(Fact):
    scheme: Scheme
    computed: (
        str  # A/B/C; protect/dangerous/rising_star/phase_out; "1".."4"; core/core_potential/maintain/general/unscored
    )
    manual: str | None  # the plan's override
    reason: str | None  # the override's reason
    explanation: str  # one sentence: inputs and thresholds that produced `computed` (English, for logs/JSON)
    inputs: FrozenMap  # named inputs and thresholds, values as text (read-only)

    @property
    def value(self) -> str:
        """The effective class: the manual override when there is one."""
        return self.manual or self.computed


class Classes(Fact):
    abc: ClassResult
    quadrant: ClassResult
    stars: ClassResult
    matrix: ClassResult
    star_controls: tuple[str, ...]  # prescribed controls of the effective star rating (message keys)
    potential_key: bool
    potential_reason: str | None
    last_year: FrozenMap  # scheme → class, as the plan records it (read-only)
    changed: tuple[str, ...]  # schemes whose effective class differs from last year's


class ParetoPoint(Fact):
    rank: int
    customer: str
    name: str
    revenue: Decimal
    share: Decimal | None
    cumulative_share: Decimal | None  # including this customer
    abc: str
    has_plan: bool


# --------------------------------------------------------------------------- activity


class ActivityCell(Fact):
    salesperson: str  # "*" for the company rate
    month: str  # "2026-03"
    assigned: int
    active: int
    rate: Decimal | None  # None when no customers are assigned


class Activity(Fact):
    credit: Literal["owner", "taker"]
    months: tuple[str, ...]
    salespeople: tuple[str, ...]
    cells: tuple[ActivityCell, ...]  # every salesperson × month, then the company rate ("*")


# --------------------------------------------------------------------------- accounts and portfolio


RiskFlag = Literal[
    "credit_hold",
    "over_limit",
    "overdue",
    "blacklist_proposed",
    "over_stock",
    "under_stock",
    "price_below_floor",
    "price_above_ceiling",
    "price_unstable",
    "cross_region",
    "declining",
    "overdue_actions",
]


class AccountFacts(Fact):
    account_id: str
    name: str
    owner: str  # the plan's owner
    ledger_owner: str | None  # the customers sheet's owner (who activity credits); None when not in it
    region: str | None
    channel: str | None
    language: str  # "zh" or "en": the plan's language
    ytd: SalesFigures  # the period (default fiscal year to date)
    last_ytd: SalesFigures  # the comparison period (the same span a year earlier)
    last_year: SalesFigures  # the whole previous fiscal year
    monthly: tuple[MonthPoint, ...]  # every month from the comparison period's first to the period's last
    trend: Trend
    quality: SalesQuality
    penetration: Penetration
    regularity: Decimal | None  # share of the 12 months ending with the period's last month with ≥ 1 sales line
    active_months: tuple[str, ...] = ()  # the months of `monthly` with ≥ 1 sales line ("2026-03"), for the booklet
    receivables: Receivables
    inventory: tuple[InventoryLine, ...]  # empty for customers with no stock reports
    prices: tuple[PriceLine, ...]
    goals: tuple[GoalProgress, ...]
    last_year_goals: tuple[LastYearGoal, ...]
    classes: Classes
    overdue_actions: tuple[str, ...]  # ids of actions due before as-of and not done/dropped
    risk_flags: tuple[RiskFlag, ...]


class PortfolioFacts(Fact):
    company: str
    currency: str
    language: str
    fiscal_year: int
    as_of: dt.date
    start: dt.date  # fiscal year start
    end: dt.date  # fiscal year end
    period: Period  # what `totals`, the accounts' `ytd` figures, activity and prices cover
    product_lines: tuple[str, ...]
    value_threshold: Decimal  # the value × loyalty threshold actually used
    totals: SalesFigures  # all customers, the period
    last_totals: SalesFigures  # all customers, the comparison period
    monthly: tuple[MonthPoint, ...]  # all customers
    pareto: tuple[ParetoPoint, ...]  # every customer in the ledger, ranked
    activity: Activity  # under settings.activity.credit
    activity_other: Activity  # under the other credit rule, for comparison
    accounts: tuple[AccountFacts, ...]  # one per plan, in account id order

    def account(self, account_id: str) -> AccountFacts | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)
