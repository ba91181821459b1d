"""The account plan: one YAML file per key account and fiscal year (DOMAIN.md).

Sections appear in the order a booklet shows them. Every list item a reviewer might see
change carries a stable ``id`` unique within the plan, so diffs and error paths can say
``goals[G2].target`` rather than "item 3". Field descriptions become editor hover text
through the JSON Schema (``kam schema``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from workbench.scalars import (
    AccountId,
    Day,
    ItemId,
    LongText,
    Money,
    Number,
    Score5,
    ShortText,
    Text,
)

SCHEMA_VERSION = 1


class Strict(BaseModel):
    """Base of every plan model: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=False)


# ------------------------------------------------------------------------------ enums


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class Channel(StrEnum):
    DISTRIBUTOR = "distributor"
    RETAILER = "retailer"
    TERMINAL = "terminal"
    DIRECT = "direct"


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class GoalMetric(StrEnum):
    REVENUE = "revenue"
    GROSS_MARGIN = "gross_margin"
    MARGIN_RATE = "margin_rate"
    PRODUCT_LINES = "product_lines"
    ACTIVITY = "activity"
    COLLECTION = "collection"
    TEXT = "text"


LEDGER_METRICS = frozenset(
    {
        GoalMetric.REVENUE,
        GoalMetric.GROSS_MARGIN,
        GoalMetric.MARGIN_RATE,
        GoalMetric.PRODUCT_LINES,
        GoalMetric.ACTIVITY,
        GoalMetric.COLLECTION,
    }
)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    DROPPED = "dropped"


class ActionForm(StrEnum):
    VISIT = "visit"
    MEETING = "meeting"
    FIELD_GUIDANCE = "field_guidance"
    TRAINING = "training"
    PROMOTION = "promotion"
    DELIVERY = "delivery"


class LogKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    MEETING = "meeting"
    MORNING_BRIEFING = "morning_briefing"
    EVENING_BRIEFING = "evening_briefing"


class ReviewKind(StrEnum):
    PROGRESS = "progress"
    FEEDBACK = "feedback"
    PEOPLE = "people"
    IMPROVEMENT = "improvement"


class CreditGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Scheme(StrEnum):
    ABC = "abc"
    QUADRANT = "quadrant"
    STARS = "stars"
    MATRIX = "matrix"


# ------------------------------------------------------------------------- 1. customer


class StaticInfo(Strict):
    legal_name: ShortText = Field(description="Registered legal name of the customer (客户全称).")
    short_name: ShortText = Field(description="Short name used in tables and charts (简称).")
    address: Text | None = Field(None, description="Street address (地址).")
    phone: Text | None = Field(None, description="Main phone number, as text (电话).")
    fax: Text | None = Field(None, description="Fax number, as text (传真).")
    bank_account: Text | None = Field(None, description="Bank and account number, as text (开户行及账号).")
    tax_id: Text | None = Field(None, description="Tax registration id, as text; leading zeros kept (税号).")
    region: ShortText = Field(
        description="Sales region the account belongs to; must match the ledger's region names (区域)."
    )
    province: Text | None = Field(None, description="Province (省).")
    city: Text | None = Field(None, description="City (市).")
    channel: Channel = Field(description="Channel type: distributor, retailer, terminal (store) or direct.")


class Contact(Strict):
    id: ItemId = Field(description="Stable id of the contact, unique within the plan (e.g. `C-wang`).")
    name: ShortText = Field(description="Contact's name.")
    title: Text | None = Field(None, description="Job title (职务).")
    role: DecisionRole | None = Field(
        None,
        description="Role in the purchase decision: decision_maker, influencer, user or gatekeeper. `kam check` flags contacts without one.",
    )
    relationship: Score5 | None = Field(None, description="Strength of our relationship, 1 (cold) to 5 (trusted).")
    birthday: Day | None = Field(
        None, description="Birthday (YYYY-MM-DD); personal knowledge matters most and is most often missing."
    )
    hobbies: Text | None = Field(None, description="Hobbies and interests (爱好).")
    notes: LongText | None = Field(None, description="Personal notes: family, career, preferences (个人信息).")


class ProductOffer(Strict):
    name: ShortText = Field(description="Product or brand carried.")
    spec: Text | None = Field(None, description="Specification / pack size.")
    price: Money | None = Field(None, description="Shelf or resale price, in the portfolio currency.")


class MarketStatus(Strict):
    market_size: Money | None = Field(
        None, description="Estimated annual market size of the customer's territory, in the portfolio currency."
    )
    brands: list[ShortText] = Field(
        default_factory=list, description="Brands the customer carries, ours and competitors'."
    )
    products: list[ProductOffer] = Field(
        default_factory=list, description="Products, specifications and prices the customer sells."
    )
    advertising: Text | None = Field(None, description="The customer's advertising and promotion activity.")
    notes: LongText | None = Field(None, description="Anything else about the customer's market position.")


class CustomerResources(Strict):
    staff: int | None = Field(None, ge=0, description="Number of staff.")
    sales_staff: int | None = Field(None, ge=0, description="Number of salespeople.")
    vehicles: int | None = Field(None, ge=0, description="Delivery vehicles.")
    sites: int | None = Field(None, ge=0, description="Shops, outlets or sites.")
    warehouses: int | None = Field(None, ge=0, description="Warehouses.")
    warehouse_area_m2: int | None = Field(None, ge=0, description="Total warehouse area in square metres.")
    funds: Money | None = Field(None, description="Working capital available, in the portfolio currency.")
    notes: LongText | None = Field(None, description="Other resources.")


class DecisionProcess(Strict):
    who: Text | None = Field(None, description="Who decides purchases (names or contact ids).")
    how: Text | None = Field(None, description="How decisions are made: tender, committee, owner alone...")
    when: Text | None = Field(None, description="When decisions are made: budget cycle, season, order rhythm.")


class Credit(Strict):
    term_days: int = Field(
        0, ge=0, le=365, description="Credit term in days (放账期限); 0 = cash only. A new customer has 0."
    )
    limit: Money = Field(
        default=Decimal(0), ge=0, description="Credit limit (放账额度) in the portfolio currency; 0 = cash only."
    )
    grade: CreditGrade | None = Field(None, description="Credit grade A (best) to D.")
    blacklisted: bool = Field(
        False, description="True when the customer is on the credit blacklist (no credit at all)."
    )
    blacklist_reason: Text | None = Field(
        None, description="Why the customer is blacklisted; required when `blacklisted` is true."
    )

    @model_validator(mode="after")
    def _reason_when_blacklisted(self) -> Credit:
        if self.blacklisted and not self.blacklist_reason:
            raise PydanticCustomError(
                "blacklist-reason",
                "`blacklist_reason` is required when `blacklisted` is true",
                {
                    "field": "blacklisted",
                    "hint": "add `blacklist_reason:` saying why (shown wherever the blacklist is)",
                },
            )
        return self


class CustomerFile(Strict):
    static: StaticInfo = Field(description="Static information: names, address, numbers, region, channel.")
    contacts: list[Contact] = Field(
        default_factory=list, description="People at the customer, with their role in the decision."
    )
    market: MarketStatus = Field(
        default_factory=MarketStatus, description="Market status: size, brands, products, advertising."
    )
    resources: CustomerResources = Field(
        default_factory=CustomerResources,
        description="The customer's own resources: staff, vehicles, sites, warehouses, funds.",
    )
    needs: list[Text] = Field(default_factory=list, description="What the customer needs from us.")
    decision_process: DecisionProcess = Field(default_factory=DecisionProcess, description="Who decides, how and when.")
    purchase_history: LongText | None = Field(
        None, description="Notes on purchase history; the figures come from the ledger."
    )
    credit: Credit = Field(default_factory=Credit, description="Credit terms, limit, grade and blacklist.")


# ---------------------------------------------------------------- 2–3. performance, report card


class ScoreItem(Strict):
    id: ItemId = Field(description="Stable id of the score line.")
    dimension: ShortText = Field(description="What is scored: delivery, service, product quality, communication...")
    score: Score5 = Field(description="Score from 1 (poor) to 5 (excellent).")
    comment: Text | None = Field(None, description="Why this score.")


class Performance(Strict):
    service_scores: list[ScoreItem] = Field(
        default_factory=list, description="Service results we scored for this account."
    )
    notes: LongText | None = Field(
        None, description="Notes on financial and service results; the figures come from the ledger."
    )


class ReportedProblem(Strict):
    id: ItemId = Field(description="Stable id of the problem.")
    text: Text = Field(description="The problem as the customer reported it.")
    reported: Day | None = Field(None, description="When it was reported.")
    actions: list[ItemId] = Field(default_factory=list, description="Ids of the actions that answer it.")


class ReportCard(Strict):
    date: Day | None = Field(None, description="When the customer filled in the report card.")
    scores: list[ScoreItem] = Field(
        default_factory=list, description="The customer's evaluation of our service, by dimension."
    )
    problems: list[ReportedProblem] = Field(
        default_factory=list, description="Problems the customer reported; they point to next actions."
    )


# --------------------------------------------------------------------- 4. opportunities/threats


class Factor(Strict):
    id: ItemId = Field(description="Stable id (e.g. `O1`, `T-price-war`).")
    title: ShortText = Field(description="One-line statement.")
    detail: LongText | None = Field(None, description="Explanation and evidence.")
    impact: Level = Field(description="Impact on the account if it happens: low, medium or high.")
    likelihood: Level = Field(description="How likely it is: low, medium or high.")


# ---------------------------------------------------------------------------- 5. goals


class Period(Strict):
    start: Day = Field(description="First day of the period.")
    end: Day = Field(description="Last day of the period (inclusive).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError(
                "end-before-start",
                "the period ends ({end}) before it starts ({start})",
                {"end": str(self.end), "start": str(self.start), "field": "end", "hint": "swap the two dates"},
            )
        return self


class Goal(Strict):
    id: ItemId = Field(description="Stable id of the goal (e.g. `G2`), unique within the plan.")
    title: ShortText = Field(description="The goal in one line.")
    metric: GoalMetric = Field(
        description="What is measured: revenue, gross_margin, margin_rate, product_lines, activity (months with purchases), collection (payments received), or text (not measured from the ledger)."
    )
    target: Number | None = Field(
        None,
        description="Target value in `unit`; required unless the metric is `text`. Rates are fractions (0.25 = 25 %).",
    )
    unit: ShortText | None = Field(
        None, description="Unit of the target: the currency code, `ratio`, `lines`, `months`..."
    )
    period: Period | None = Field(None, description="Period the goal covers; defaults to the plan's fiscal year.")
    achieved: Number | None = Field(
        None,
        description="For last year's goals: what was achieved, as reported. `kam check` compares it with the ledger.",
    )
    notes: Text | None = Field(None, description="Comment on the goal.")

    @model_validator(mode="after")
    def _target_unless_text(self) -> Goal:
        if self.metric != GoalMetric.TEXT and self.target is None:
            raise PydanticCustomError(
                "target-required",
                "`target` is required for a `{metric}` goal",
                {
                    "metric": self.metric.value,
                    "field": "metric",
                    "hint": "add `target:` (rates as fractions: 0.25 for 25 %), or use `metric: text` for a goal not measured from the ledger",
                },
            )
        return self


class Goals(Strict):
    last_year: list[Goal] = Field(default_factory=list, description="Last year's goals, with what was achieved.")
    this_year: list[Goal] = Field(default_factory=list, description="This year's goals.")


# ---------------------------------------------------------------------- 6. strategies


class Strategy(Strict):
    id: ItemId = Field(description="Stable id of the strategy (e.g. `S1`).")
    title: ShortText = Field(description="The strategy in one line.")
    detail: LongText | None = Field(None, description="How the strategy works.")
    goals: list[ItemId] = Field(default_factory=list, description="Ids of the goals this strategy serves.")


# ----------------------------------------------------------------------- 7. resources


class TeamMember(Strict):
    id: ItemId = Field(description="Stable id of the team member.")
    name: ShortText = Field(description="Name, as the ledger spells the salesperson where applicable.")
    role: ShortText = Field(description="Role on the account team (account manager, sales rep, service...).")
    responsibilities: Text | None = Field(None, description="What this person is responsible for.")


class BudgetLine(Strict):
    id: ItemId = Field(description="Stable id of the budget line.")
    item: ShortText = Field(description="What the money is for.")
    amount: Money = Field(ge=0, description="Amount in the portfolio currency.")


class PromotionMaterial(Strict):
    id: ItemId = Field(description="Stable id of the promotion material line.")
    item: ShortText = Field(description="Material (促销品): posters, samples, displays...")
    quantity: int = Field(ge=0, description="Quantity allocated.")
    value: Money | None = Field(None, ge=0, description="Total value in the portfolio currency.")


class Resources(Strict):
    team: list[TeamMember] = Field(default_factory=list, description="The account team and each member's role.")
    budget: list[BudgetLine] = Field(default_factory=list, description="Budget allocated to the account.")
    promotion_materials: list[PromotionMaterial] = Field(
        default_factory=list, description="Promotion materials allocated."
    )


# -------------------------------------------------------------------- 8. action timeline


class Action(Strict):
    id: ItemId = Field(description="Stable id of the action (e.g. `A-visit-0312`).")
    title: ShortText = Field(description="What will be done.")
    owner: ShortText | None = Field(None, description="Who does it. `kam check` flags actions without one.")
    start: Day | None = Field(None, description="Start date.")
    due: Day | None = Field(None, description="Due date. `kam check` flags actions without one, and overdue ones.")
    status: ActionStatus = Field(ActionStatus.PLANNED, description="planned, in_progress, done, blocked or dropped.")
    form: ActionForm = Field(
        description="Form of the action: visit, meeting, field_guidance, training, promotion or delivery."
    )
    goals: list[ItemId] = Field(default_factory=list, description="Ids of the goals this action serves.")
    strategy: ItemId | None = Field(None, description="Id of the strategy this action carries out.")
    ships_goods: bool = Field(
        False,
        description="True when the action ships goods to the customer (blocked while the customer is on credit hold).",
    )
    notes: Text | None = Field(None, description="Comment.")

    @model_validator(mode="after")
    def _due_after_start(self) -> Action:
        if self.start and self.due and self.due < self.start:
            raise PydanticCustomError(
                "due-before-start",
                "the action is due ({due}) before it starts ({start})",
                {"due": str(self.due), "start": str(self.start), "field": "due", "hint": "correct `start` or `due`"},
            )
        return self


# ------------------------------------------------------------- 9–11. issues, logs, reviews


class LongTermIssue(Strict):
    id: ItemId = Field(description="Stable id of the issue.")
    title: ShortText = Field(description="The issue in one line.")
    detail: LongText | None = Field(None, description="Explanation and what it would take.")


class WorkLog(Strict):
    id: ItemId = Field(description="Stable id of the log entry (e.g. `L-0312`).")
    date: Day = Field(description="Date of the entry.")
    author: ShortText = Field(description="Who wrote it.")
    kind: LogKind = Field(description="visit, call, meeting, morning_briefing or evening_briefing.")
    contacts: list[ItemId] = Field(default_factory=list, description="Ids of the contacts met.")
    summary: LongText = Field(description="What happened.")
    next_steps: Text | None = Field(None, description="What follows.")


class Review(Strict):
    id: ItemId = Field(description="Stable id of the review.")
    date: Day = Field(description="Date of the review.")
    kind: ReviewKind = Field(
        description="progress, feedback (customer feedback round), people (evaluation) or improvement."
    )
    author: ShortText = Field(description="Who reviewed.")
    summary: LongText = Field(description="Findings.")
    improvements: list[Text] = Field(default_factory=list, description="Improvements proposed.")


# --------------------------------------------------------------------- classification


class Criterion(Strict):
    name: ShortText = Field(description="What is scored (product advantage, service, location, competitors' hold...).")
    weight: Number = Field(gt=0, description="Relative weight; weights are normalised to sum to 1.")
    score: Score5 = Field(description="Score from 1 (low) to 5 (high).")


CLASS_VALUES: dict[Scheme, tuple[str, ...]] = {
    Scheme.ABC: ("A", "B", "C"),
    Scheme.QUADRANT: ("protect", "dangerous", "rising_star", "phase_out"),
    Scheme.STARS: ("1", "2", "3", "4"),
    Scheme.MATRIX: ("core", "core_potential", "maintain", "general"),
}
"""The classes each scheme can produce (DOMAIN.md)."""


def check_class(scheme: Scheme, value: str, field: str = "value") -> None:
    """`value` must be a class `scheme` can produce; the error points at `field`."""
    allowed = CLASS_VALUES[scheme]
    if value not in allowed:
        import difflib

        near = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
        raise PydanticCustomError(
            "bad-class",
            "`{value}` is not a class of the {scheme} scheme; use one of: {allowed}",
            {
                "value": value,
                "scheme": scheme.value,
                "allowed": ", ".join(allowed),
                "field": field,
                **({"hint": f"did you mean `{near[0]}`?"} if near else {}),
            },
        )


class ManualClass(Strict):
    scheme: Scheme = Field(description="Which classification this overrides: abc, quadrant, stars or matrix.")
    value: ShortText = Field(
        description="The class: A/B/C; protect/dangerous/rising_star/phase_out; 1–4; core/core_potential/maintain/general."
    )
    reason: ShortText = Field(description="Why the computed class is overridden; shown beside it.")

    @model_validator(mode="after")
    def _known_class(self) -> ManualClass:
        check_class(self.scheme, self.value)
        return self


class ClassificationInputs(Strict):
    loyalty: Score5 | None = Field(
        None, description="Loyalty score 1–5; when absent, loyalty is derived from purchase regularity."
    )
    financial_health: Score5 | None = Field(
        None, description="Soundness of the customer's finances, 1–5 (star rating input)."
    )
    business_initiative: Score5 | None = Field(
        None, description="Business sense and initiative, 1–5 (star rating input)."
    )
    attractiveness: list[Criterion] = Field(
        default_factory=list, description="Weighted criteria of the customer's attractiveness (screening matrix)."
    )
    ability_to_win: list[Criterion] = Field(
        default_factory=list, description="Weighted criteria of our ability to win the customer (screening matrix)."
    )
    last_year: dict[Scheme, ShortText] = Field(
        default_factory=dict, description="Last year's classes by scheme, for the class-changed check."
    )
    manual: list[ManualClass] = Field(
        default_factory=list, description="Manual overrides of computed classes, each with a reason."
    )

    @model_validator(mode="after")
    def _known_last_year(self) -> ClassificationInputs:
        for scheme, value in self.last_year.items():
            check_class(scheme, value, f"last_year.{scheme.value}")
        return self


# ---------------------------------------------------------------------------- the plan


class Plan(Strict):
    """One key account's plan for one fiscal year."""

    version: int = Field(SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION, description="Plan format version (currently 1).")
    account_id: AccountId = Field(
        description="Customer id exactly as the ERP ledger spells it (text; leading zeros kept)."
    )
    fiscal_year: int = Field(ge=2000, le=2100, description="Fiscal year of the plan.")
    language: Language = Field(description="Language of the plan's text and its booklet: zh or en.")
    owner: ShortText = Field(description="Account manager who owns the plan; as the ledger spells the salesperson.")
    revision: int = Field(1, ge=1, description="Plan revision number, raised on each approved revision.")
    revised: Day | None = Field(None, description="Date of this revision.")
    customer: CustomerFile = Field(description="1. Customer file (客户档案).")
    performance: Performance = Field(
        default_factory=Performance,
        description="2. Performance file (业绩档案): scores entered here; figures come from the ledger.",
    )
    report_card: ReportCard = Field(default_factory=ReportCard, description="3. Customer report card (客户报告单).")
    opportunities: list[Factor] = Field(default_factory=list, description="4a. Opportunities (机会).")
    threats: list[Factor] = Field(default_factory=list, description="4b. Threats (威胁).")
    goals: Goals = Field(default_factory=Goals, description="5. Goals (目标): last year's and this year's.")
    strategies: list[Strategy] = Field(default_factory=list, description="6. Strategies (策略), each tied to goals.")
    resources: Resources = Field(
        default_factory=Resources, description="7. Resources (资源分配): team, budget, promotion materials."
    )
    actions: list[Action] = Field(default_factory=list, description="8. Action timeline (行动时间表).")
    long_term_issues: list[LongTermIssue] = Field(
        default_factory=list, description="9. Long-term issues (长远问题小结)."
    )
    work_logs: list[WorkLog] = Field(default_factory=list, description="10. Work logs (工作日志).")
    reviews: list[Review] = Field(default_factory=list, description="11. Reviews (评估).")
    classification: ClassificationInputs = Field(
        default_factory=ClassificationInputs,
        description="Inputs of the four classification schemes and manual overrides.",
    )

    # convenience accessors --------------------------------------------------------
    def all_goals(self) -> list[Goal]:
        return [*self.goals.last_year, *self.goals.this_year]

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.all_goals() if g.id == goal_id), None)
