"""Concept checks: single- and multi-select questions with an explanation for every option,
loaded from `data/concept_checks.yaml`, and scoring of a trainee's selection."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.datafiles import DATA_DIR, DataFileError, read_yaml

CONCEPTS_FILE = DATA_DIR / "concept_checks.yaml"
CONCEPT_SCHEMA_VERSION = 1
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Status = Literal["met", "partial", "missing"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ConceptOption(_Strict):
    """One answer option, whether it is right, and why."""

    id: str = Field(..., pattern=_ID)
    text: str = Field(..., min_length=1)
    correct: bool
    explanation: str = Field(..., min_length=1, description="Why this option is right or wrong, citing author and year.")


class ConceptQuestion(_Strict):
    """A question on one module's concepts: one right option (single) or several (multi)."""

    id: str = Field(..., pattern=_ID)
    module: str = Field(..., min_length=1)
    prompt: str = Field(..., min_length=1)
    kind: Literal["single", "multi"]
    options: list[ConceptOption] = Field(..., min_length=2)
    sources: list[str] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _answerable(self) -> ConceptQuestion:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id}: option ids repeat")
        right = sum(option.correct for option in self.options)
        if self.kind == "single" and right != 1:
            raise ValueError(f"question {self.id}: a single-choice question needs exactly one correct option, has {right}")
        if self.kind == "multi" and right < 1:
            raise ValueError(f"question {self.id}: a multi-choice question needs at least one correct option")
        return self

    @property
    def correct_ids(self) -> list[str]:
        """The ids of the right options, in option order."""
        return [option.id for option in self.options if option.correct]

    def option(self, option_id: str) -> ConceptOption:
        """The option with this id."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


class ConceptBank(_Strict):
    """Every concept check of the course."""

    schema_version: Literal[1]
    questions: list[ConceptQuestion] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ConceptBank:
        ids = [question.id for question in self.questions]
        repeated = sorted({qid for qid in ids if ids.count(qid) > 1})
        if repeated:
            raise ValueError(f"question ids used more than once: {', '.join(repeated)}")
        return self


class ConceptAnswers(BaseModel):
    """A trainee's selection for one question, as saved in the answers file."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = CONCEPT_SCHEMA_VERSION
    question_id: str = ""
    selected: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class OptionFeedback:
    """One option as the trainee sees it after checking: chosen or not, right or not, and why."""

    id: str
    text: str
    selected: bool
    correct: bool
    explanation: str


@dataclass(frozen=True)
class ConceptResult:
    """A scored answer: points 0 to 1 and an explanation for every option."""

    question_id: str
    kind: str
    points: float
    options: tuple[OptionFeedback, ...]
    max_points: float = 1.0

    @property
    def answered(self) -> bool:
        """True if at least one option was chosen."""
        return any(option.selected for option in self.options)

    @property
    def status(self) -> Status:
        """met for full credit, partial for some, missing for none."""
        if self.points >= self.max_points:
            return "met"
        return "partial" if self.points > 0 else "missing"

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data."""
        return {
            "question": self.question_id,
            "points": self.points,
            "max_points": self.max_points,
            "selected": [option.id for option in self.options if option.selected],
            "correct": [option.id for option in self.options if option.correct],
        }


@lru_cache(maxsize=1)
def load_concept_checks() -> dict[str, ConceptQuestion]:
    """Every concept question by id, in file order, validated."""
    try:
        bank = ConceptBank.model_validate(read_yaml(CONCEPTS_FILE))
    except ValidationError as exc:
        raise DataFileError(f"{CONCEPTS_FILE}: {exc}") from None
    return {question.id: question for question in bank.questions}


def get_question(question_id: str) -> ConceptQuestion:
    """One question by id; unknown ids list the known ones."""
    questions = load_concept_checks()
    if question_id not in questions:
        raise KeyError(f"unknown concept question {question_id!r}; known ids: {', '.join(questions)}")
    return questions[question_id]


def questions_for_module(module: str) -> list[ConceptQuestion]:
    """The questions of one module, in file order."""
    return [question for question in load_concept_checks().values() if question.module == module]


def check_selection(question: ConceptQuestion, selected: list[str]) -> list[str]:
    """The selection without repeats, in option order; raises ValueError for unknown option ids."""
    known = [option.id for option in question.options]
    unknown = sorted(set(selected) - set(known))
    if unknown:
        raise ValueError(f"question {question.id} has no option {', '.join(unknown)}")
    return [option_id for option_id in known if option_id in selected]


def score_concept(question: ConceptQuestion, selected: list[str]) -> ConceptResult:
    """Single: 1 for the right option alone, else 0. Multi: right picks less wrong picks, over the number right."""
    chosen = set(check_selection(question, selected))
    right = len(chosen & set(question.correct_ids))
    wrong = len(chosen) - right
    if question.kind == "single":
        points = 1.0 if right == 1 and wrong == 0 else 0.0
    else:
        points = round(max(0, right - wrong) / len(question.correct_ids), 4)
    options = tuple(
        OptionFeedback(option.id, option.text, option.id in chosen, option.correct, option.explanation)
        for option in question.options
    )
    return ConceptResult(question_id=question.id, kind=question.kind, points=points, options=options)
