"""What nbgrader test cells call: re-read a trainee's saved answers and return the points for one
checklist behaviour, printing feedback written for the trainee.

Each function returns a number (nbgrader takes a test cell's numeric result as partial credit),
prints only to stdout (anything on stderr would zero the cell), and never raises on a trainee's
missing or broken answers: those earn 0 with a message saying what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from course.answers import AnswersFile, answers_path
from course.checklist import load_checklist
from course.plans import PlanError, plan_from_data
from course.scoring import ItemResult, score_plan
from course.vignettes import Vignette, get_vignette, vignette_from_data

MARK = {"met": "✔ met", "partial": "◐ partly met", "missing": "✘ missing"}


def _say(result: ItemResult) -> float:
    print(f"{result.name}: {MARK[result.status]} ({result.points:g}/{result.max_points:g}). {result.feedback}")
    if result.status != "met":
        print(f"Next step: {result.next_step}")
    return result.points


def _saved(exercise: str, folder: str | os.PathLike[str] | None) -> tuple[dict | None, str]:
    path = answers_path(exercise, folder)
    loaded = AnswersFile(path).load(move_aside=False)
    where = f"answers/{path.name}"
    if loaded.data is None and not loaded.message:
        return None, (f"No saved answers found in {where}. Fill in the form above; it saves as you type "
                      "(the status line says 'Saved').")
    if loaded.data is None:
        return None, f"Your answers in {where} could not be read. Open the notebook and re-run the form cell."
    return loaded.data, ""


def _saved_model(exercise: str, folder, model, label: str, what: str):
    """The saved answers validated as `model`, or None after printing why they earn nothing."""
    from pydantic import ValidationError

    data, problem = _saved(exercise, folder)
    if data is None:
        print(f"{label}: {MARK['missing']}. {problem}")
        return None
    try:
        return model.model_validate(data)
    except (ValidationError, ValueError):
        print(f"{label}: {MARK['missing']}. The saved {what} could not be read; re-run the form cell above.")
        return None


def plan_points(exercise: str, case: str | Vignette, item_id: str, folder: str | os.PathLike[str] | None = None) -> float:
    """Points for one checklist behaviour of the plan saved for an exercise (0 if none saved)."""
    vignette = case if isinstance(case, Vignette) else get_vignette(case)
    item = load_checklist().item(item_id)
    data, problem = _saved(exercise, folder)
    if data is None:
        print(f"{item.name}: {MARK['missing']} (0/{item.weight}). {problem}")
        return 0.0
    try:
        plan = plan_from_data(data)
    except PlanError as exc:
        print(f"{item.name}: {MARK['missing']} (0/{item.weight}). The saved plan has problems: "
              + "; ".join(exc.problems[:3]))
        return 0.0
    from course.assignments import exercise_has_conversation

    report = score_plan(plan, vignette, conversation_required=exercise_has_conversation(exercise))
    points = _say(report.item(item_id))
    print(f"(Scored by grader {report.grader_version}.)")
    for flag in report.flags:
        print(f"Needs review ({flag.id}): {flag.message}")
    if report.capped and points:
        scaled = round(points * report.scale, 3)
        print(f"Safety cap: the plan's total is capped at {report.total:g} of {report.max:g}, so this behaviour "
              f"counts {scaled:g} instead of {points:g} (grader {report.grader_version}).")
        return scaled
    return points


def exam_case(public_case: str | os.PathLike[str], grader_data_yaml: str) -> Vignette:
    """An exam case as the grader sees it: the published case file plus the instructor's hidden key.

    `grader_data_yaml` holds `answer_key` and any grader-only fields (constraints, obstacles, risks
    with their cue lists), which replace the published ones."""
    import yaml

    from course.datafiles import read_yaml

    public = read_yaml(Path(public_case))
    hidden = yaml.safe_load(grader_data_yaml)
    return vignette_from_data({**public, **hidden}, str(public_case))


def review_points(exercise: str, case: str | Vignette, folder: str | os.PathLike[str] | None = None) -> float:
    """Points for the `review` behaviour of a saved review script."""

    from course.reviews import ReviewScript
    from course.scoring.review import score_review

    vignette = case if isinstance(case, Vignette) else get_vignette(case)
    item = load_checklist().item("review")
    script = _saved_model(exercise, folder, ReviewScript, f"{item.name} (0/{item.weight})", "review")
    if script is None:
        return 0.0
    result, _, _ = score_review(script, vignette)
    return _say(result)


def spotting_points(exercise: str, case: str | Vignette, folder: str | os.PathLike[str] | None = None) -> float:
    """Points for a behaviour-spotting exercise: one point per behaviour the transcript shows,
    earned by hits and lost by false alarms."""

    from course.spotting import SpottingAnswers, score_spotting

    vignette = case if isinstance(case, Vignette) else get_vignette(case)
    answers = _saved_model(exercise, folder, SpottingAnswers, "Behaviour spotting (0)", "coding")
    if answers is None:
        return 0.0
    try:
        report = score_spotting(answers, vignette)
    except ValueError:
        print(f"Behaviour spotting: {MARK['missing']} (0). The saved coding is for another case.")
        return 0.0
    print(f"Behaviour spotting for {vignette.client.name}'s session: {report.total:g} of {report.max:g}.")
    return round(report.total, 2)


def concept_points(exercise: str, question_id: str, folder: str | os.PathLike[str] | None = None) -> float:
    """Points for a concept-check question (single: 1 or 0; multi: right picks less wrong picks)."""

    from course.concepts import ConceptAnswers, get_question, score_concept

    question = get_question(question_id)
    answers = _saved_model(exercise, folder, ConceptAnswers, f"Question {question_id} (0)", "answer")
    if answers is None:
        return 0.0
    result = score_concept(question, answers.selected)
    print(f"Question {question_id}: {result.points:g} of {result.max_points:g}.")
    return result.points


def self_rating_points(exercise: str, plan_exercise: str, case: str | Vignette,
                       folder: str | os.PathLike[str] | None = None) -> float:
    """One point for rating every behaviour of one's own plan; prints how the rating compares with
    the automatic grade."""

    from course.self_rating import SelfRating, calibration_sentence, compare

    vignette = case if isinstance(case, Vignette) else get_vignette(case)
    rating = _saved_model(exercise, folder, SelfRating, "Self-rating (0/1)", "self-rating")
    if rating is None:
        return 0.0
    plan_data, _ = _saved(plan_exercise, folder)
    if plan_data is not None:
        try:
            rows = compare(rating, score_plan(plan_from_data(plan_data), vignette))
            print(calibration_sentence(rows))
            for row in rows:
                print(f"  {row.name}: you said {row.mine or 'nothing'}, the automatic grade says {row.automatic}")
        except PlanError:
            pass
    if not rating.complete:
        print(f"Self-rating: {MARK['partial']} (0/1). Rate every behaviour to earn the point.")
        return 0.0
    print(f"Self-rating: {MARK['met']} (1/1).")
    return 1.0
