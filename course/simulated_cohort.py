"""Simulated trainees for the demo and the grading benchmarks: plans made from the reference plans by
removing or damaging specific checklist behaviours, so the right grade is known in advance."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from course.checklist import plan_item_ids

Damage = Callable[[dict[str, Any]], None]


def _clear(*fields: str) -> Damage:
    def damage(plan: dict[str, Any]) -> None:
        for name in fields:
            plan[name] = None if name == "confidence" else ([] if name == "obstacles" else "")
    return damage


def _vague_details(plan: dict[str, Any]) -> None:
    plan.update(when="When she has time", where="Wherever suits", frequency="A few times", duration="As long as needed")


def _generic_rationale(plan: dict[str, Any]) -> None:
    plan["rationale"] = "Homework helps and it is evidence-based."


def _bare_agreement(plan: dict[str, Any]) -> None:
    plan["collaboration"] = {"options_offered": "", "client_choice": "Client agreed.", "client_words": ""}
    _drop_moves(plan, "options")


def _no_check(plan: dict[str, Any]) -> None:
    _clear("teach_back", "confidence", "confidence_change")(plan)
    _drop_moves(plan, "teach_back", "confidence", "revise")


def _drop_moves(plan: dict[str, Any], *moves: str) -> None:
    """Take moves out of the plan's conversation with the scripted client (the grader reads it too)."""
    plan["conversation"] = [turn for turn in plan.get("conversation", []) if turn.get("move") not in moves]


def _school_framing(plan: dict[str, Any]) -> None:
    plan.update(framing_word="homework", framing="This homework must be completed every day.")


# Each behaviour's damage removes what a plan needs for that behaviour and nothing else.
DAMAGE: dict[str, Damage] = {
    "goal_link": _clear("goal", "goal_link"),
    "session_link": _clear("takeaway", "takeaway_link"),
    "rationale": _generic_rationale,
    "collaboration": _bare_agreement,
    "specificity": _vague_details,
    "doable_dose": _clear("minimum_version", "hierarchy_step"),
    "obstacles": _clear("obstacles"),
    "commitment_check": _no_check,
    "written_summary": _clear("summary", "summary_format"),
    "review_plan": _clear("record", "review"),
    "framing": _school_framing,
    "fit": _clear("format", "adaptations", "summary_format"),
    "safety": _clear("risk"),
}
LEVELS = {"excellent": 0, "good": 2, "fair": 4, "weak": 7}
NAMES = ["Ada", "Bilal", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jon", "Kemal", "Lea",
         "Mateo", "Nia", "Omar", "Priti", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Viktor", "Wen", "Ximena"]


@dataclass
class SimulatedTrainee:
    """An invented trainee: an id, a level, and which behaviours each of their plans lacks."""

    id: str
    level: str
    damaged: dict[str, list[str]] = field(default_factory=dict)


def simulated_cohort(exercises: list[str], size: int = 20, seed: int = 7) -> list[SimulatedTrainee]:
    """A cohort spread from excellent to weak; deterministic for a seed."""
    rng = random.Random(seed)
    levels = list(LEVELS)
    cohort = []
    for i in range(size):
        level = levels[min(len(levels) - 1, i * len(levels) // size)]
        trainee = SimulatedTrainee(f"{NAMES[i % len(NAMES)].lower()}{i + 1:02d}", level)
        for exercise in exercises:
            count = max(0, LEVELS[level] + rng.choice([-1, 0, 0, 1])) if LEVELS[level] else 0
            trainee.damaged[exercise] = sorted(rng.sample(plan_item_ids(), min(count, len(plan_item_ids()))))
        cohort.append(trainee)
    return cohort


def damaged_plan(reference: dict[str, Any], behaviours: list[str]) -> dict[str, Any]:
    """A copy of a reference plan with the given behaviours damaged."""
    import copy

    plan = copy.deepcopy(reference)
    for behaviour in behaviours:
        DAMAGE[behaviour](plan)
    return plan
