"""`python -m course grade ASSIGNMENT --dry-run`: what re-grading with the current grader would change.

For every graded submission, the saved answers are scored again with the current grader (the same
pure functions the test cells call) and compared, trainee by trainee and behaviour by behaviour, with
the autograder's score in the gradebook. Nothing is written. Manual scores are not touched by a
re-grade, so they are not compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from course.grading_record import load_record


@dataclass(frozen=True)
class Change:
    """One behaviour of one exercise whose points would change."""

    student: str
    exercise: str
    behaviour: str
    before: float
    after: float


def current_points(folder: Path, exercise) -> dict[str, float] | None:
    """Points per behaviour the current grader gives an exercise's saved answers (plan or review),
    or None when this exercise is not scored per behaviour here (other kinds, the capstone)."""
    from course.plans import PlanError, plan_from_data
    from course.scoring import score_plan
    from course.vignettes import get_vignette

    if exercise.kind not in ("plan", "review") or exercise.case.endswith(".yaml"):
        return None
    try:
        data = json.loads((folder / exercise.answers_file).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        data = None
    vignette = get_vignette(exercise.case)
    if exercise.kind == "review":
        from course.reviews import ReviewScript
        from course.scoring.review import score_review

        try:
            result, _, _ = score_review(ReviewScript.model_validate(data), vignette)
            return {"review": result.points}
        except (ValueError, TypeError):
            return {"review": 0.0}
    try:
        report = score_plan(plan_from_data(data if isinstance(data, dict) else {}), vignette,
                            conversation_required=exercise.conversation)
    except PlanError:
        return None
    scale = report.scale if report.capped else 1.0
    return {item.id: round(item.points * scale, 3) if scale != 1.0 else item.points for item in report.items}


def preview(root: Path, assignment: str) -> tuple[list[Change], dict[str, str], int]:
    """The changes, each graded trainee's recorded grader version, and how many trainees were compared."""
    from nbgrader.api import MissingEntry

    from course.assignments import load_course
    from course.cohort_grading import _gradebook

    exercises = load_course().assignment(assignment).exercises
    record = {s: g for s, g in load_record(root, assignment).items() if g.graded}
    changes = []
    with _gradebook(root) as gb:
        for student in sorted(record):
            folder = root / "submitted" / student / assignment
            for exercise in exercises:
                points = current_points(folder, exercise)
                for behaviour, after in (points or {}).items():
                    try:
                        grade = gb.find_grade(f"{exercise.id}__{behaviour}", assignment, assignment, student)
                    except MissingEntry:
                        continue
                    before = float(grade.auto_score or 0.0)
                    if abs(before - after) > 1e-9:
                        changes.append(Change(student, exercise.id, behaviour, before, after))
    return changes, {s: g.grader_version or "unknown" for s, g in record.items()}, len(record)


def preview_text(root: Path, assignment: str) -> str:
    """The dry run in words: versions, then before -> after per trainee and behaviour, then totals."""
    from course.scoring import GRADER_VERSION

    changes, versions, compared = preview(root, assignment)
    old = sorted(set(versions.values()) - {GRADER_VERSION})
    lines = [f"{assignment}: dry run, nothing written. Current grader {GRADER_VERSION}; "
             + (f"{sum(v != GRADER_VERSION for v in versions.values())} of {compared} graded trainees were "
                f"graded with {', '.join(old)}." if old else f"all {compared} graded trainees were graded with it.")]
    if not changes:
        lines.append("No grade would change.")
        return "\n".join(lines)
    for student in sorted({c.student for c in changes}):
        mine = [c for c in changes if c.student == student]
        delta = sum(c.after - c.before for c in mine)
        lines.append(f"  {student} (grader {versions[student]}): {delta:+g} points")
        lines += [f"      {c.exercise} {c.behaviour}: {c.before:g} -> {c.after:g}" for c in mine]
    lines.append(f"{len({c.student for c in changes})} trainee(s) would change. To apply: "
                 f"python -m course grade {assignment} --force (manual scores are kept).")
    return "\n".join(lines)
