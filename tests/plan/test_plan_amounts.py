"""Amounts, numbers and digits are read strictly: commas only between thousands, only the
portfolio currency's symbol, no exponents, no full-width digits; settings values worded in
the project's voice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from plan_texts import BASE_PLAN, SETTINGS, brief

LIMIT = "    channel: distributor\n  credit:\n    limit: {}\n"


def _limit(value: str) -> str:
    return BASE_PLAN.replace("    channel: distributor\n", LIMIT.format(value))


@pytest.mark.parametrize(
    "written, amount",
    [
        ("1234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1,234,567", "1234567"),
        ("¥1,234.50", "1234.50"),
        ("￥ 1,234.50", "1234.50"),
        ("1,234.50 CNY", "1234.50"),
        ("CNY 1234", "1234"),
        ("1000元", "1000"),
        ("0.5", "0.5"),
    ],
)
def test_amounts_in_the_portfolio_currency_are_read_exactly(portfolio_dir, written, amount):
    from workbench.plan.load import load_portfolio

    plan = load_portfolio(portfolio_dir(**{"p.yaml": _limit(written)})).plans[0].plan
    assert plan.customer.credit.limit == Decimal(amount)


CURRENCY_HINT = "convert it to CNY and write the number alone (or with `¥`, `￥`)"
COMMA_HINT = "write the decimal point as `.` and group digits by three, or leave the commas out"
DIGITS_HINT = "write the digits 0–9 (half-width); full-width and other scripts' digits are not read as numbers"


@pytest.mark.parametrize(
    "written, message, hint",
    [
        ("12,34", "`12,34` is not a number: a comma may only separate thousands (1,234,567.89)", COMMA_HINT),
        ("1,,000", "`1,,000` is not a number: a comma may only separate thousands (1,234,567.89)", COMMA_HINT),
        ("1,2345.00", "`1,2345.00` is not a number: a comma may only separate thousands (1,234,567.89)", COMMA_HINT),
        ("$1,000", "`$1,000` is written in another currency (`$`); this portfolio's amounts are in CNY", CURRENCY_HINT),
        ("€500", "`€500` is written in another currency (`€`); this portfolio's amounts are in CNY", CURRENCY_HINT),
        (
            "500 USD",
            "`500 USD` is written in another currency (`USD`); this portfolio's amounts are in CNY",
            CURRENCY_HINT,
        ),
        ("1e3", "`1e3` is written in exponent notation", "write the digits out, e.g. 1000 for 1e3"),
        ("１０００", "`１０００` is written with full-width or non-Latin digits", DIGITS_HINT),
        ("١٠٠٠", "`١٠٠٠` is written with full-width or non-Latin digits", DIGITS_HINT),
        ("lots", "`lots` is not a number", "write digits, e.g. 1200000 or 1,200,000.50"),
    ],
)
def test_ambiguous_or_foreign_amounts_are_errors(load_errors, written, message, hint):
    errors = load_errors(_limit(written))
    assert brief(errors) == [("bad-number", "p.yaml:12:12", "customer.credit.limit", message)]
    assert errors[0]["hint"] == hint


def test_the_portfolio_currency_decides_which_symbol_is_allowed(portfolio_dir):
    from workbench.plan.load import load_portfolio

    root = portfolio_dir(**{"p.yaml": _limit("$1,000.50")})
    (root / "kam.yaml").write_text(SETTINGS + "currency: USD\n", encoding="utf-8")
    assert load_portfolio(root).plans[0].plan.customer.credit.limit == Decimal("1000.50")


def test_full_width_digits_are_refused_in_dates_years_and_counts_alike(load_errors):
    text = (
        BASE_PLAN.replace("due: 2026-03-31", "due: ２０２６-03-31")
        .replace("fiscal_year: 2026", "fiscal_year: ２０２６")
        .replace("      role: decision_maker", "      role: decision_maker\n      relationship: ４")
    )
    errors = load_errors(text)
    assert brief(errors) == [
        ("bad-number", "p.yaml:2:14", "fiscal_year", "`２０２６` is written with full-width or non-Latin digits"),
        (
            "bad-number",
            "p.yaml:15:21",
            "customer.contacts[C1].relationship",
            "`４` is written with full-width or non-Latin digits",
        ),
        (
            "bad-date",
            "p.yaml:32:10",
            "actions[A1].due",
            "`２０２６-03-31` is written with full-width or non-Latin digits",
        ),
    ]
    assert {e["hint"] for e in errors} == {DIGITS_HINT}


def test_exponents_from_python_are_normalised():
    from pydantic import TypeAdapter

    from workbench.scalars import Money

    value = TypeAdapter(Money).validate_python(Decimal("1E+3"))
    assert value == 1000 and str(value) == "1000"


def _settings_errors(portfolio_dir, extra: str, base: str = SETTINGS) -> list:
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_settings

    root = portfolio_dir()
    (root / "kam.yaml").write_text(base + extra, encoding="utf-8")
    with pytest.raises(WorkbenchError) as caught:
        load_settings(root)
    return [
        (d.code, d.location.line, d.location.col, d.location.path, d.message, d.hint) for d in caught.value.diagnostics
    ]


def test_settings_errors_are_worded_for_people(portfolio_dir):
    assert _settings_errors(portfolio_dir, "currency: cny\n") == [
        (
            "bad-format",
            4,
            11,
            "currency",
            "`cny` is not an ISO currency code",
            "three capital letters, e.g. CNY, USD, EUR",
        )
    ]
    assert _settings_errors(portfolio_dir, "company: ''\n", base=SETTINGS.split("\n", 1)[1]) == [
        ("empty-text", 3, 10, "company", "`company` is empty", "fill it in — Company name shown on booklets.")
    ]


def test_a_union_value_gives_one_error(portfolio_dir):
    assert _settings_errors(portfolio_dir, "classify:\n  value_threshold: big\n") == [
        (
            "bad-value",
            5,
            20,
            "classify.value_threshold",
            "`big` is neither an amount nor `median`",
            None,
        )
    ]


def test_rates_are_fractions_and_currency_rates_are_plain_numbers(portfolio_dir):
    found = _settings_errors(portfolio_dir, "activity:\n  alert_below: 60%\nledger:\n  currency_rates: {USD: seven}\n")
    assert found == [
        (
            "bad-number",
            5,
            16,
            "activity.alert_below",
            "`60%` is a percentage; rates are written as fractions",
            "write 0.6 for 60%",
        ),
        (
            "bad-number",
            7,
            25,
            "ledger.currency_rates.USD",
            "`seven` is not a number",
            "write digits, e.g. 1200000 or 0.25",
        ),
    ]
