"""Every data-quality rule under its policies; the cache; the sample ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_books import SALES_HEADERS, sales_row, settings, write_xlsx

from workbench.errors import WorkbenchError
from workbench.ledger.ingest import read_workbooks

STATUS = [*SALES_HEADERS, "状态"]
PAY = ["日期", "客户编号", "单号", "金额"]


def _book(tmp_path: Path) -> Path:
    rows = [
        STATUS,
        sales_row() + [""],  # row 2: clean
        sales_row(单号="INV2") + ["作废"],  # row 3: cancelled
        sales_row(单号="INV3", 商品编码="运费", 类别=None, 数量=1, 单价=80, 成本=0, 金额=80) + [""],  # row 4
        sales_row(单号="INV4", 客户编号=None) + [""],  # row 5: no customer
        sales_row(单号="INV5") + [""],
        sales_row(单号="INV5") + [""],  # rows 6-7: duplicate
        sales_row(单号="INV6", 数量=-2, 金额=-85) + [""],  # row 8: return
        sales_row(单号="INV7", 单价=0, 金额=0) + [""],  # row 9: zero price
        sales_row(单号="INV8", 金额=1020.5) + [""],
    ]  # row 10: amount mismatch
    pays = [
        PAY,
        [dt.date(2026, 4, 1), "00231", "INV1", 500],
        [dt.date(2026, 4, 2), "00231", "NOPE", 70],
        [dt.date(2026, 4, 3), "00231", None, 30],
    ]
    return write_xlsx(tmp_path / "t.xlsx", {"销售": rows, "收款": pays})


def _keep_all() -> dict[str, str]:
    names = [
        "returns",
        "cancelled",
        "missing_customer",
        "duplicates",
        "zero_price",
        "non_product",
        "amount_mismatch",
        "no_invoice_payment",
        "unknown_invoice_payment",
    ]
    return dict.fromkeys(names, "keep") | {"foreign_currency": "exclude"}  # never keep: summed as CNY


def test_every_rule_counts_its_rows_when_kept(tmp_path):
    ledger = read_workbooks([_book(tmp_path)], settings(policies=_keep_all()))
    counts = {r.rule: r.rows for r in ledger.rules}
    assert counts == {
        "cancelled": 1,
        "non_product": 1,
        "missing_customer": 1,
        "duplicates": 1,
        "returns": 1,
        "zero_price": 1,
        "amount_mismatch": 1,
        "no_invoice_payment": 1,
        "unknown_invoice_payment": 1,
        "foreign_currency": 0,
    }
    assert ledger.sales.height == 9


def test_missing_customer_is_an_error_by_default(tmp_path):
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([_book(tmp_path)], settings(policies=_keep_all() | {"missing_customer": "error"}))
    assert [(d.code, d.location.short()) for d in exc.value.diagnostics] == [
        ("ledger-missing-customer", "t.xlsx › 销售 › row 5")
    ]


def test_rules_count_and_exclude(tmp_path):
    rows = [
        STATUS,
        sales_row() + [""],
        sales_row(单号="INV2") + ["作废"],
        sales_row(单号="INV3", 商品编码="运费", 类别=None, 数量=1, 单价=80, 成本=0, 金额=80) + [""],
        sales_row(单号="INV5") + [""],
        sales_row(单号="INV5") + [""],
        sales_row(单号="INV6", 数量=-2, 金额=-85) + [""],
        sales_row(单号="INV7", 单价=0, 金额=0) + [""],
        sales_row(单号="INV8", 金额=1020.5) + [""],
    ]
    pays = [
        PAY,
        [dt.date(2026, 4, 1), "00231", "INV1", 500],
        [dt.date(2026, 4, 2), "00231", "NOPE", 70],
        [dt.date(2026, 4, 3), "00231", None, 30],
    ]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows, "收款": pays})
    policies = _keep_all() | {
        "cancelled": "exclude",
        "non_product": "exclude",
        "duplicates": "exclude",
        "amount_mismatch": "keep",
    }
    ledger = read_workbooks([book], settings(policies=policies))
    counts = {r.rule: (r.rows, r.policy, r.amount) for r in ledger.rules}
    assert counts["cancelled"] == (1, "exclude", "1020.00")
    assert counts["non_product"] == (1, "exclude", "80.00")
    assert counts["duplicates"] == (1, "exclude", "1020.00")
    assert counts["returns"] == (1, "keep", "-85.00")
    assert counts["zero_price"] == (1, "keep", "0.00")
    assert counts["amount_mismatch"] == (1, "keep", "1020.00")
    assert counts["no_invoice_payment"] == (1, "keep", "30.00")
    assert counts["unknown_invoice_payment"] == (1, "keep", "70.00")
    assert ledger.sales.get_column("invoice").to_list() == ["INV1", "INV5", "INV6", "INV7", "INV8"]
    assert ledger.payments.height == 3


def test_error_policy_names_the_rows(tmp_path):
    rows = [STATUS, sales_row() + [""], sales_row(单号="INV8", 金额=1020.5) + [""], sales_row() + [""]]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())  # defaults: duplicates and amount_mismatch are errors
    found = [(d.code, d.location.short()) for d in exc.value.diagnostics]
    assert found == [
        ("ledger-amount-mismatch", "t.xlsx › 销售 › row 3"),
        ("ledger-duplicates", "t.xlsx › 销售 › row 4"),
    ]
    assert exc.value.diagnostics[0].hint.endswith("(policy `ledger.policies.amount_mismatch: error`)")


def test_foreign_currency_is_converted_by_rate_or_refused(tmp_path):
    headers = [*SALES_HEADERS, "币种"]
    rows = [headers, sales_row() + ["CNY"], sales_row(单号="INV2", 单价=10, 金额=240, 成本=5) + ["usd"]]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    assert [(d.code, d.location.short()) for d in exc.value.diagnostics] == [
        ("ledger-foreign-currency", "t.xlsx › 销售 › row 3")
    ]
    ledger = read_workbooks([book], settings(currency_rates={"USD": "7.10"}))
    assert ledger.sales.get_column("unit_price").to_list() == [Decimal("42.5000"), Decimal("71.0000")]
    assert ledger.sales.get_column("amount").to_list() == [Decimal("1020.00"), Decimal("1704.00")]
    assert ledger.notes == ("1 sales lines converted from USD at 7.10 CNY",)


def test_conversion_does_not_make_a_consistent_line_disagree(tmp_path):
    # 10,000 × 0.3333 USD = 3,333.00 USD; at 7.1234 the price rounds to 2.3742 CNY, and
    # 10,000 × 2.3742 = 23,742.00 ≠ 3,333 × 7.1234 = 23,742.29: checked before converting
    rows = [[*SALES_HEADERS, "币种"], sales_row(单号="I2", 数量=10000, 单价=0.3333, 成本=0.1, 金额=3333) + ["USD"]]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    ledger = read_workbooks([book], settings(currency_rates={"USD": "7.1234"}))
    assert ledger.sales.get_column("amount").to_list() == [Decimal("23742.29")]
    assert {r.rule: r.rows for r in ledger.rules}["amount_mismatch"] == 0


def test_foreign_amounts_are_never_kept_unconverted():
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as exc:
        settings(policies={"foreign_currency": "keep"})
    assert "would sum amounts in another currency" in str(exc.value)


def test_error_policies_name_each_rule_s_rows(tmp_path):
    policies = dict.fromkeys(_keep_all(), "error")
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([_book(tmp_path)], settings(policies=policies | {"returns": "error"}))
    found = [(d.code, d.location.short()) for d in exc.value.diagnostics]
    assert found == [
        ("ledger-unknown-invoice-payment", "t.xlsx › 收款 › row 3"),
        ("ledger-no-invoice-payment", "t.xlsx › 收款 › row 4"),
        ("ledger-cancelled", "t.xlsx › 销售 › row 3"),
        ("ledger-non-product", "t.xlsx › 销售 › row 4"),
        ("ledger-missing-customer", "t.xlsx › 销售 › row 5"),
        ("ledger-duplicates", "t.xlsx › 销售 › row 7"),
        ("ledger-returns", "t.xlsx › 销售 › row 8"),
        ("ledger-zero-price", "t.xlsx › 销售 › row 9"),
        ("ledger-amount-mismatch", "t.xlsx › 销售 › row 10"),
    ]


def test_foreign_currency_rows_are_named_under_the_error_policy(tmp_path):
    pays = [[*PAY, "币种"], [dt.date(2026, 4, 1), "00231", "INV1", 500, "EUR"]]
    rows = [[*SALES_HEADERS, "币种"], sales_row() + ["CNY"], sales_row(单号="INV2") + ["USD"]]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows, "收款": pays})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    assert [(d.code, d.location.short()) for d in exc.value.diagnostics] == [
        ("ledger-foreign-currency", "t.xlsx › 收款 › row 2"),
        ("ledger-foreign-currency", "t.xlsx › 销售 › row 3"),
    ]


def test_rule_errors_are_held_to_fifty_with_a_count_of_the_rest(tmp_path):
    rows = [STATUS] + [sales_row(单号=f"I{i}") + ["作废"] for i in range(40)]
    rows += [sales_row(单号=f"Z{i}", 单价=0, 金额=0) + [""] for i in range(30)]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings(policies={"cancelled": "error", "zero_price": "error"}))
    diags = exc.value.diagnostics
    assert len(diags) == 51
    assert diags[-1].message == "… and 20 more rows not shown (20 zero_price)"


def test_cache_hits_and_a_changed_file_invalidates_only_itself(tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", {"sales": [SALES_HEADERS, sales_row()]})
    b = write_xlsx(tmp_path / "b.xlsx", {"sales": [SALES_HEADERS, sales_row(单号="B1")]})
    cache = tmp_path / ".kam-cache"
    first = read_workbooks([a, b], settings(), cache_dir=cache)
    assert [s.cached for s in first.sources] == [False, False]
    second = read_workbooks([a, b], settings(), cache_dir=cache)
    assert [s.cached for s in second.sources] == [True, True]
    assert second.sales.equals(first.sales)
    write_xlsx(b, {"sales": [SALES_HEADERS, sales_row(单号="B2")]})
    third = read_workbooks([a, b], settings(), cache_dir=cache)
    assert [s.cached for s in third.sources] == [True, False]
    assert third.sales.get_column("invoice").to_list() == ["INV1", "B2"]
    changed = read_workbooks([a], settings(column_map={"sales": {"region": "送货区域"}}), cache_dir=cache)
    assert [s.cached for s in changed.sources] == [False]


def test_a_damaged_cache_entry_is_read_again_not_trusted(tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", {"sales": [SALES_HEADERS, sales_row()]})
    cache = tmp_path / ".kam-cache"
    first = read_workbooks([a], settings(), cache_dir=cache)
    for arrow in (cache / "ledger").glob("*/sales.arrow"):
        arrow.write_bytes(arrow.read_bytes()[: len(arrow.read_bytes()) // 2])  # a disk that filled up
    again = read_workbooks([a], settings(), cache_dir=cache)
    assert [s.cached for s in again.sources] == [False]
    assert again.sales.equals(first.sales)


def test_sample_ledger_is_deterministic_and_matches_the_plans(tmp_path, sample_portfolio, sample_ledger, repo_root):
    from workbench.ledger.sample import generate_sample_ledger

    written = generate_sample_ledger(sample_portfolio, tmp_path / "ledger")
    for path in written:
        assert path.read_bytes() == (repo_root / "plans" / "ledger" / path.name).read_bytes(), (
            f"{path.name} differs from the committed sample: run `kam ledger sample` and commit"
        )
    customers = set(sample_ledger.customers.get_column("customer").to_list())
    in_sales = set(sample_ledger.sales.get_column("customer").unique().to_list())
    for lp in sample_portfolio.plans:
        assert lp.plan.account_id in customers and lp.plan.account_id in in_sales
