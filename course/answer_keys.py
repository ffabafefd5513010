"""The instructor's answers for an exercise, in the same file format a trainee's form saves.

Used to check that the instructor's answers earn full marks, and to build simulated submissions.
"""

from __future__ import annotations

from typing import Any

from course.assignments import Exercise
from course.checklist import plan_item_ids
from course.vignettes import Vignette, get_vignette


def reference_answers(exercise: Exercise, case: Vignette | None = None) -> dict[str, Any]:
    """The full-marks answers for an exercise (pass `case` for an exam case carrying its hidden key)."""
    if exercise.kind in {"plan", "review", "spotting"}:
        vignette = case or get_vignette(exercise.case)
    if exercise.kind == "plan":
        return vignette.key.reference_plan.model_dump(mode="json")
    if exercise.kind == "review":
        if vignette.review_case is None:
            raise ValueError(f"{vignette.id} has no review case")
        return vignette.review_case.reference_script.model_dump(mode="json")
    if exercise.kind == "spotting":
        ticks = {str(i): list(ids) for i, ids in vignette.spotting_labels().items()}
        return {"schema_version": 1, "vignette_id": vignette.id, "ticks": ticks}
    if exercise.kind == "concept":
        from course.concepts import get_question

        question = get_question(exercise.question)
        return {"schema_version": 1, "question_id": question.id,
                "selected": [o.id for o in question.options if o.correct]}
    if exercise.kind == "self_rating":
        return {"schema_version": 1, "vignette_id": exercise.case,
                "ratings": {item_id: "met" for item_id in plan_item_ids()}}
    raise ValueError(f"exercise {exercise.id} ({exercise.kind}) has no answers file")
