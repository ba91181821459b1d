"""Fixtures shared across the suite: the repository root and the sample portfolio, loaded
once per session (loading, ingesting and analysing it are each done only once)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_portfolio():
    from workbench.plan.load import load_portfolio

    return load_portfolio(SAMPLE)


@pytest.fixture(scope="session")
def sample_ledger(sample_portfolio):
    from workbench.ledger.ingest import load_ledger

    return load_ledger(sample_portfolio, use_cache=False)


@pytest.fixture(scope="session")
def sample_facts(sample_portfolio, sample_ledger):
    from workbench.analyze.compute import compute_facts

    return compute_facts(sample_portfolio, sample_ledger)


@pytest.fixture(scope="session")
def sample_findings(sample_portfolio, sample_ledger, sample_facts):
    from workbench.check import run_checks

    return run_checks(sample_portfolio, sample_ledger, sample_facts)
