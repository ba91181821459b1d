"""`kam new`: a complete skeleton plan, every section present and explained.

Comments are the model's own field descriptions (so they cannot drift from the model).
Required fields carry values that validate — placeholders the user must replace are
marked ``# TODO:`` — optional scalars are written ``null``, and optional lists are shown
as commented examples whose lines start with ``#~ ``. Uncommenting them gives a valid
plan in which every field of every section is written out: a test checks exactly that,
so a field added to the model without a place in the skeleton fails the suite.
"""

from __future__ import annotations

import json
from typing import Any

EXAMPLE = "#~ "


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _doc(model: Any, name: str) -> str:
    info = model.model_fields[name]
    return f"# {info.description}" if info.description else ""


_TEXT = {
    "zh": {
        "legal": "（客户全称）",
        "region": "华东",
        "need": "（客户需要我们提供什么）",
        "contact": "（姓名）",
        "goal": "全年销售额",
        "last_goal": "去年销售额",
        "strategy": "（策略）",
        "action": "（行动）",
        "issue": "（长远问题）",
        "log": "（纪要）",
        "review": "（评估结论）",
        "improvement": "（改进建议）",
        "factor": "（机会）",
        "threat": "（威胁）",
        "team": "客户经理",
        "budget": "（费用项目）",
        "material": "（促销品）",
        "score": "送货及时",
        "problem": "（客户反映的问题）",
        "criterion": "产品优势",
        "win": "服务",
        "product": "（产品）",
        "brand": "（品牌）",
        "reason": "（为什么手动调整）",
        "blacklist": "（列入黑名单的原因）",
    },
    "en": {
        "legal": "(registered name)",
        "region": "East",
        "need": "(what the customer needs from us)",
        "contact": "(name)",
        "goal": "Full-year revenue",
        "last_goal": "Last year's revenue",
        "strategy": "(strategy)",
        "action": "(action)",
        "issue": "(long-term issue)",
        "log": "(what happened)",
        "review": "(findings)",
        "improvement": "(improvement)",
        "factor": "(opportunity)",
        "threat": "(threat)",
        "team": "Account manager",
        "budget": "(budget item)",
        "material": "(promotion material)",
        "score": "On-time delivery",
        "problem": "(problem the customer reported)",
        "criterion": "Product advantage",
        "win": "Service",
        "product": "(product)",
        "brand": "(brand)",
        "reason": "(why the computed class is overridden)",
        "blacklist": "(why the customer is blacklisted)",
    },
}

TODO = "# TODO: "
"""Marks the placeholders of a new plan that must be replaced by real values."""


def skeleton_plan(account_id: str, name: str, language: str, fiscal_year: int, owner: str, schema_ref: str) -> str:
    """The text of a new plan. Arguments must already be validated (ids, language, one-line names)."""
    from workbench.plan import model as m

    t = _TEXT[language]
    y = fiscal_year
    d = _doc
    x = EXAMPLE
    q = _q
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Key-account plan for {name}, fiscal year {y}. Sections follow DOMAIN.md; every list item",
        "# keeps a stable `id` so that reviews and diffs can name it. Lines marked `# TODO:` hold",
        "# placeholders: replace them. Lines starting with `#~ ` are examples: remove the `#~ `",
        "# (and the empty `[]` line above them) to use them. Check the file with `kam validate`.",
        "",
        d(m.Plan, "version"),
        "version: 1",
        d(m.Plan, "account_id"),
        f"account_id: {q(account_id)}",
        d(m.Plan, "fiscal_year"),
        f"fiscal_year: {y}",
        d(m.Plan, "language"),
        f"language: {language}",
        d(m.Plan, "owner"),
        f"owner: {q(owner)}"
        + ("  " + TODO + "the account manager, as the ledger spells the salesperson" if owner == "TBD" else ""),
        d(m.Plan, "revision"),
        "revision: 1",
        d(m.Plan, "revised"),
        f"revised: {y}-01-01",
        "",
        d(m.Plan, "customer"),
        "customer:",
        "  " + d(m.CustomerFile, "static"),
        "  static:",
        "    " + d(m.StaticInfo, "legal_name"),
        f"    legal_name: {q(name + t['legal'] if language == 'zh' else name)}  {TODO}the registered name",
        "    " + d(m.StaticInfo, "short_name"),
        f"    short_name: {q(name)}",
        "    " + d(m.StaticInfo, "region"),
        f"    region: {q(t['region'])}  {TODO}the region as the ledger names it",
        "    " + d(m.StaticInfo, "channel"),
        "    channel: distributor  # distributor, retailer, terminal, direct",
        "    " + d(m.StaticInfo, "province"),
        "    province: null",
        "    " + d(m.StaticInfo, "city"),
        "    city: null",
        "    " + d(m.StaticInfo, "address"),
        "    address: null",
        "    " + d(m.StaticInfo, "phone"),
        "    phone: null",
        "    " + d(m.StaticInfo, "fax"),
        "    fax: null",
        "    " + d(m.StaticInfo, "bank_account"),
        "    bank_account: null",
        "    " + d(m.StaticInfo, "tax_id"),
        "    tax_id: null",
        "  " + d(m.CustomerFile, "contacts"),
        "  contacts: []",
        f"{x}  contacts:",
        f"{x}    - id: C-1",
        f"{x}      name: {q(t['contact'])}",
        f"{x}      title: null",
        f"{x}      role: decision_maker   # decision_maker, influencer, user, gatekeeper",
        f"{x}      relationship: 3        # 1 (cold) to 5 (trusted)",
        f"{x}      birthday: null         # YYYY-MM-DD",
        f"{x}      hobbies: null",
        f"{x}      notes: null",
        "  " + d(m.CustomerFile, "market"),
        "  market:",
        "    " + d(m.MarketStatus, "market_size"),
        "    market_size: null",
        "    " + d(m.MarketStatus, "brands"),
        "    brands: []",
        f"{x}    brands: [{q(t['brand'])}]",
        "    " + d(m.MarketStatus, "products"),
        "    products: []",
        f"{x}    products:",
        f"{x}      - {{name: {q(t['product'])}, spec: null, price: 0}}",
        "    " + d(m.MarketStatus, "advertising"),
        "    advertising: null",
        "    " + d(m.MarketStatus, "notes"),
        "    notes: null",
        "  " + d(m.CustomerFile, "resources"),
        "  resources:",
        "    " + d(m.CustomerResources, "staff"),
        "    staff: null",
        "    " + d(m.CustomerResources, "sales_staff"),
        "    sales_staff: null",
        "    " + d(m.CustomerResources, "vehicles"),
        "    vehicles: null",
        "    " + d(m.CustomerResources, "sites"),
        "    sites: null",
        "    " + d(m.CustomerResources, "warehouses"),
        "    warehouses: null",
        "    " + d(m.CustomerResources, "warehouse_area_m2"),
        "    warehouse_area_m2: null",
        "    " + d(m.CustomerResources, "funds"),
        "    funds: null",
        "    " + d(m.CustomerResources, "notes"),
        "    notes: null",
        "  " + d(m.CustomerFile, "needs"),
        "  needs: []",
        f"{x}  needs: [{q(t['need'])}]",
        "  " + d(m.CustomerFile, "decision_process"),
        "  decision_process:",
        "    " + d(m.DecisionProcess, "who"),
        "    who: null",
        "    " + d(m.DecisionProcess, "how"),
        "    how: null",
        "    " + d(m.DecisionProcess, "when"),
        "    when: null",
        "  " + d(m.CustomerFile, "purchase_history"),
        "  purchase_history: null",
        "  " + d(m.CustomerFile, "credit"),
        "  credit:",
        "    " + d(m.Credit, "term_days"),
        "    term_days: 0",
        "    " + d(m.Credit, "limit"),
        "    limit: 0",
        "    " + d(m.Credit, "grade"),
        "    grade: null  # A (best) to D",
        "    " + d(m.Credit, "blacklisted"),
        "    blacklisted: false",
        "    " + d(m.Credit, "blacklist_reason"),
        "    blacklist_reason: null",
        "",
        d(m.Plan, "performance"),
        "performance:",
        "  " + d(m.Performance, "service_scores"),
        "  service_scores: []",
        f"{x}  service_scores:",
        f"{x}    - {{id: P-1, dimension: {q(t['score'])}, score: 4, comment: null}}",
        "  " + d(m.Performance, "notes"),
        "  notes: null",
        "",
        d(m.Plan, "report_card"),
        "report_card:",
        "  " + d(m.ReportCard, "date"),
        "  date: null",
        "  " + d(m.ReportCard, "scores"),
        "  scores: []",
        f"{x}  scores:",
        f"{x}    - {{id: RC-1, dimension: {q(t['score'])}, score: 3, comment: null}}",
        "  " + d(m.ReportCard, "problems"),
        "  problems: []",
        f"{x}  problems:",
        f"{x}    - {{id: RP-1, text: {q(t['problem'])}, reported: {y}-02-15, actions: [A-1]}}",
        "",
        d(m.Plan, "opportunities"),
        "opportunities: []",
        f"{x}opportunities:",
        f"{x}  - {{id: O-1, title: {q(t['factor'])}, detail: null, impact: high, likelihood: medium}}",
        d(m.Plan, "threats"),
        "threats: []",
        f"{x}threats:",
        f"{x}  - {{id: T-1, title: {q(t['threat'])}, detail: null, impact: medium, likelihood: low}}",
        "",
        d(m.Plan, "goals"),
        "goals:",
        "  " + d(m.Goals, "last_year"),
        "  last_year: []",
        f"{x}  last_year:",
        f"{x}    - {{id: G-{y - 1}-1, title: {q(t['last_goal'])}, metric: revenue, target: 1000000, unit: null,",
        f"{x}       period: {{start: {y - 1}-01-01, end: {y - 1}-12-31}}, achieved: 950000, notes: null}}",
        "  " + d(m.Goals, "this_year"),
        "  this_year:",
        "    - id: G-1",
        f"      title: {q(t['goal'])}",
        "      " + d(m.Goal, "metric"),
        "      metric: revenue",
        "      " + d(m.Goal, "target"),
        f"      target: 0  {TODO}the target",
        "      " + d(m.Goal, "unit"),
        "      unit: null",
        "      " + d(m.Goal, "period"),
        "      period: null",
        f"{x}      period: {{start: {y}-01-01, end: {y}-06-30}}",
        "      " + d(m.Goal, "achieved"),
        "      achieved: null",
        "      " + d(m.Goal, "notes"),
        "      notes: null",
        "",
        d(m.Plan, "strategies"),
        "strategies: []",
        f"{x}strategies:",
        f"{x}  - {{id: S-1, title: {q(t['strategy'])}, detail: null, goals: [G-1]}}",
        "",
        d(m.Plan, "resources"),
        "resources:",
        "  " + d(m.Resources, "team"),
        "  team:",
        f"    - {{id: T-owner, name: {q(owner)}, role: {q(t['team'])}, responsibilities: null}}",
        "  " + d(m.Resources, "budget"),
        "  budget: []",
        f"{x}  budget:",
        f"{x}    - {{id: B-1, item: {q(t['budget'])}, amount: 0}}",
        "  " + d(m.Resources, "promotion_materials"),
        "  promotion_materials: []",
        f"{x}  promotion_materials:",
        f"{x}    - {{id: PM-1, item: {q(t['material'])}, quantity: 0, value: null}}",
        "",
        d(m.Plan, "actions"),
        "actions: []",
        f"{x}actions:",
        f"{x}  - id: A-1",
        f"{x}    title: {q(t['action'])}",
        f"{x}    owner: {q(owner)}",
        f"{x}    start: {y}-03-01",
        f"{x}    due: {y}-03-31",
        f"{x}    status: planned       # planned, in_progress, done, blocked, dropped",
        f"{x}    form: visit           # visit, meeting, field_guidance, training, promotion, delivery",
        f"{x}    goals: [G-1]",
        f"{x}    strategy: S-1",
        f"{x}    ships_goods: false",
        f"{x}    notes: null",
        "",
        d(m.Plan, "long_term_issues"),
        "long_term_issues: []",
        f"{x}long_term_issues:",
        f"{x}  - {{id: LT-1, title: {q(t['issue'])}, detail: null}}",
        "",
        d(m.Plan, "work_logs"),
        "work_logs: []",
        f"{x}work_logs:",
        f"{x}  - id: L-0301",
        f"{x}    date: {y}-03-01",
        f"{x}    author: {q(owner)}",
        f"{x}    kind: visit           # visit, call, meeting, morning_briefing, evening_briefing",
        f"{x}    contacts: [C-1]",
        f"{x}    summary: {q(t['log'])}",
        f"{x}    next_steps: null",
        "",
        d(m.Plan, "reviews"),
        "reviews: []",
        f"{x}reviews:",
        f"{x}  - id: R-1",
        f"{x}    date: {y}-06-30",
        f"{x}    kind: progress        # progress, feedback, people, improvement",
        f"{x}    author: {q(owner)}",
        f"{x}    summary: {q(t['review'])}",
        f"{x}    improvements: [{q(t['improvement'])}]",
        "",
        d(m.Plan, "classification"),
        "classification:",
        "  " + d(m.ClassificationInputs, "loyalty"),
        "  loyalty: null",
        "  " + d(m.ClassificationInputs, "financial_health"),
        "  financial_health: null",
        "  " + d(m.ClassificationInputs, "business_initiative"),
        "  business_initiative: null",
        "  " + d(m.ClassificationInputs, "attractiveness"),
        "  attractiveness: []",
        f"{x}  attractiveness:",
        f"{x}    - {{name: {q(t['criterion'])}, weight: 0.5, score: 3}}",
        "  " + d(m.ClassificationInputs, "ability_to_win"),
        "  ability_to_win: []",
        f"{x}  ability_to_win:",
        f"{x}    - {{name: {q(t['win'])}, weight: 1, score: 4}}",
        "  " + d(m.ClassificationInputs, "last_year"),
        "  last_year: {}",
        f"{x}  last_year: {{abc: B, quadrant: rising_star, stars: 3, matrix: maintain}}",
        "  " + d(m.ClassificationInputs, "manual"),
        "  manual: []",
        f"{x}  manual:",
        f"{x}    - {{scheme: abc, value: A, reason: {q(t['reason'])}}}",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def uncomment_examples(text: str) -> str:
    """The skeleton with its examples switched on: each block of ``#~ `` lines replaces the
    empty placeholder (``key: []``, ``key: {}``, ``key: null``) written just above it."""
    out: list[str] = []
    previous_was_example = False
    for line in text.splitlines():
        if not line.startswith(EXAMPLE):
            out.append(line)
            previous_was_example = False
            continue
        body = line[len(EXAMPLE) :]
        if not previous_was_example:  # the first line of a block: `key:` or `key: value`
            key = body.split(":", 1)[0].strip()
            indent = len(body) - len(body.lstrip())
            for j in range(len(out) - 1, -1, -1):
                placeholder = out[j]
                if placeholder.lstrip().startswith("#") or not placeholder.strip():
                    continue
                if (
                    placeholder.strip().split(":", 1)[0] == key
                    and len(placeholder) - len(placeholder.lstrip()) == indent
                    and placeholder.rstrip().endswith((": []", ": {}", ": null"))
                ):
                    del out[j]
                break
        out.append(body)
        previous_was_example = True
    return "\n".join(out) + "\n"
