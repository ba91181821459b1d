"""Goal progress, straight-line projection and last year's achieved figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workbench.analyze import goals, sales
from workbench.analyze.compute import compute_facts
from workbench.plan.model import Goal

D = Decimal
FY = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def goal(metric: str, target: str | None, **kw) -> Goal:
    return Goal.model_validate({"id": "G1", "title": "t", "metric": metric, "target": target, **kw})


def test_revenue_goal_projects_in_a_straight_line_to_the_period_end():
    # 300 by 31 March = 90 of 365 days → 300 × 365 / 90 = 1216.67; target 1200
    m = goals.Measures(rev=300 * 10**8)
    p = goals.goal_progress(goal("revenue", "1200"), *FY, dt.date(2026, 3, 31), m)
    assert p.actual == D("300.00") and p.percent == D("0.250000")
    assert p.projection == D("1216.67") and p.projected_percent == D(
        "1.013892"
    )  # 1216.67 / 1200 and p.on_track is True


def test_margin_rate_goal_projects_as_it_stands():
    m = goals.Measures(rev=200 * 10**8, cost=150 * 10**8)
    p = goals.goal_progress(goal("margin_rate", "0.3"), *FY, dt.date(2026, 6, 30), m)
    assert p.actual == D("0.250000") and p.projection == D("0.250000") and p.on_track is False


def test_activity_goal_counts_months_and_projection_is_capped_at_the_months_of_the_period():
    m = goals.Measures(months=2)
    p = goals.goal_progress(goal("activity", "12"), *FY, dt.date(2026, 1, 31), m)  # 2 × 365 / 31 = 23.5 → 12
    assert p.actual == D(2) and p.projection == D(12)


def test_goal_before_its_period_starts_has_no_actual_and_no_projection():
    p = goals.goal_progress(
        goal("revenue", "100", period={"start": "2026-10-01", "end": "2026-12-31"}),
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
        dt.date(2026, 9, 30),
        None,
    )
    assert p.actual is None and p.projection is None and p.on_track is None


def test_goal_after_its_period_ended_projects_the_actual():
    p = goals.goal_progress(
        goal("revenue", "100"),
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 9, 30),
        goals.Measures(rev=120 * 10**8),
    )
    assert p.projection == D("120.00") and p.on_track is True


def test_zero_target_has_no_percent():
    p = goals.goal_progress(goal("revenue", "0"), *FY, dt.date(2026, 3, 31), goals.Measures(rev=10**8))
    assert p.percent is None and p.on_track is True


def test_last_year_achieved_agrees_within_tolerance():
    led = goals.Measures(rev=1000 * 10**8)
    assert goals.last_year_goal(goal("revenue", "900", achieved="1005"), led, D("0.01")).agrees is True
    bad = goals.last_year_goal(goal("revenue", "900", achieved="1011"), led, D("0.01"))
    assert bad.agrees is False and bad.ledger == D("1000.00") and bad.reported == D("1011")
    assert goals.last_year_goal(goal("revenue", "1", achieved="0"), goals.Measures(), D("0.01")).agrees is True
    assert goals.last_year_goal(goal("revenue", "1"), led, D("0.01")).agrees is None
    assert goals.last_year_goal(goal("text", None, achieved="1"), led, D("0.01")).ledger is None


def _values(frame):
    return sales.line_values(frame)


def test_windows_are_measured_in_one_pass_whole_months_and_day_windows_agree(frame):
    rows = [
        {
            "date": "2026-02-14",
            "invoice": "I1",
            "customer": "C1",
            "product_line": "P1",
            "quantity": "1",
            "unit_price": "10",
            "unit_cost": "4",
        },
        {
            "date": "2026-02-15",
            "invoice": "I2",
            "customer": "C1",
            "product_line": "P2",
            "quantity": "1",
            "unit_price": "20",
            "unit_cost": "5",
        },
        {
            "date": "2026-03-15",
            "invoice": "I3",
            "customer": "C1",
            "product_line": "P2",
            "quantity": "-2",
            "unit_price": "20",
            "unit_cost": "5",
        },
        {
            "date": "2026-03-16",
            "invoice": "I4",
            "customer": "C1",
            "product_line": "P3",
            "quantity": "1",
            "unit_price": "7",
            "unit_cost": "1",
        },
        {
            "date": "2026-02-20",
            "invoice": "I5",
            "customer": "C2",
            "product_line": "P1",
            "quantity": "1",
            "unit_price": "1000",
        },
    ]
    payments = frame(
        "payments",
        [
            {"date": "2026-02-15", "customer": "C1", "amount": "12.50"},
            {"date": "2026-03-31", "customer": "C1", "invoice": "I1", "amount": "5"},
            {"date": "2026-02-15", "customer": "C2", "amount": "99"},
        ],
    )
    as_of = dt.date(2026, 9, 30)
    day = ("C1", dt.date(2026, 2, 15), dt.date(2026, 3, 15))  # not month-aligned: on the lines
    whole = ("C1", dt.date(2026, 2, 1), dt.date(2026, 3, 31))  # month-aligned: on the monthly table
    got = goals.measure_windows(_values(frame("sales", rows)), payments, [day, whole], as_of)
    # day window: 20 − 40 = −20 revenue, P2 net negative → no line bought, months Feb+Mar, paid 12.50
    assert got[day].value("revenue") == D("-20.00") and got[day].value("product_lines") == 0
    assert got[day].value("activity") == 2 and got[day].value("collection") == D("12.50")
    # whole window: 10 + 20 − 40 + 7 = −3; margin −3 − (4 + 5 − 10 + 1) = −3; lines P1, P3; paid 17.50
    assert got[whole].value("revenue") == D("-3.00") and got[whole].value("gross_margin") == D("-3.00")
    assert got[whole].lines_bought == frozenset({"P1", "P3"}) and got[whole].value("collection") == D("17.50")
    # the same whole window measured on the lines gives the same figures
    again = goals.measure_windows(_values(frame("sales", rows)), payments, [whole], dt.date(2026, 3, 30))
    assert again[whole] == got[whole]


def test_goal_progress_in_the_facts_uses_the_plan_fiscal_year_and_custom_periods(
    make_plan, make_portfolio, make_settings, make_ledger
):
    plan = make_plan(
        "C1",
        goals={
            "this_year": [
                {"id": "G1", "title": "rev", "metric": "revenue", "target": "1000"},
                {
                    "id": "G2",
                    "title": "q1 lines",
                    "metric": "product_lines",
                    "target": "2",
                    "period": {"start": "2026-01-01", "end": "2026-03-31"},
                },
                {"id": "G3", "title": "text", "metric": "text"},
                {"id": "G4", "title": "cash", "metric": "collection", "target": "100"},
            ],
            "last_year": [{"id": "L1", "title": "rev", "metric": "revenue", "target": "100", "achieved": "50"}],
        },
    )
    ledger = make_ledger(
        sales=[
            {
                "date": "2026-02-01",
                "invoice": "I1",
                "customer": "C1",
                "product_line": "P1",
                "quantity": "3",
                "unit_price": "100",
            },
            {
                "date": "2026-05-01",
                "invoice": "I2",
                "customer": "C1",
                "product_line": "P2",
                "quantity": "1",
                "unit_price": "73",
            },
            {
                "date": "2025-06-01",
                "invoice": "I0",
                "customer": "C1",
                "product_line": "P1",
                "quantity": "1",
                "unit_price": "50",
            },
        ],
        payments=[{"date": "2026-03-01", "customer": "C1", "invoice": "I1", "amount": "300"}],
    )
    a = compute_facts(make_portfolio([plan], make_settings(as_of="2026-06-30")), ledger).account("C1")
    g = {x.goal_id: x for x in a.goals}
    assert set(g) == {"G1", "G2", "G4"}  # the text goal has no ledger metric
    assert g["G1"].actual == D("373.00") and g["G1"].end == dt.date(2026, 12, 31)
    assert g["G1"].projection == D("752.18")  # 373 × 365 / 181 = 752.18
    assert g["G2"].actual == D(1) and g["G2"].projection == D(1)  # only P1 in Q1
    assert g["G4"].actual == D("300.00")
    (ly,) = a.last_year_goals
    assert ly.ledger == D("50.00") and ly.agrees is True
