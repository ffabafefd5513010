"""Rubrics for the written answers an instructor grades, with anchored examples (`data/rubrics.yaml`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.datafiles import DATA_DIR, DataFileError, read_yaml

RUBRICS_FILE = DATA_DIR / "rubrics.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Strict):
    """One element of a rubric: its points, what earns them in full and what earns half."""

    points: float = Field(..., gt=0)
    full: str
    half: str = ""


class Anchor(_Strict):
    """An invented answer at one whole score, with why it earns that score."""

    score: int = Field(..., ge=0)
    answer: str = Field(..., min_length=40)
    why: str


class Rubric(_Strict):
    """An instructor-graded written answer: prompt, criteria and one anchor at every whole score."""

    id: str
    title: str
    points: int = Field(..., ge=1)
    prompt: str
    criteria: list[Criterion] = Field(..., min_length=1)
    anchors: list[Anchor]

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if sum(c.points for c in self.criteria) != self.points:
            raise ValueError(f"{self.id}: the criteria add up to {sum(c.points for c in self.criteria)}, not {self.points}")
        scores = [a.score for a in self.anchors]
        if scores != list(range(self.points + 1)):
            raise ValueError(f"{self.id}: anchors must give one answer at each score 0..{self.points}, in order; "
                             f"found {scores}")
        return self


class Rubrics(_Strict):
    schema_version: Literal[1]
    rubrics: list[Rubric]


@lru_cache(maxsize=1)
def load_rubrics() -> dict[str, Rubric]:
    """Every rubric by id, validated."""
    try:
        data = Rubrics.model_validate(read_yaml(RUBRICS_FILE))
    except ValidationError as exc:
        raise DataFileError(f"{RUBRICS_FILE}: {exc}") from None
    return {r.id: r for r in data.rubrics}


def get_rubric(rubric_id: str) -> Rubric:
    """One rubric; unknown ids list the known ones."""
    rubrics = load_rubrics()
    if rubric_id not in rubrics:
        raise KeyError(f"unknown rubric {rubric_id!r}; known: {', '.join(rubrics)}")
    return rubrics[rubric_id]


def rubric_markdown(rubric_id: str, *, anchors: bool = False, heading: str = "##") -> str:
    """The prompt and how it is graded, as Markdown; with `anchors`, the graders' example answers too."""
    rubric = get_rubric(rubric_id)
    lines = [f"{heading} {rubric.title} ({rubric.points} points, graded by your instructor)", "",
             f"**Prompt.** {rubric.prompt}", "",
             "**How this answer is graded** (half points allowed):", ""]
    for criterion in rubric.criteria:
        half = f" *Half:* {criterion.half}" if criterion.half else ""
        lines.append(f"- **{criterion.points:g} point{'s' if criterion.points != 1 else ''}:** {criterion.full}{half}")
    if anchors:
        lines += ["", f"{heading}# Anchored examples (for graders)", ""]
        for anchor in rubric.anchors:
            lines += [f"**Scores {anchor.score}/{rubric.points}.** {anchor.answer}", "", f"*Why:* {anchor.why}", ""]
    return "\n".join(lines).rstrip() + "\n"
