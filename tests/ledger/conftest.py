"""Ledger tests run inside their tmp folder, so places read `t.xlsx › sheet › row`."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
