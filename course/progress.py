"""A self-study learner's progress: what is done in each module and how each checklist behaviour
scored across the saved plans. Reads the answers files; never writes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from course.answers import AnswersFile, answers_path
from course.assignments import Assignment, Exercise, load_course
from course.checklist import load_checklist


@dataclass
class ExerciseProgress:
    """One exercise: saved or not, and its score when it can be scored in the notebook."""

    assignment: str
    exercise: str
    kind: str
    saved: bool
    points: float | None = None
    max_points: float | None = None
    note: str = ""


@dataclass
class Progress:
    """Every exercise's state, and each checklist behaviour's share of points across plans."""

    exercises: list[ExerciseProgress] = field(default_factory=list)
    behaviours: dict[str, list[float]] = field(default_factory=dict)

    def module_summary(self) -> list[tuple[str, str, int, int, float, float]]:
        """(assignment id, title, exercises saved, exercises, points, max points) per module."""
        rows = []
        for assignment in load_course().assignments:
            mine = [e for e in self.exercises if e.assignment == assignment.id]
            points = sum(e.points or 0 for e in mine)
            maximum = sum(e.max_points or 0 for e in mine if e.max_points is not None)
            rows.append((assignment.id, assignment.title, sum(e.saved for e in mine), len(mine), points, maximum))
        return rows

    def behaviour_summary(self) -> list[tuple[str, str, int, float | None]]:
        """(checklist id, name, times scored, mean share earned 0-1 or None) in checklist order."""
        rows = []
        for item in load_checklist().items:
            shares = self.behaviours.get(item.id, [])
            rows.append((item.id, item.name, len(shares), sum(shares) / len(shares) if shares else None))
        return rows


def _folder_for(course_folder: Path, assignment: Assignment) -> Path:
    return course_folder / assignment.id


def _score(exercise: Exercise, folder: Path, progress: Progress, assignment_id: str) -> ExerciseProgress:
    path = answers_path(exercise.id, folder)
    loaded = AnswersFile(path).load(move_aside=False)
    entry = ExerciseProgress(assignment_id, exercise.id, exercise.kind, saved=loaded.data is not None)
    if loaded.data is None:
        entry.note = "not started" if not loaded.message else "saved answers cannot be read"
        return entry
    try:
        _score_kind(exercise, loaded.data, entry, progress, folder)
    except Exception as exc:  # a broken answers file must not break the whole page
        entry.note = f"could not be scored here ({type(exc).__name__})"
    return entry


def _score_kind(exercise: Exercise, data: dict, entry: ExerciseProgress, progress: Progress, folder: Path) -> None:
    if exercise.kind == "plan":
        from course.plans import plan_from_data
        from course.scoring import score_plan
        from course.vignettes import get_vignette

        case = get_vignette(str(folder / exercise.case) if exercise.case.endswith(".yaml") else exercise.case)
        if case.answer_key is None:
            entry.note = "exam case: graded by your instructor"
            return
        report = score_plan(plan_from_data(data), case, conversation_required=exercise.conversation)
        entry.points, entry.max_points = report.total, report.max
        for item in report.items:
            progress.behaviours.setdefault(item.id, []).append(item.points / item.max_points)
    elif exercise.kind == "review":
        from course.reviews import ReviewScript
        from course.scoring.review import score_review
        from course.vignettes import get_vignette

        result, _, _ = score_review(ReviewScript.model_validate(data), get_vignette(exercise.case))
        entry.points, entry.max_points = result.points, result.max_points
        progress.behaviours.setdefault("review", []).append(result.points / result.max_points)
    elif exercise.kind == "spotting":
        from course.spotting import SpottingAnswers, score_spotting
        from course.vignettes import get_vignette

        report = score_spotting(SpottingAnswers.model_validate(data), get_vignette(exercise.case))
        entry.points, entry.max_points = report.total, report.max
    elif exercise.kind == "concept":
        from course.concepts import ConceptAnswers, get_question, score_concept

        answers = ConceptAnswers.model_validate(data)
        result = score_concept(get_question(exercise.question or answers.question_id), answers.selected)
        entry.points, entry.max_points = result.points, result.max_points
    elif exercise.kind == "code":
        from course.research_checks import points_from

        entry.points, entry.max_points = points_from(data)
    elif exercise.kind == "self_rating":
        entry.note = "compared with your grade in the graded feedback"
    else:
        entry.note = "run the notebook's check cells to see the score"


def collect_progress(course_folder: str | os.PathLike[str] | None = None) -> Progress:
    """Progress across the course; `course_folder` holds the assignment folders (default: the
    parent of the current notebook's folder)."""
    root = Path(course_folder) if course_folder is not None else Path.cwd().parent
    progress = Progress()
    for assignment in load_course().assignments:
        folder = _folder_for(root, assignment)
        for exercise in assignment.exercises:
            progress.exercises.append(_score(exercise, folder, progress, assignment.id))
    return progress
