"""The course's assignments and their exercises, loaded from `data/assignments.yaml`."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.datafiles import DATA_DIR, DataFileError, read_yaml

ASSIGNMENTS_FILE = DATA_DIR / "assignments.yaml"
ExerciseKind = Literal["plan", "review", "spotting", "concept", "code", "reflection", "self_rating"]


class Exercise(BaseModel):
    """One graded exercise inside an assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(..., pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$")
    kind: ExerciseKind
    case: str = ""
    question: str = ""
    points: float | None = None
    conversation: bool = Field(
        False, description="Plan exercises: the scripted client's panel sits beside the form, and the plan's "
        "collaboration and commitment_check are earned in the conversation (course/scoring/conversation.py).",
    )

    @property
    def answers_file(self) -> str:
        """The answers file, relative to the assignment folder."""
        return f"answers/{self.id}.json"


class Assignment(BaseModel):
    """One nbgrader assignment (one notebook in its own folder)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(..., pattern=r"^\d\d-[a-z0-9-]+$")
    title: str
    optional: bool = Field(False, description="A case library or extra practice: left out of the course's total time")
    exercises: list[Exercise] = Field(default_factory=list)

    @property
    def notebook(self) -> str:
        """The notebook file name inside the assignment folder."""
        return f"{self.id}.ipynb"


class Course(BaseModel):
    """The whole course."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    course_id: str
    assignments: list[Assignment]

    @model_validator(mode="after")
    def _unique_ids(self) -> Course:
        ids = [e.id for a in self.assignments for e in a.exercises]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"exercise ids must be unique across the course: {sorted(duplicates)}")
        return self

    def assignment(self, assignment_id: str) -> Assignment:
        """The assignment with this id."""
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        raise KeyError(assignment_id)


@lru_cache(maxsize=1)
def load_course() -> Course:
    """The course manifest, validated."""
    try:
        return Course.model_validate(read_yaml(ASSIGNMENTS_FILE))
    except ValidationError as exc:
        raise DataFileError(f"{ASSIGNMENTS_FILE}: {exc}") from None


def exercise_has_conversation(exercise_id: str) -> bool:
    """True if the exercise puts the scripted client's panel beside its plan form."""
    return any(e.id == exercise_id and e.conversation for a in load_course().assignments for e in a.exercises)


def answers_files() -> dict[str, list[str]]:
    """For nbgrader's `Autograde.exclude_overwriting`: each assignment's answers files."""
    return {a.id: [e.answers_file for e in a.exercises] for a in load_course().assignments}
