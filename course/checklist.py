"""The checklist of therapist behaviours, loaded from `data/checklist.yaml`."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from course.datafiles import DATA_DIR, DataFileError, read_yaml

CHECKLIST_FILE = DATA_DIR / "checklist.yaml"
Phase = Literal["design", "assign", "review"]
Basis = Literal["evidence", "consensus", "mixed"]
"""How an item is supported: `evidence` = studies link the behaviour with engagement or outcome
(correlational: it *may promote* them); `consensus` = expert or practice consensus, not a finding;
`mixed` = some studies support it and some do not."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackText(_Strict):
    """One sentence of feedback and one concrete next step for an outcome."""

    feedback: str
    next_step: str


class ReviewMove(_Strict):
    """One of the five moves of a blame-free review."""

    id: str
    name: str


class ChecklistItem(_Strict):
    """One behaviour on the checklist, with its definition and feedback wording."""

    id: str
    name: str
    phase: Phase
    weight: int = Field(..., ge=1)
    definition: str
    plan_must_contain: str
    met: str
    partial: str
    missing: str
    sources: list[str]
    basis: Basis
    basis_note: str = Field(..., min_length=20)
    feedback: dict[str, FeedbackText]
    moves: list[ReviewMove] = Field(default_factory=list)

    def text_for(self, outcome: str) -> FeedbackText:
        """The feedback wording for an outcome, falling back to the status wording."""
        return self.feedback.get(outcome) or self.feedback["missing"]


class Checklist(_Strict):
    """The whole checklist in checklist order."""

    schema_version: Literal[1]
    gates: dict[str, FeedbackText]
    items: list[ChecklistItem]

    def item(self, item_id: str) -> ChecklistItem:
        """The item with this id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def plan_items(self) -> list[ChecklistItem]:
        """The items a homework plan is scored on (design and assign phases)."""
        return [item for item in self.items if item.phase != "review"]


@lru_cache(maxsize=1)
def load_checklist() -> Checklist:
    """The course checklist, validated."""
    try:
        return Checklist.model_validate(read_yaml(CHECKLIST_FILE))
    except ValidationError as exc:
        raise DataFileError(f"{CHECKLIST_FILE}: {exc}") from None


def plan_item_ids() -> list[str]:
    """The ids of the plan items, in checklist order."""
    return [item.id for item in load_checklist().plan_items]
