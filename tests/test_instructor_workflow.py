"""The instructor's path for real: nbgrader's exchange with several trainees, tampered and broken
submissions, parallel cohort grading that resumes, feedback each trainee alone can fetch, CSV export."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import exchange
from course.answer_keys import reference_answers
from course.assignments import load_course
from course.cohort_grading import grade_assignment, restore_deleted_cells
from course.nbgrader_run import run_nbgrader
from course.plans import plan_from_data
from course.scoring import score_plan
from course.vignettes import get_vignette

from conftest import ROOT

pytestmark = pytest.mark.slow
A = "03-designing-homework"
COURSE = load_course()
ASSIGNMENT = COURSE.assignment(A)
MAYA = ASSIGNMENT.exercises[0]
WEAK = {**reference_answers(MAYA), "rationale": "Homework helps.", "obstacles": [], "summary": "", "risk": "N/A"}


def _expected(plan: dict) -> dict[str, float]:
    report = score_plan(plan_from_data(plan), get_vignette("maya-activation"))
    return {f"03-maya__{i.id}": i.points for i in report.items}


def _grade(root: Path, student: str, grade_id: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_grade(grade_id, A, A, student).score


def _tamper(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "03-maya__goal_link":
            cell.source = "2.0  # full marks, please"
    drop = {"03-maya__rationale", "03-maya__form", "header"}
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    nbformat.write(nb, notebook)


def _hang(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(10_000)"))
    nbformat.write(nb, notebook)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A course released through the exchange to five trainees who each submitted something different."""
    base = tmp_path_factory.mktemp("cohort")
    root, exchange_dir = base / "course", base / "exchange"
    shutil.copytree(ROOT / "source" / A, root / "source" / A)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    run_nbgrader(["generate_assignment", A, "--force"], root)
    instructor = exchange.instructor_config(root, COURSE.course_id, exchange_dir)
    exchange.release(instructor, A)
    configs = {}
    for student in ["alice", "bob", "carol", "dave", "eve"]:
        home = base / "trainees" / student
        home.mkdir(parents=True)
        configs[student] = exchange.student_config(home, student, COURSE.course_id, exchange_dir)
        fetched = exchange.fetch(configs[student], A)
        (fetched / "answers").mkdir()
        answers = {"alice": reference_answers(MAYA), "bob": WEAK, "carol": reference_answers(MAYA), "eve": WEAK}
        if student in answers:  # dave submits without his answers file
            (fetched / MAYA.answers_file).write_text(json.dumps(answers[student]))
        if student == "carol":
            _tamper(fetched / ASSIGNMENT.notebook)
        if student == "eve":
            _hang(fetched / ASSIGNMENT.notebook)
        exchange.submit(configs[student], A)
    exchange.collect(instructor, A)
    outcomes = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    return {"base": base, "root": root, "instructor": instructor, "configs": configs, "outcomes": outcomes}


def test_every_submission_was_collected(cohort):
    assert sorted(p.name for p in (cohort["root"] / "submitted").iterdir()) == ["alice", "bob", "carol", "dave", "eve"]


def test_scores_are_what_the_answers_deserve(cohort):
    root = cohort["root"]
    for student, plan in [("alice", reference_answers(MAYA)), ("bob", WEAK)]:
        for grade_id, points in _expected(plan).items():
            assert _grade(root, student, grade_id) == points, (student, grade_id)
    assert sum(_expected(reference_answers(MAYA)).values()) == 20
    assert 0 < sum(_expected(WEAK).values()) < 20


def test_tampered_cells_are_graded_with_the_original_cells(cohort):
    root = cohort["root"]
    assert cohort["outcomes"]["carol"].ok and cohort["outcomes"]["carol"].restored_cells == 3
    for grade_id, points in _expected(reference_answers(MAYA)).items():
        assert _grade(root, "carol", grade_id) == points, grade_id
    graded = nbformat.read(root / "autograded" / "carol" / A / ASSIGNMENT.notebook, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in graded.cells]
    assert "03-maya__rationale" in ids and "03-maya__form" in ids and ids[0] == "header"
    kept = root / ".grading-state" / "originals" / "carol" / A / ASSIGNMENT.notebook
    assert "full marks, please" in kept.read_text(), "the untouched submission is kept for the instructor"


def test_a_missing_answers_file_scores_zero_with_a_clear_message_in_feedback(cohort):
    root = cohort["root"]
    assert cohort["outcomes"]["dave"].ok
    assert all(_grade(root, "dave", gid) == 0 for gid in _expected(reference_answers(MAYA)))
    run_nbgrader(["generate_feedback", A, "--student", "dave", "--force"], root)
    page = (root / "feedback" / "dave" / A / f"{A}.html").read_text()
    assert "No saved answers found in answers/03-maya.json" in page


def test_a_hanging_notebook_times_out_and_the_batch_goes_on(cohort):
    eve = cohort["outcomes"]["eve"]
    assert eve.ok and "time limit" in eve.note and "cell 2" in eve.note
    assert all(cohort["outcomes"][s].ok for s in ["alice", "bob", "carol", "dave"])
    for grade_id, points in _expected(WEAK).items():  # everything after the stopped cell was graded
        assert _grade(cohort["root"], "eve", grade_id) == points, grade_id


def test_feedback_reaches_each_trainee_and_only_their_own(cohort):
    root = cohort["root"]
    run_nbgrader(["generate_feedback", A, "--force"], root)
    exchange.release_feedback(cohort["instructor"], A)
    for student in ["alice", "bob"]:
        files = exchange.fetch_feedback(cohort["configs"][student], A)
        mine = (root / "feedback" / student / A / f"{A}.html").read_bytes()
        assert len(files) == 1 and files[0].read_bytes() == mine


def test_grades_export_to_csv(cohort):
    root = cohort["root"]
    out = cohort["base"] / "grades.csv"
    run_nbgrader(["export", "--to", str(out)], root)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert float(rows["alice"]["raw_score"]) == 20.0
    assert float(rows["bob"]["raw_score"]) == sum(_expected(WEAK).values())
    assert float(rows["dave"]["raw_score"]) == 0.0


def test_grading_again_resumes_and_force_regrades(cohort):
    root = cohort["root"]
    again = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    assert all(again[s].skipped for s in ["alice", "bob", "carol", "dave", "eve"])
    (root / "submitted" / "bob" / A / "timestamp.txt").write_text("2030-01-01 00:00:00.000000 UTC")
    again = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    assert not again["bob"].skipped and again["bob"].ok, "a new submission is graded"
    assert again["alice"].skipped
    forced = grade_assignment(root, A, jobs=2, timeout=20, force=True, progress=False)
    assert not any(o.skipped for o in forced)


def test_grade_command_line_reports_who_failed_and_why(cohort):
    root = cohort["root"]
    broken = root / "submitted" / "zoe" / A
    shutil.copytree(root / "submitted" / "alice" / A, broken)
    (broken / ASSIGNMENT.notebook).write_text("{ not a notebook")
    result = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(root), "--timeout", "20"],
                            capture_output=True, text=True, timeout=300)
    shutil.rmtree(root / "submitted" / "zoe")
    assert result.returncode == 1
    assert "FAILED zoe" in result.stdout and "already graded 5" in result.stdout


def test_bad_grade_input_is_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "not a course folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_restoring_deleted_cells_keeps_the_trainees_extra_cells_in_place(tmp_path):
    release = ROOT / "release" / A / ASSIGNMENT.notebook
    submitted = tmp_path / "nb.ipynb"
    nb = nbformat.read(release, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("# my own scratch cell"))
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "03-maya__safety"]
    nbformat.write(nb, submitted)
    assert restore_deleted_cells(submitted, release) == 1
    fixed = nbformat.read(submitted, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in fixed.cells]
    master = [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(release, as_version=4).cells]
    assert [i for i in ids if i] == master
    assert fixed.cells[3].source == "# my own scratch cell"
    assert restore_deleted_cells(submitted, release) == 0
