"""`python -m course demo`: a throwaway course with about 20 simulated trainees, graded end to end.

Builds a course folder, releases module 03 through nbgrader's exchange, has each simulated trainee
fetch it, save plans (reference plans with chosen behaviours damaged) and submit, then collects,
grades in parallel, generates and releases feedback, lets each trainee fetch their own feedback,
exports grades, checks every grade against the pure scorer, and writes the cohort report.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from course.assignments import load_course
from course.nbgrader_run import gradebook_url
from course.plans import plan_from_data
from course.scoring import score_plan
from course.vignettes import get_vignette

ASSIGNMENT = "03-designing-homework"
REPO = Path(__file__).resolve().parents[1]


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, flush=True)


def run_demo(folder: Path | None = None, size: int = 20, jobs: int | None = None, quiet: bool = False) -> Path:
    """Run the whole instructor path on a simulated cohort; returns the HTML report's path."""
    from course import exchange
    from course.cohort_grading import grade_assignment, summary
    from course.nbgrader_run import run_nbgrader
    from course.reports import write_report
    from course.simulated_cohort import damaged_plan, simulated_cohort

    if not (REPO / "source" / ASSIGNMENT).exists():
        raise ValueError(f"the course's source/ folder was not found next to the package ({REPO}); "
                         "run the demo from a clone of the repository (pip install -e .)")
    start = time.perf_counter()
    base = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="between-sessions-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    root, exchange_dir, homes = base / "course", base / "exchange", base / "trainees"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    course = load_course()
    assignment = course.assignment(ASSIGNMENT)
    _say(f"Course folder: {root}", quiet)

    run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], root)
    instructor = exchange.instructor_config(root, course.course_id, exchange_dir)
    exchange.release(instructor, ASSIGNMENT)
    plans = [e for e in assignment.exercises if e.kind == "plan"]
    cohort = simulated_cohort([e.id for e in plans], size=size)
    configs = {}
    for trainee in cohort:
        home = homes / trainee.id
        home.mkdir(parents=True, exist_ok=True)
        configs[trainee.id] = exchange.student_config(home, trainee.id, course.course_id, exchange_dir)
        fetched = exchange.fetch(configs[trainee.id], ASSIGNMENT)
        (fetched / "answers").mkdir(exist_ok=True)
        for exercise in plans:
            reference = get_vignette(exercise.case).key.reference_plan.model_dump(mode="json")
            plan = damaged_plan(reference, trainee.damaged[exercise.id])
            (fetched / exercise.answers_file).write_text(json.dumps(plan, indent=2))
        exchange.submit(configs[trainee.id], ASSIGNMENT)
    exchange.collect(instructor, ASSIGNMENT)
    _say(f"{len(cohort)} simulated trainees fetched, worked on and submitted {ASSIGNMENT}; collected.", quiet)

    outcomes = grade_assignment(root, ASSIGNMENT, jobs=jobs, progress=not quiet)
    _say(summary(outcomes, ASSIGNMENT), quiet)
    run_nbgrader(["generate_feedback", ASSIGNMENT, "--force"], root)
    exchange.release_feedback(instructor, ASSIGNMENT)
    own = sum(_fetch_own_feedback(exchange, configs[t.id], t.id, root) for t in cohort)
    _say(f"Feedback released; {own} of {len(cohort)} trainees fetched exactly their own feedback.", quiet)

    run_nbgrader(["export", "--to", str(base / "grades.csv")], root)
    matching = _check_grades(root, cohort, plans)
    _say(f"Grades match the simulated answers for {matching} of {len(cohort)} trainees "
         f"(every behaviour of every plan checked against the scorer).", quiet)
    files = write_report(gradebook_url(root), base / "report", assignment=ASSIGNMENT,
                         course_title="Between Sessions (demo cohort)")
    _say(f"Grades CSV: {base / 'grades.csv'}\nTrainee x behaviour CSV: {files['scores']}\n"
         f"Heatmap: {files['heatmap']}\nDemo finished in {time.perf_counter() - start:.0f} s. Report:", quiet)
    return files["html"]


def _fetch_own_feedback(exchange_module, config, trainee: str, root: Path) -> int:
    """1 if the trainee fetched exactly one feedback page and it is the one generated for them."""
    files = exchange_module.fetch_feedback(config, ASSIGNMENT)
    theirs = sorted((root / "feedback" / trainee / ASSIGNMENT).glob("*.html"))
    return int(len(files) == len(theirs) == 1 and files[0].read_bytes() == theirs[0].read_bytes())


def _check_grades(root: Path, cohort, plans) -> int:
    from nbgrader.api import Gradebook

    from course.simulated_cohort import damaged_plan

    matching = 0
    with Gradebook(gradebook_url(root)) as gb:
        for trainee in cohort:
            ok = True
            for exercise in plans:
                case = get_vignette(exercise.case)
                reference = case.key.reference_plan.model_dump(mode="json")
                report = score_plan(plan_from_data(damaged_plan(reference, trainee.damaged[exercise.id])), case,
                                    conversation_required=exercise.conversation)
                for item in report.items:
                    grade = gb.find_grade(f"{exercise.id}__{item.id}", ASSIGNMENT, ASSIGNMENT, trainee.id)
                    ok &= grade.score == item.points
            matching += ok
    return matching
