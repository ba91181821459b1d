"""Every field a plan fills in shows in its booklet: walking the plan model keeps the
templates from silently dropping a field the model gains (fax, bank account, a work
log's contacts…)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel

# Fields shown in another form than their own text, with why.
SHOWN_OTHERWISE = {
    "version",  # the plan format version: on the cover as a number
    "language",  # the booklet's language itself
    "unit",  # implied by the formatting of the value (¥, %, a count)
    "contacts",  # a work log's contact ids: shown as the contacts' names
    "id",  # an item's stable id: shown where items refer to one another (goals, strategies, actions, logs)
    "scheme",  # a manual override's scheme: the row it sits in
    "value",  # a manual override's class: shown translated
}


def _leaves(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(obj, BaseModel):
        out = []
        for name in type(obj).model_fields:
            out += _leaves(getattr(obj, name), f"{path}.{name}" if path else name)
        return out
    if isinstance(obj, list | tuple):
        return [leaf for i, item in enumerate(obj) for leaf in _leaves(item, f"{path}[{i}]")]
    if isinstance(obj, dict):
        return [leaf for k, v in obj.items() for leaf in _leaves(v, f"{path}.{k}")]
    return [(path, obj)]


def _field(path: str) -> str:
    return path.rsplit(".", 1)[-1].split("[")[0]


def _shown(value: Any, loc: Any) -> list[str]:
    """The ways a booklet may write `value`."""
    if isinstance(value, bool | Enum):
        return []
    if isinstance(value, str):
        return [html.escape(value, quote=True).replace("&#x27;", "&#39;")]
    if isinstance(value, dt.date):
        return [loc.date(value)]
    if isinstance(value, int):
        return [loc.number(value), str(value)]
    if isinstance(value, Decimal):
        return [loc.money(value), loc.money(value, 0), loc.number(value, 2), loc.pct(value), loc.number(value)]
    return []


@pytest.mark.parametrize("account", ["00231", "01012"])
def test_every_populated_plan_field_is_in_the_booklet(account, sample_portfolio, sample_facts, sample_findings):
    from workbench.render.booklet import account_booklet_page
    from workbench.render.locale import Locale

    plan = sample_portfolio.plan(account).plan
    loc = Locale(plan.language.value, sample_facts.currency)
    page = account_booklet_page(sample_facts, account, sample_portfolio, sample_findings).html
    missing = []
    for path, value in _leaves(plan):
        if value is None or value == "" or _field(path) in SHOWN_OTHERWISE:
            continue
        if path.startswith("classification.last_year."):  # shown as translated class names
            continue
        forms = _shown(value, loc)
        if forms and not any(f in page for f in forms):
            missing.append(f"{path} = {value!r}")
    assert not missing, "plan fields missing from the booklet:\n" + "\n".join(missing)


def test_the_sample_fills_the_customer_file_fields_the_audit_found_missing(sample_portfolio):
    c = sample_portfolio.plan("00231").plan.customer
    assert c.static.fax and c.static.bank_account and c.static.province
    assert c.market.products and c.resources.warehouse_area_m2
    assert any(log.contacts for log in sample_portfolio.plan("00231").plan.work_logs)


def test_work_logs_name_the_contacts_met(sample_portfolio, sample_facts, sample_findings):
    from workbench.render.booklet import account_booklet_page

    plan = sample_portfolio.plan("00231").plan
    page = account_booklet_page(sample_facts, "00231", sample_portfolio, sample_findings).html
    names = {c.id: c.name for c in plan.customer.contacts}
    log = next(x for x in plan.work_logs if len(x.contacts) >= 2)
    assert "、".join(names[i] for i in log.contacts) in page
