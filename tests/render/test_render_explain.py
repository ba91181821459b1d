"""Classification reasons in the booklet's language, from the results' recorded inputs."""

from __future__ import annotations

from decimal import Decimal

from workbench.analyze import classify
from workbench.analyze.facts import ParetoPoint
from workbench.messages import Messages
from workbench.render.explain import explain
from workbench.render.locale import Locale


def _both(result):
    return (explain(result, Messages("zh"), Locale("zh", "CNY")), explain(result, Messages("en"), Locale("en", "CNY")))


def test_every_scheme_is_explained_in_both_languages():
    quad = classify.quadrant(Decimal("1824000.00"), Decimal("3202000.00"), None, Decimal("0.75"), 4, Decimal("0.5"))
    assert _both(quad) == (
        "销售额 ¥182.4万 < 门槛 ¥320.2万；进货规律性 75% ≥ 50%",
        "Revenue ¥1.82M < threshold ¥3.20M; purchase regularity 75% ≥ 50%",
    )
    scored = classify.quadrant(Decimal("5000000"), Decimal("3202000"), 3, None, 4, Decimal("0.5"))
    assert _both(scored)[1] == "Revenue ¥5.00M ≥ threshold ¥3.20M; loyalty score 3 < 4"
    assert _both(classify.stars("B", 4, 2, True, term_days=30, standard=45)) == (
        "B 类、财务状况 4 ≥ 4、账期 30 天不超过标准 45 天",
        "Class B, financial health 4 ≥ 4, credit term of 30 days within the standard 45",
    )
    assert _both(classify.stars("A", 4, 3, True, term_days=60, standard=45)) == (
        "经营积极性 3 ≥ 3；账期 60 天长于标准 45 天",
        "Business initiative 3 ≥ 3; credit term of 60 days beyond the standard 45",
    )
    assert _both(classify.stars("A", 5, 4, True))[1] == (
        "Class A, financial health 5 ≥ 4, clean payment record, business initiative 4 ≥ 4"
    )
    assert _both(classify.stars("C", 2, 2, False))[1] == (
        "No higher rating applies: business initiative 2 < 3; financial health 2 < 4"
    )
    mat = classify.matrix(Decimal("4.7"), Decimal("2.5"), Decimal("3"))
    assert _both(mat) == (
        "客户吸引力 4.70 ≥ 3.00，我方竞争力 2.50 < 3.00",
        "Attractiveness 4.70 ≥ 3.00, ability to win 2.50 < 3.00",
    )
    assert (
        _both(classify.matrix(None, Decimal(3), Decimal(3)))[1]
        == "The plan scores no attractiveness or ability-to-win criteria"
    )


def test_abc_reason_names_rank_and_cuts():
    point = ParetoPoint(
        customer="C1",
        name="C1",
        revenue=Decimal("500"),
        share=Decimal("0.25"),
        cumulative_share=Decimal("0.75"),
        rank=2,
        abc="A",
        has_plan=True,
    )
    assert _both(classify.abc_result(point, Decimal("0.8"), Decimal("0.95"))) == (
        "排名第 2；排名在前的客户合计占销售额 50.0%（A 类低于 80%，B 类低于 95%）",
        "Rank 2: customers ranked above hold 50.0% of revenue (A below 80%, B below 95%)",
    )
    zero = point.model_copy(update={"revenue": Decimal(0), "abc": "C"})
    assert (
        _both(classify.abc_result(zero, Decimal("0.8"), Decimal("0.95")))[1]
        == "No positive revenue this period, so class C"
    )
