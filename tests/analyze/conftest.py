"""Builders for small hand-computed ledgers and portfolios (analytics tests).

Fixtures return builder functions, so a test states its data in a few lines:

* ``frame(kind, rows)``: a canonical ledger frame (``workbench.ledger.model.dtypes``) from
  dicts; missing columns get defaults (text "", numbers 0, provenance ``t.xlsx``);
  numbers may be given as str/int/Decimal, dates as ISO text.
* ``make_plan(account_id, **overrides)``: a valid ``Plan`` (fiscal year 2026, English);
  overrides are merged into the plan dict (``customer={"credit": {...}}`` merges deeply).
* ``make_settings(**overrides)``: ``Settings`` (fiscal year 2026, as of 2026-09-30).
* ``make_portfolio(plans, settings=None)``: a ``Portfolio`` of those plans.
* ``make_ledger(sales=[], payments=[], inventory=[], prices=[], customers=[])``: a
  ``Ledger``; ``customers_from_workbook`` is True when customers rows are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

DEFAULTS = {"date": "2026-01-15", "str": "", "int": 0}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def build_frame(kind: str, rows: list[dict[str, Any]]) -> Any:
    import polars as pl

    from workbench.ledger.model import COLUMNS, PROVENANCE_COLUMNS, dtypes

    schema = dtypes(kind)
    spec = {**COLUMNS[kind], **PROVENANCE_COLUMNS}
    data: dict[str, list[Any]] = {name: [] for name in schema}
    for i, row in enumerate(rows):
        for name, typ in spec.items():
            nullable = typ.endswith("?")
            base = typ.rstrip("?")
            if name == "src_file":
                value = row.get(name, "t.xlsx")
            elif name == "src_sheet":
                value = row.get(name, kind)
            elif name == "src_row":
                value = row.get(name, i + 2)
            elif name in row:
                value = row[name]
            elif nullable:
                value = None
            elif base == "date":
                value = DEFAULTS["date"]
            elif base in ("qty", "price", "money"):
                value = 0
            else:
                value = DEFAULTS.get(base, "")
            if value is not None and base == "date" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            if value is not None and base in ("qty", "price", "money"):
                value = Decimal(str(value))
            data[name].append(value)
    return pl.DataFrame(data, schema=schema)


@pytest.fixture
def frame() -> Callable[..., Any]:
    return build_frame


def base_plan(account_id: str) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "fiscal_year": 2026,
        "language": "en",
        "owner": "ann",
        "customer": {
            "static": {
                "legal_name": f"{account_id} Ltd",
                "short_name": account_id,
                "region": "north",
                "channel": "distributor",
            },
        },
    }


@pytest.fixture
def make_plan() -> Callable[..., Any]:
    from workbench.plan.model import Plan

    def make(account_id: str = "C1", **overrides: Any) -> Plan:
        return Plan.model_validate(_merge(base_plan(account_id), overrides))

    return make


@pytest.fixture
def make_settings() -> Callable[..., Any]:
    from workbench.settings import Settings

    def make(**overrides: Any) -> Settings:
        return Settings.model_validate(
            _merge({"company": "Test Co", "fiscal_year": 2026, "as_of": "2026-09-30", "language": "en"}, overrides)
        )

    return make


@pytest.fixture
def make_portfolio(make_settings: Callable[..., Any]) -> Callable[..., Any]:
    from workbench.portfolio import LoadedPlan, Portfolio

    def make(plans: list[Any], settings: Any = None) -> Portfolio:
        s = settings or make_settings()
        loaded = tuple(LoadedPlan(p, Path(f"plans/{p.account_id}.yaml")) for p in plans)
        return Portfolio(Path("plans"), s, Path("plans/kam.yaml"), loaded)

    return make


@pytest.fixture
def make_ledger() -> Callable[..., Any]:
    from workbench.ledger.model import Ledger

    def make(sales=(), payments=(), inventory=(), prices=(), customers=()) -> Ledger:  # type: ignore[no-untyped-def]
        return Ledger(
            sales=build_frame("sales", list(sales)),
            payments=build_frame("payments", list(payments)),
            inventory=build_frame("inventory", list(inventory)),
            prices=build_frame("prices", list(prices)),
            customers=build_frame("customers", list(customers)),
            customers_from_workbook=bool(customers),
        )

    return make
