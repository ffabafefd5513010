"""Behaviour spotting: which checklist behaviours a trainee saw in each therapist turn of a
transcript, scored per behaviour against the vignette's labels, with explanations in words.

Turns are identified by their index in the vignette's transcript (0 for the first turn), written
as a string in the answers file; trainees see them numbered from 1 ("Turn 1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from course.checklist import ChecklistItem, load_checklist
from course.language import excerpt
from course.vignettes import Turn, Vignette

SPOTTING_SCHEMA_VERSION = 1
FALSE_ALARM_COST = 0.5
"""How much of one hit a false alarm takes away."""
QUOTE_CHARS = 500
"""The longest stretch of a turn quoted in an explanation (longer turns are cut at a word)."""
THERAPIST = "therapist"
_TURN = re.compile(r"0|[1-9][0-9]*")

Status = Literal["met", "partial", "missing"]


class SpottingAnswers(BaseModel):
    """The behaviours a trainee ticked, by turn index (as a string) of the transcript."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SPOTTING_SCHEMA_VERSION
    vignette_id: str = ""
    ticks: dict[str, list[str]] = Field(
        default_factory=dict, description="Turn index (0 = first turn, as a string) -> checklist ids ticked."
    )

    @field_validator("ticks")
    @classmethod
    def _known_turns_and_ids(cls, ticks: dict[str, list[str]]) -> dict[str, list[str]]:
        order = [item.id for item in load_checklist().items]
        clean: dict[str, list[str]] = {}
        for turn, ids in ticks.items():
            if not _TURN.fullmatch(turn):
                raise ValueError(f"turn {turn!r} should be a turn number such as '4'")
            unknown = sorted(set(ids) - set(order))
            if unknown:
                raise ValueError(f"turn {turn}: unknown checklist ids {', '.join(unknown)}")
            if ids:
                clean[turn] = [item_id for item_id in order if item_id in ids]
        return dict(sorted(clean.items(), key=lambda pair: int(pair[0])))

    def ticked(self, turn: int) -> list[str]:
        """The checklist ids ticked for one turn."""
        return self.ticks.get(str(turn), [])


@dataclass(frozen=True)
class BehaviourResult:
    """How well one behaviour was spotted: turn indices of hits, false alarms and misses."""

    id: str
    name: str
    labelled: tuple[int, ...]
    hits: tuple[int, ...]
    false_alarms: tuple[int, ...]
    misses: tuple[int, ...]
    points: float
    max_points: float
    explanations: tuple[str, ...]

    @property
    def status(self) -> Status:
        """met when every labelled turn was found with no false alarm; partial for some credit."""
        if self.max_points and self.points >= self.max_points:
            return "met"
        return "partial" if self.points > 0 else "missing"

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (turn indices start at 0)."""
        return {
            "id": self.id,
            "status": self.status,
            "points": self.points,
            "max_points": self.max_points,
            "hits": list(self.hits),
            "false_alarms": list(self.false_alarms),
            "misses": list(self.misses),
            "explanations": list(self.explanations),
        }


@dataclass(frozen=True)
class SpottingReport:
    """Every behaviour labelled in the transcript or ticked by the trainee, in checklist order."""

    vignette_id: str
    behaviours: tuple[BehaviourResult, ...]

    @property
    def total(self) -> float:
        """Points earned: up to one per labelled behaviour, less a quarter point for each false alarm
        on a behaviour the session does not show at all (never below 0)."""
        earned = sum(result.points for result in self.behaviours)
        stray = sum(len(result.false_alarms) for result in self.behaviours if result.max_points == 0)
        return max(0.0, earned - UNLABELLED_FALSE_ALARM_COST * stray)

    @property
    def max(self) -> float:
        """Points available: one per behaviour labelled in the transcript."""
        return sum(result.max_points for result in self.behaviours)

    def behaviour(self, item_id: str) -> BehaviourResult:
        """The result for one checklist id."""
        return next(result for result in self.behaviours if result.id == item_id)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "vignette": self.vignette_id,
            "total": self.total,
            "max": self.max,
            "behaviours": [result.to_dict() for result in self.behaviours],
        }


UNLABELLED_FALSE_ALARM_COST = 0.25


def is_therapist_turn(turn: Turn) -> bool:
    """True for turns spoken by the therapist (the only turns a trainee codes)."""
    return turn.speaker.strip().lower() == THERAPIST


def therapist_turns(vignette: Vignette) -> list[int]:
    """Indices of the therapist's turns in the transcript."""
    return [index for index, turn in enumerate(vignette.transcript) if is_therapist_turn(turn)]


def spottable_items(vignette: Vignette) -> list[ChecklistItem]:
    """The behaviours a trainee may tick for this case: the plan items, plus `review` for a review case."""
    checklist = load_checklist()
    items = list(checklist.plan_items)
    if vignette.review_case is not None:
        items += [item for item in checklist.items if item.phase == "review"]
    return items


def score_spotting(answers: SpottingAnswers, vignette: Vignette) -> SpottingReport:
    """Score the ticks per behaviour against the transcript's labels, with an explanation per turn."""
    if answers.vignette_id and answers.vignette_id != vignette.id:
        raise ValueError(f"these answers are for {answers.vignette_id!r}, not {vignette.id!r}")
    coded = therapist_turns(vignette)
    labels = vignette.spotting_labels()
    results = []
    for item in load_checklist().items:
        labelled = tuple(i for i in coded if item.id in labels.get(i, ()))
        ticked = tuple(i for i in coded if item.id in answers.ticked(i))
        if labelled or ticked:
            results.append(_behaviour_result(item, labelled, ticked, vignette))
    return SpottingReport(vignette_id=vignette.id, behaviours=tuple(results))


def behaviour_points(hits: int, false_alarms: int, labelled: int) -> float:
    """Credit for hits less half a hit per false alarm, as a share of the labelled turns (0 to 1)."""
    if labelled == 0:
        return 0.0
    return round(max(0.0, hits - FALSE_ALARM_COST * false_alarms) / labelled, 4)


def _behaviour_result(
    item: ChecklistItem, labelled: tuple[int, ...], ticked: tuple[int, ...], vignette: Vignette
) -> BehaviourResult:
    hits = tuple(i for i in labelled if i in ticked)
    false_alarms = tuple(i for i in ticked if i not in labelled)
    misses = tuple(i for i in labelled if i not in ticked)
    labels = vignette.spotting_labels()
    by_turn = sorted(
        [(i, _hit_text(item, vignette.transcript[i], i)) for i in hits]
        + [(i, _miss_text(item, vignette.transcript[i], i)) for i in misses]
        + [(i, _false_alarm_text(item, vignette.transcript[i], i, labels.get(i, ()))) for i in false_alarms]
    )
    explanations = [text for _, text in by_turn]
    if not labelled:
        explanations.insert(0, f'No therapist turn in this transcript was coded as "{item.name}".')
    return BehaviourResult(
        id=item.id,
        name=item.name,
        labelled=labelled,
        hits=hits,
        false_alarms=false_alarms,
        misses=misses,
        points=behaviour_points(len(hits), len(false_alarms), len(labelled)),
        max_points=1.0 if labelled else 0.0,
        explanations=tuple(explanations),
    )


def turn_label(index: int) -> str:
    """How a turn is named to the trainee (numbered from 1)."""
    return f"Turn {index + 1}"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A turn's words, cut at a word boundary when long."""
    return excerpt(text, limit)


def _meaning(item: ChecklistItem) -> str:
    return "What counts: " + " ".join(item.definition.split())


def _hit_text(item: ChecklistItem, turn: Turn, index: int) -> str:
    return (
        f'{turn_label(index)} shows "{item.name}", and you spotted it. {_meaning(item)} '
        f'The therapist says: "{quote(turn.text)}"'
    )


def _miss_text(item: ChecklistItem, turn: Turn, index: int) -> str:
    return (
        f'{turn_label(index)} also shows "{item.name}", which you did not tick. {_meaning(item)} '
        f'Listen again: "{quote(turn.text)}"'
    )


def _false_alarm_text(item: ChecklistItem, turn: Turn, index: int, labels: tuple[str, ...]) -> str:
    checklist = load_checklist()
    known = {entry.id for entry in checklist.items}
    shown = [checklist.item(b).name for b in labels if b in known]
    coded = ", ".join(f'"{name}"' for name in shown) if shown else "none of the checklist behaviours"
    return (
        f'{turn_label(index)} was not coded as "{item.name}". {_meaning(item)} '
        f'The therapist says: "{quote(turn.text)}" The coders saw {coded} in this turn.'
    )
