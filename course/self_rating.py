"""A trainee's self-rating of their own plan against the checklist, compared with the automatic grade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from course.checklist import plan_item_ids
from course.scoring import PlanReport

Rating = Literal["met", "partial", "missing"]


class SelfRating(BaseModel):
    """How the trainee rates each checklist behaviour of their own plan."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    vignette_id: str = ""
    ratings: dict[str, Rating] = Field(default_factory=dict)

    @field_validator("ratings")
    @classmethod
    def _known_items(cls, ratings: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(ratings) - set(plan_item_ids()))
        if unknown:
            raise ValueError(f"unknown checklist ids: {', '.join(unknown)}")
        return ratings

    @property
    def complete(self) -> bool:
        """True when every plan behaviour has a rating."""
        return set(self.ratings) == set(plan_item_ids())


@dataclass(frozen=True)
class RatingComparison:
    """One behaviour: the trainee's rating beside the automatic grade."""

    id: str
    name: str
    mine: str | None
    automatic: str

    @property
    def agrees(self) -> bool:
        return self.mine == self.automatic


def compare(rating: SelfRating, report: PlanReport) -> list[RatingComparison]:
    """The self-rating and the automatic grade, behaviour by behaviour, in checklist order."""
    return [RatingComparison(i.id, i.name, rating.ratings.get(i.id), i.status) for i in report.items]


def calibration_sentence(rows: list[RatingComparison]) -> str:
    """One sentence on how the self-rating matches the automatic grade (and in which direction)."""
    rank = {"missing": 0, "partial": 1, "met": 2}
    rated = [r for r in rows if r.mine]
    if not rated:
        return "You have not rated your plan yet."
    agree = sum(r.agrees for r in rated)
    higher = sum(rank[r.mine] > rank[r.automatic] for r in rated)
    lower = sum(rank[r.mine] < rank[r.automatic] for r in rated)
    return (f"Your rating matched the automatic grade on {agree} of {len(rated)} behaviours; "
            f"you rated yourself higher on {higher} and lower on {lower}.")
