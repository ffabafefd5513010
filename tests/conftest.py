"""Shared fixtures: the vignette library and helpers to vary reference plans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from course.vignettes import all_vignettes  # noqa: E402

CASES = all_vignettes()
CASE_IDS = [case.id for case in CASES]


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


def case_by_id(case_id: str):
    """A shipped vignette by id."""
    return next(case for case in CASES if case.id == case_id)


def cases_where(predicate) -> list:
    """Shipped vignettes matching a predicate, as pytest params with ids."""
    return [pytest.param(case, id=case.id) for case in CASES if predicate(case)]


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    """A notebook folder to work in, with nbgrader's variables unset (a trainee's session)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("NBGRADER_VALIDATING", raising=False)
    return tmp_path
