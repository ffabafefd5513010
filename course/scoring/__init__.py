"""Scoring a homework plan against a case: a pure function from (plan, vignette) to a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from course.checklist import ChecklistItem, load_checklist
from course.plans import Plan
from course.scoring.reading import PlanReading
from course.scoring.rules import RULES, Outcome
from course.scoring.safety import safety_gate
from course.vignettes import Vignette

Status = Literal["met", "partial", "missing"]
_SHARE = {"met": 1.0, "partial": 0.5, "missing": 0.0}

GRADER_VERSION = "2.5.1"
"""The version of the grading rules; CHANGELOG.md says what each version changed."""

SAFETY_CAP_SHARE = 0.5
"""A plan flagged by the safety gate earns at most this share of the full maximum."""


@dataclass(frozen=True)
class Flag:
    """A plan-level finding the instructor must review: a gate that fired or the safety cap."""

    id: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The flag as the public JSON contract has it."""
        return {"id": self.id, "message": self.message}


@dataclass(frozen=True)
class ItemResult:
    """The result for one checklist item, with its evidence and feedback."""

    id: str
    name: str
    status: Status
    points: float
    max_points: float
    evidence: tuple[str, ...]
    feedback: str
    next_step: str
    outcome: str

    def to_dict(self) -> dict[str, Any]:
        """The item as the public JSON contract has it."""
        return {
            "id": self.id,
            "status": self.status,
            "points": self.points,
            "max_points": self.max_points,
            "evidence": list(self.evidence),
            "feedback": self.feedback,
        }


@dataclass(frozen=True)
class PlanReport:
    """A scored plan: one ItemResult per plan item, in checklist order."""

    vignette_id: str
    items: tuple[ItemResult, ...]
    gate: str | None = None
    flags: tuple[Flag, ...] = ()
    grader_version: str = GRADER_VERSION

    @property
    def raw_total(self) -> float:
        """Points earned item by item, before any cap."""
        return sum(item.points for item in self.items)

    @property
    def capped(self) -> bool:
        """True if the safety gate caps this plan's total."""
        return any(flag.id == "safety_cap" for flag in self.flags)

    @property
    def total(self) -> float:
        """Points earned: the item points, capped at half the maximum when the safety gate applies."""
        raw = self.raw_total
        return min(raw, self.max * SAFETY_CAP_SHARE) if self.capped else raw

    @property
    def scale(self) -> float:
        """The factor item points are multiplied by in the gradebook so that they add up to `total`."""
        raw = self.raw_total
        return self.total / raw if raw else 1.0

    @property
    def needs_review(self) -> bool:
        """True if the instructor should look at this plan (any flag)."""
        return bool(self.flags)

    @property
    def max(self) -> float:
        """Points available."""
        return sum(item.max_points for item in self.items)

    def item(self, item_id: str) -> ItemResult:
        """The result for one checklist id."""
        return next(item for item in self.items if item.id == item_id)

    def biggest_gains(self, count: int = 2) -> list[ItemResult]:
        """The items whose improvement would gain the most points."""
        open_items = [item for item in self.items if item.points < item.max_points]
        return sorted(open_items, key=lambda i: (-(i.max_points - i.points), self.items.index(i)))[:count]

    def to_dict(self) -> dict[str, Any]:
        """The report in the public JSON format (see README: `score --json`)."""
        return {
            "vignette": self.vignette_id,
            "grader_version": self.grader_version,
            "total": self.total,
            "max": self.max,
            "flags": [flag.to_dict() for flag in self.flags],
            "items": [item.to_dict() for item in self.items],
        }


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _result(item: ChecklistItem, outcome: Outcome, values: dict[str, str]) -> ItemResult:
    wording = item.text_for(outcome.code if outcome.code in item.feedback else outcome.status)
    fill = _Blank({**values, **outcome.values})
    return ItemResult(
        id=item.id,
        name=item.name,
        status=outcome.status,
        points=item.weight * _SHARE[outcome.status],
        max_points=float(item.weight),
        evidence=tuple(outcome.evidence),
        feedback=wording.feedback.format_map(fill),
        next_step=wording.next_step.format_map(fill),
        outcome=outcome.code,
    )


def score_plan(plan: Plan, vignette: Vignette, *, conversation_required: bool = False) -> PlanReport:
    """Score a plan against a case: every plan item met, partial or missing, with evidence.

    `conversation_required` is set by exercises with the scripted client's panel: there a plan with
    no conversation cannot earn `collaboration` or `commitment_check` (course/scoring/conversation.py)."""
    from course.scoring.conversation import with_conversation

    checklist = load_checklist()
    _ = vignette.key  # an exam case without its key cannot be scored: say so clearly
    reading = PlanReading(plan, vignette)
    values = {"name": vignette.client.name, "their": vignette.client.possessive}
    gate = _gate(reading)
    items = []
    for item in checklist.plan_items:
        if gate is not None:
            code, extra = gate
            wording = checklist.gates[code]
            fill = _Blank({**values, **extra})
            items.append(
                ItemResult(
                    id=item.id, name=item.name, status="missing", points=0.0, max_points=float(item.weight),
                    evidence=(), feedback=wording.feedback.format_map(fill),
                    next_step=wording.next_step.format_map(fill), outcome=code,
                )
            )
            continue
        outcome = with_conversation(item.id, RULES[item.id](reading), reading, conversation_required)
        items.append(_result(item, outcome, values))
    flags: list[Flag] = []
    if gate is not None:
        flags.append(Flag(gate[0], items[0].feedback))
    else:
        reason = safety_gate(reading)
        if reason:
            flags.append(Flag("safety_cap", checklist.gates["safety_cap"].feedback.format_map(_Blank({**values, "reason": reason}))))
    return PlanReport(vignette.id, tuple(items), gate[0] if gate else None, tuple(flags))


def _gate(reading: PlanReading) -> tuple[str, dict[str, str]] | None:
    if reading.is_gamed:
        flags = reading.gaming.most_common()
        how = " and ".join(flag for flag, _ in flags[:2]) or "keyword lists"
        return "gamed", {"how": how}
    anchored, reason = reading.case_anchor()
    if not anchored:
        return "other_case", {"reason": reason}
    return None
