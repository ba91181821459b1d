"""Plan texts shared by the plan-loader tests (a module with a unique name, importable
from test files; conftest modules are not)."""

SETTINGS = "company: Test Co\nfiscal_year: 2026\nas_of: 2026-09-30\n"

# Line numbers matter: tests assert exact locations in this text.
BASE_PLAN = """\
account_id: "00123"
fiscal_year: 2026
language: en
owner: Wang Wei
customer:
  static:
    legal_name: Acme Trading Ltd
    short_name: Acme
    region: East
    channel: distributor
  contacts:
    - id: C1
      name: Li Na
      role: decision_maker
goals:
  this_year:
    - id: G1
      title: Grow revenue
      metric: revenue
      target: 1200000
strategies:
  - id: S1
    title: Widen the range
    goals: [G1]
actions:
  - id: A1
    title: Quarterly visit
    form: visit
    owner: Wang Wei
    start: 2026-03-01
    due: 2026-03-31
    goals: [G1]
    strategy: S1
"""


def brief(errors: list) -> list[tuple]:
    """(code, file:line:col, id path, message) of each diagnostic, in report order."""
    return [(e["code"], e["where"], e["path"], e["message"]) for e in errors]
