"""`kam new`: a complete skeleton plan, every section present and explained.

Comments are the model's own field descriptions (so they cannot drift from the model).
Required fields carry values; optional lists are shown as commented examples whose lines
start with ``#~ `` — uncommenting them gives a valid plan (a test does exactly that).
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
        "strategy": "（策略）",
        "action": "（行动）",
        "issue": "（长远问题）",
        "log": "（纪要）",
        "review": "（评估结论）",
        "factor": "（机会）",
        "threat": "（威胁）",
        "team": "客户经理",
        "budget": "（费用项目）",
        "material": "（促销品）",
        "score": "送货及时",
        "problem": "（客户反映的问题）",
        "criterion": "产品优势",
    },
    "en": {
        "legal": "(registered name)",
        "region": "East",
        "need": "(what the customer needs from us)",
        "contact": "(name)",
        "goal": "Full-year revenue",
        "strategy": "(strategy)",
        "action": "(action)",
        "issue": "(long-term issue)",
        "log": "(what happened)",
        "review": "(findings)",
        "factor": "(opportunity)",
        "threat": "(threat)",
        "team": "Account manager",
        "budget": "(budget item)",
        "material": "(promotion material)",
        "score": "On-time delivery",
        "problem": "(problem the customer reported)",
        "criterion": "Product advantage",
    },
}


def skeleton_plan(account_id: str, name: str, language: str, fiscal_year: int, owner: str, schema_ref: str) -> str:
    """The text of a new plan. Arguments must already be validated (ids, language)."""
    from workbench.plan import model as m

    t = _TEXT[language]
    y = fiscal_year
    d = _doc
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Key-account plan for {name}, fiscal year {y}. Sections follow DOMAIN.md; every list item",
        "# keeps a stable `id` so that reviews and diffs can name it. Lines starting with `#~ ` are",
        "# examples: remove the `#~ ` to use them. Check the file with `kam validate`.",
        "",
        d(m.Plan, "version"),
        "version: 1",
        d(m.Plan, "account_id"),
        f"account_id: {_q(account_id)}",
        d(m.Plan, "fiscal_year"),
        f"fiscal_year: {y}",
        d(m.Plan, "language"),
        f"language: {language}",
        d(m.Plan, "owner"),
        f"owner: {_q(owner)}",
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
        f"    legal_name: {_q(name + t['legal'] if language == 'zh' else name)}",
        "    " + d(m.StaticInfo, "short_name"),
        f"    short_name: {_q(name)}",
        "    " + d(m.StaticInfo, "region"),
        f"    region: {_q(t['region'])}",
        "    " + d(m.StaticInfo, "channel"),
        "    channel: distributor",
        "    " + d(m.StaticInfo, "address"),
        "    address: null",
        "    " + d(m.StaticInfo, "phone"),
        "    phone: null",
        "    " + d(m.StaticInfo, "tax_id"),
        "    tax_id: null",
        "  " + d(m.CustomerFile, "contacts"),
        "  contacts: []",
        f"{EXAMPLE}  contacts:",
        f"{EXAMPLE}    - id: C-1",
        f"{EXAMPLE}      name: {_q(t['contact'])}",
        f"{EXAMPLE}      title: null",
        f"{EXAMPLE}      role: decision_maker   # decision_maker, influencer, user, gatekeeper",
        f"{EXAMPLE}      relationship: 3",
        f"{EXAMPLE}      birthday: null",
        f"{EXAMPLE}      notes: null",
        "  " + d(m.CustomerFile, "market"),
        "  market:",
        "    " + d(m.MarketStatus, "market_size"),
        "    market_size: null",
        "    " + d(m.MarketStatus, "brands"),
        "    brands: []",
        "    " + d(m.MarketStatus, "advertising"),
        "    advertising: null",
        "  " + d(m.CustomerFile, "resources"),
        "  resources:",
        "    " + d(m.CustomerResources, "staff"),
        "    staff: null",
        "    " + d(m.CustomerResources, "vehicles"),
        "    vehicles: null",
        "    " + d(m.CustomerResources, "warehouses"),
        "    warehouses: null",
        "    " + d(m.CustomerResources, "funds"),
        "    funds: null",
        "  " + d(m.CustomerFile, "needs"),
        "  needs: []",
        f"{EXAMPLE}  needs: [{_q(t['need'])}]",
        "  " + d(m.CustomerFile, "decision_process"),
        "  decision_process:",
        "    " + d(m.DecisionProcess, "who"),
        "    who: null",
        "    " + d(m.DecisionProcess, "how"),
        "    how: null",
        "    " + d(m.DecisionProcess, "when"),
        "    when: null",
        "  " + d(m.CustomerFile, "credit"),
        "  credit:",
        "    " + d(m.Credit, "term_days"),
        "    term_days: 0",
        "    " + d(m.Credit, "limit"),
        "    limit: 0",
        "    " + d(m.Credit, "grade"),
        "    grade: null",
        "    " + d(m.Credit, "blacklisted"),
        "    blacklisted: false",
        "",
        d(m.Plan, "performance"),
        "performance:",
        "  " + d(m.Performance, "service_scores"),
        "  service_scores: []",
        f"{EXAMPLE}  service_scores:",
        f"{EXAMPLE}    - {{id: P-1, dimension: {_q(t['score'])}, score: 4}}",
        "",
        d(m.Plan, "report_card"),
        "report_card:",
        "  " + d(m.ReportCard, "date"),
        "  date: null",
        "  " + d(m.ReportCard, "scores"),
        "  scores: []",
        "  " + d(m.ReportCard, "problems"),
        "  problems: []",
        f"{EXAMPLE}  problems:",
        f"{EXAMPLE}    - {{id: RP-1, text: {_q(t['problem'])}, actions: [A-1]}}",
        "",
        d(m.Plan, "opportunities"),
        "opportunities: []",
        f"{EXAMPLE}opportunities:",
        f"{EXAMPLE}  - {{id: O-1, title: {_q(t['factor'])}, impact: high, likelihood: medium}}",
        d(m.Plan, "threats"),
        "threats: []",
        f"{EXAMPLE}threats:",
        f"{EXAMPLE}  - {{id: T-1, title: {_q(t['threat'])}, impact: medium, likelihood: low}}",
        "",
        d(m.Plan, "goals"),
        "goals:",
        "  " + d(m.Goals, "last_year"),
        "  last_year: []",
        "  " + d(m.Goals, "this_year"),
        "  this_year:",
        "    - id: G-1",
        f"      title: {_q(t['goal'])}",
        "      " + d(m.Goal, "metric"),
        "      metric: revenue",
        "      " + d(m.Goal, "target"),
        "      target: 0",
        "      unit: null",
        "",
        d(m.Plan, "strategies"),
        "strategies: []",
        f"{EXAMPLE}strategies:",
        f"{EXAMPLE}  - {{id: S-1, title: {_q(t['strategy'])}, goals: [G-1]}}",
        "",
        d(m.Plan, "resources"),
        "resources:",
        "  " + d(m.Resources, "team"),
        "  team:",
        f"    - {{id: T-owner, name: {_q(owner)}, role: {_q(t['team'])}}}",
        "  " + d(m.Resources, "budget"),
        "  budget: []",
        f"{EXAMPLE}  budget:",
        f"{EXAMPLE}    - {{id: B-1, item: {_q(t['budget'])}, amount: 0}}",
        "  " + d(m.Resources, "promotion_materials"),
        "  promotion_materials: []",
        f"{EXAMPLE}  promotion_materials:",
        f"{EXAMPLE}    - {{id: PM-1, item: {_q(t['material'])}, quantity: 0}}",
        "",
        d(m.Plan, "actions"),
        "actions: []",
        f"{EXAMPLE}actions:",
        f"{EXAMPLE}  - id: A-1",
        f"{EXAMPLE}    title: {_q(t['action'])}",
        f"{EXAMPLE}    owner: {_q(owner)}",
        f"{EXAMPLE}    start: {y}-03-01",
        f"{EXAMPLE}    due: {y}-03-31",
        f"{EXAMPLE}    status: planned       # planned, in_progress, done, blocked, dropped",
        f"{EXAMPLE}    form: visit           # visit, meeting, field_guidance, training, promotion, delivery",
        f"{EXAMPLE}    goals: [G-1]",
        f"{EXAMPLE}    strategy: S-1",
        f"{EXAMPLE}    ships_goods: false",
        "",
        d(m.Plan, "long_term_issues"),
        "long_term_issues: []",
        f"{EXAMPLE}long_term_issues:",
        f"{EXAMPLE}  - {{id: LT-1, title: {_q(t['issue'])}}}",
        "",
        d(m.Plan, "work_logs"),
        "work_logs: []",
        f"{EXAMPLE}work_logs:",
        f"{EXAMPLE}  - {{id: L-0301, date: {y}-03-01, author: {_q(owner)}, kind: visit, contacts: [C-1], summary: {_q(t['log'])}}}",
        "",
        d(m.Plan, "reviews"),
        "reviews: []",
        f"{EXAMPLE}reviews:",
        f"{EXAMPLE}  - {{id: R-1, date: {y}-06-30, kind: progress, author: {_q(owner)}, summary: {_q(t['review'])}}}",
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
        f"{EXAMPLE}  attractiveness:",
        f"{EXAMPLE}    - {{name: {_q(t['criterion'])}, weight: 0.5, score: 3}}",
        "  " + d(m.ClassificationInputs, "ability_to_win"),
        "  ability_to_win: []",
        "  " + d(m.ClassificationInputs, "last_year"),
        "  last_year: {}",
        "  " + d(m.ClassificationInputs, "manual"),
        "  manual: []",
        f"{EXAMPLE}  manual:",
        f"{EXAMPLE}    - {{scheme: abc, value: A, reason: {_q(t['review'])}}}",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def uncomment_examples(text: str) -> str:
    """The skeleton with its examples switched on (each example replaces the line before it)."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith(EXAMPLE):
            body = line[len(EXAMPLE) :]
            key = body.split(":", 1)[0]
            indent = len(body) - len(body.lstrip())
            # an example block starts with `key:`; drop the `key: []` placeholder it replaces
            if ":" in body and not body.lstrip().startswith("-") and indent == len(key) - len(key.lstrip()):
                stripped = key.strip()
                for j in range(len(out) - 1, -1, -1):
                    if out[j].strip().startswith(f"{stripped}:") and (len(out[j]) - len(out[j].lstrip())) == indent:
                        if out[j].rstrip().endswith(("[]", "{}", "null")) or out[j].rstrip().endswith(": []"):
                            del out[j]
                        break
            out.append(body)
        else:
            out.append(line)
    return "\n".join(out) + "\n"
