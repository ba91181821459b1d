"""The four classification schemes (DOMAIN.md "Classification"), each explainable.

* **ABC / Pareto** over all customers of the ledger by classification revenue (fiscal year
  to date): ranked descending, ties by customer id; A while the share of the customers
  ranked above is below ``a_cut`` (the customer crossing 80 % is still A), B below
  ``b_cut``, else C; zero or negative revenue is always C. Shares are of the total of the
  positive revenues (so the curve ends at 100 %).
* **Value × loyalty**: big = revenue ≥ threshold (default the median over the accounts
  with plans); loyal = loyalty score ≥ ``loyalty_score_threshold``, or without a score
  purchase regularity ≥ ``loyalty_threshold``.
* **Stars** from sales size (the effective ABC class), financial health and payment
  record, credit-term needs and business initiative (first rule that holds; cut-offs are
  ``classify.stars`` settings, defaults in brackets; a missing score counts as
  ``missing_score`` [3]):
  4 = class A, financial health ≥ ``sound_finance`` [4], clean payment record (no invoice
  paid late or open past due in 12 months), business initiative ≥ ``business_sense`` [4];
  3 = class A or B, financial health ≥ ``sound_finance``, and a credit term no longer than
  the portfolio's standard term (``standard_term_days``, default the median of the terms
  granted to the planned accounts): "some credit term";
  2 = business initiative ≥ ``initiative`` [3] (average funds, needs longer terms, shows
  initiative);
  1 = otherwise (weak funds, long terms, little initiative).
  The credit-term need is "none" (cash, term 0), "some" (up to the standard term) or
  "longer" (beyond it).
* **Screening matrix**: weighted mean score (weights normalised) of attractiveness and of
  ability to win; an axis is high when ≥ ``matrix_threshold``; no criteria → "unscored".
* **Potential key account**: YoY growth ≥ ``potential_growth`` and ABC class ≠ A.

A manual class in the plan overrides the computed one (``ClassResult.manual``/``reason``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import TYPE_CHECKING, Literal

from workbench.analyze.facts import ClassResult, FrozenMap, ParetoPoint, Scheme
from workbench.analyze.sales import RATE, ratio

if TYPE_CHECKING:
    from workbench.settings import StarSettings

STAR_CONTROLS: dict[str, tuple[str, ...]] = {
    "4": ("promotion_support", "business_guidance", "year_end_rebate"),
    "3": ("limited_credit_term", "business_guidance", "promotion_support"),
    "2": ("credit_management", "business_guidance"),
    "1": ("strict_credit", "replace_when_better"),
}


def _text(value: object) -> str:
    return "—" if value is None else str(value)


# ------------------------------------------------------------------------------ ABC


def rank_abc(
    revenue: Mapping[str, Decimal],
    names: Mapping[str, str],
    planned: set[str] | frozenset[str],
    a_cut: Decimal,
    b_cut: Decimal,
) -> tuple[ParetoPoint, ...]:
    """The Pareto ranking of every customer of `revenue`, with its ABC class."""
    ranked = sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum((r for _c, r in ranked if r > 0), Decimal(0))
    above = Decimal(0)
    points = []
    for rank, (customer, rev) in enumerate(ranked, start=1):
        share_above = above / total if total > 0 else None
        if rev <= 0 or share_above is None:
            abc = "C"
        elif share_above < a_cut:
            abc = "A"
        elif share_above < b_cut:
            abc = "B"
        else:
            abc = "C"
        if rev > 0:
            above += rev
        points.append(
            ParetoPoint(
                rank=rank,
                customer=customer,
                name=names.get(customer, customer),
                revenue=rev,
                share=ratio(rev, total) if total > 0 else None,
                cumulative_share=ratio(above, total) if total > 0 else None,
                abc=abc,
                has_plan=customer in planned,
            )
        )
    return tuple(points)


def abc_result(point: ParetoPoint, a_cut: Decimal, b_cut: Decimal) -> ClassResult:
    share_above = (point.cumulative_share or Decimal(0)) - (point.share or Decimal(0)) if point.revenue > 0 else None
    if point.revenue <= 0:
        why = f"revenue {point.revenue} is not positive, so class C"
    else:
        why = (
            f"rank {point.rank}: customers ranked above hold {_pct(share_above)} of revenue "
            f"(A below {_pct(a_cut)}, B below {_pct(b_cut)})"
        )
    return ClassResult(
        scheme="abc",
        computed=point.abc,
        manual=None,
        reason=None,
        explanation=why,
        inputs=FrozenMap(
            {
                "revenue": str(point.revenue),
                "rank": str(point.rank),
                "share_above": _text(share_above),
                "cumulative_share": _text(point.cumulative_share),
                "a_cut": str(a_cut),
                "b_cut": str(b_cut),
            }
        ),
    )


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


# -------------------------------------------------------------------------- quadrant


def value_threshold(planned_revenue: Sequence[Decimal], setting: Decimal | str) -> Decimal:
    """The value × loyalty threshold: the setting, or the median of the planned accounts'
    classification revenue ("median"; 0 when there are no plans)."""
    if setting != "median":
        return Decimal(setting)
    if not planned_revenue:
        return Decimal(0)
    return Decimal(median(planned_revenue)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quadrant(
    revenue: Decimal,
    threshold: Decimal,
    loyalty: int | None,
    regularity: Decimal | None,
    score_threshold: int,
    regularity_threshold: Decimal,
) -> ClassResult:
    big = revenue >= threshold
    if loyalty is not None:
        loyal = loyalty >= score_threshold
        basis = f"loyalty score {loyalty} {'≥' if loyal else '<'} {score_threshold}"
    else:
        loyal = regularity is not None and regularity >= regularity_threshold
        basis = f"purchase regularity {_pct(regularity)} {'≥' if loyal else '<'} {_pct(regularity_threshold)}"
    computed = {
        (True, True): "protect",
        (True, False): "dangerous",
        (False, True): "rising_star",
        (False, False): "phase_out",
    }[(big, loyal)]
    return ClassResult(
        scheme="quadrant",
        computed=computed,
        manual=None,
        reason=None,
        explanation=f"revenue {revenue} {'≥' if big else '<'} threshold {threshold} ({'big' if big else 'small'}); {basis} ({'loyal' if loyal else 'disloyal'})",
        inputs=FrozenMap(
            {
                "revenue": str(revenue),
                "threshold": str(threshold),
                "loyalty_score": _text(loyalty),
                "regularity": _text(regularity),
                "loyalty_score_threshold": str(score_threshold),
                "regularity_threshold": str(regularity_threshold),
            }
        ),
    )


# ----------------------------------------------------------------------------- stars


TermNeed = Literal["none", "some", "longer"]


def standard_term(planned_terms: Sequence[int], setting: int | str) -> int:
    """The portfolio's standard credit term in days: the setting, or ("median") the median
    of the terms granted to the planned accounts (cash accounts, term 0, are left out: they
    have no term to compare), rounded half up to a whole day; 0 when no account has credit."""
    if setting != "median":
        return int(setting)
    granted = [t for t in planned_terms if t > 0]
    if not granted:
        return 0
    return int(Decimal(median(granted)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def term_need(term_days: int, standard: int) -> TermNeed:
    """Credit-term need: none (cash), some (up to the standard term), longer (beyond it)."""
    if term_days <= 0:
        return "none"
    return "some" if term_days <= standard else "longer"


def stars(
    abc: str,
    financial_health: int | None,
    business_initiative: int | None,
    clean_record: bool,
    term_days: int = 0,
    standard: int = 0,
    cuts: StarSettings | None = None,
) -> ClassResult:
    """Star rating from the effective ABC class (sales size), financial health and payment
    record, credit-term need and business initiative (see the module docstring). Without
    a term (0: cash) there is no credit-term need; `cuts` default to ``StarSettings()``."""
    if cuts is None:
        from workbench.settings import StarSettings

        cuts = StarSettings()
    fh = financial_health if financial_health is not None else cuts.missing_score
    bi = business_initiative if business_initiative is not None else cuts.missing_score
    need = term_need(term_days, standard)
    sound = fh >= cuts.sound_finance
    if abc == "A" and sound and clean_record and bi >= cuts.business_sense:
        computed = "4"
        why = (
            f"class A, financial health {fh} ≥ {cuts.sound_finance}, clean payment record, "
            f"business initiative {bi} ≥ {cuts.business_sense}"
        )
    elif abc in ("A", "B") and sound and need != "longer":
        computed = "3"
        why = (
            f"class {abc}, financial health {fh} ≥ {cuts.sound_finance}, "
            f"credit term {term_days} days ≤ the standard {standard} days"
        )
    elif bi >= cuts.initiative:
        computed = "2"
        why = f"business initiative {bi} ≥ {cuts.initiative}" + (
            f"; credit term {term_days} days > the standard {standard} days" if need == "longer" else ""
        )
    else:
        computed = "1"
        why = f"no higher rule holds: business initiative {bi} < {cuts.initiative}" + (
            f", financial health {fh} < {cuts.sound_finance}" if not sound else ""
        )
    return ClassResult(
        scheme="stars",
        computed=computed,
        manual=None,
        reason=None,
        explanation=why,
        inputs=FrozenMap(
            {
                "abc": abc,
                "financial_health": _text(financial_health),
                "business_initiative": _text(business_initiative),
                "clean_payment_record": "yes" if clean_record else "no",
                "credit_term_days": str(term_days),
                "standard_term_days": str(standard),
                "term_need": need,
                "sound_finance": str(cuts.sound_finance),
                "business_sense": str(cuts.business_sense),
                "initiative": str(cuts.initiative),
                "missing_score_counts_as": str(cuts.missing_score),
            }
        ),
    )


# ---------------------------------------------------------------------------- matrix


def weighted_score(criteria: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    """Weighted mean of ``(weight, score)`` pairs, weights normalised; None when empty."""
    total = sum((w for w, _s in criteria), Decimal(0))
    if not criteria or total <= 0:
        return None
    return (sum((w * s for w, s in criteria), Decimal(0)) / total).quantize(RATE, rounding=ROUND_HALF_UP)


def matrix(attractiveness: Decimal | None, ability: Decimal | None, threshold: Decimal) -> ClassResult:
    if attractiveness is None or ability is None:
        computed = "unscored"
        why = "attractiveness or ability to win has no criteria in the plan"
    else:
        high_a, high_b = attractiveness >= threshold, ability >= threshold
        computed = {
            (True, True): "core",
            (True, False): "core_potential",
            (False, True): "maintain",
            (False, False): "general",
        }[(high_a, high_b)]
        why = (
            f"attractiveness {attractiveness} {'≥' if high_a else '<'} {threshold}, "
            f"ability to win {ability} {'≥' if high_b else '<'} {threshold}"
        )
    return ClassResult(
        scheme="matrix",
        computed=computed,
        manual=None,
        reason=None,
        explanation=why,
        inputs=FrozenMap(
            {
                "attractiveness": _text(attractiveness),
                "ability_to_win": _text(ability),
                "threshold": str(threshold),
            }
        ),
    )


# ----------------------------------------------------------------------- the rest


def potential_key(growth: Decimal | None, abc: str, min_growth: Decimal) -> tuple[bool, str | None]:
    """A potential key account grows ≥ `min_growth` year on year and is not class A."""
    if growth is not None and growth >= min_growth and abc != "A":
        return True, f"YoY growth {_pct(growth)} ≥ {_pct(min_growth)} and class {abc}"
    return False, None


def override(result: ClassResult, manual: Mapping[str, tuple[str, str]]) -> ClassResult:
    """`result` with the plan's manual class for its scheme, if any (``{scheme: (value, reason)}``)."""
    if result.scheme not in manual:
        return result
    value, reason = manual[result.scheme]
    return result.model_copy(update={"manual": value, "reason": reason})


def changed(current: Mapping[Scheme, ClassResult], last_year: Mapping[str, str]) -> tuple[str, ...]:
    """Schemes whose effective class differs from last year's recorded class."""
    return tuple(s for s, r in current.items() if s in last_year and last_year[s] != r.value)
