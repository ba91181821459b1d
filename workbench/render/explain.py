"""Classification results explained in the booklet's language, from their recorded inputs.

`ClassResult.explanation` is one English sentence for logs and JSON; a booklet shows the
same reasoning from ``ClassResult.inputs`` (the numbers and thresholds that decided the
class), worded by the message catalogue and formatted by the locale.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.analyze.facts import ClassResult


def _dec(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text not in (None, "", "—") else None
    except InvalidOperation:
        return None


def _cmp(value: Decimal | None, threshold: Decimal | None) -> str:
    return "≥" if value is not None and threshold is not None and value >= threshold else "<"


def explain(result: ClassResult, t: Any, loc: Any) -> str:
    """Why `result.computed` came out as it did, in words of `t` and numbers of `loc`."""
    x = result.inputs
    if result.scheme == "abc":
        revenue = _dec(x.get("revenue"))
        if revenue is None or revenue <= 0:
            return str(t("why.abc_none"))
        return str(
            t(
                "why.abc",
                rank=x.get("rank", "—"),
                above=loc.pct(_dec(x.get("share_above"))),
                a=loc.pct(_dec(x.get("a_cut")), 0),
                b=loc.pct(_dec(x.get("b_cut")), 0),
            )
        )
    if result.scheme == "quadrant":
        revenue, threshold = _dec(x.get("revenue")), _dec(x.get("threshold"))
        size = str(
            t(
                "why.value",
                revenue=loc.money_short(revenue),
                cmp=_cmp(revenue, threshold),
                threshold=loc.money_short(threshold),
            )
        )
        score, score_min = _dec(x.get("loyalty_score")), _dec(x.get("loyalty_score_threshold"))
        if score is not None:
            loyalty = t(
                "why.loyalty_score",
                score=loc.number(score),
                cmp=_cmp(score, score_min),
                threshold=loc.number(score_min),
            )
        else:
            regularity, regularity_min = _dec(x.get("regularity")), _dec(x.get("regularity_threshold"))
            loyalty = t(
                "why.regularity",
                value=loc.pct(regularity, 0),
                cmp=_cmp(regularity, regularity_min),
                threshold=loc.pct(regularity_min, 0),
            )
        return f"{size}{t('why.and')}{loyalty}"
    if result.scheme == "stars":
        values = {
            "abc": x.get("abc", "—"),
            "health": x.get("financial_health", "—"),
            "initiative": x.get("business_initiative", "—"),
            "sound": x.get("sound_finance", "—"),
            "sense": x.get("business_sense", "—"),
            "least": x.get("initiative", "—"),
            "term": x.get("credit_term_days", "—"),
            "standard": x.get("standard_term_days", "—"),
        }
        why = str(t(f"why.stars{result.computed}", **values))
        if result.computed in ("1", "2") and x.get("term_need") == "longer":
            why += str(t("why.stars_longer", **values))
        health, sound = _dec(x.get("financial_health")), _dec(x.get("sound_finance"))
        if result.computed == "1" and health is not None and sound is not None and health < sound:
            why += str(t("why.stars_weak", **values))
        return why
    if result.scheme == "matrix":
        if result.computed == "unscored":
            return str(t("why.matrix_unscored"))
        attractiveness, ability, threshold = (_dec(x.get(k)) for k in ("attractiveness", "ability_to_win", "threshold"))
        return str(
            t(
                "why.matrix",
                attractiveness=loc.number(attractiveness, 2),
                cmp_a=_cmp(attractiveness, threshold),
                ability=loc.number(ability, 2),
                cmp_b=_cmp(ability, threshold),
                threshold=loc.number(threshold, 2),
            )
        )
    return result.explanation
