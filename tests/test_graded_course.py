"""The graded course with real nbgrader and real kernels: source built from the specs, release in
sync and clean, notebooks that run, and autograde scores that are what the answers deserve."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.answer_keys import reference_answers
from course.assignments import load_course
from course.nbgrader_run import run_nbgrader
from course.plans import plan_from_data
from course.scoring import score_plan
from course.vignettes import all_vignettes, get_vignette

from conftest import ROOT

pytestmark = pytest.mark.slow
sys.path.insert(0, str(ROOT / "tools"))

COURSE = load_course()
ASSIGNMENTS = [a for a in COURSE.assignments if (ROOT / "source" / a.id / a.notebook).exists()]
IDS = [a.id for a in ASSIGNMENTS]


def _notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


# -- source and release --------------------------------------------------------------------------
def test_source_notebooks_are_built_from_the_specs():
    result = subprocess.run([sys.executable, "tools/build_source.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_source_notebooks_open_with_objectives_time_and_grading_and_have_no_outputs(assignment):
    nb = _notebook(ROOT / "source" / assignment.id / assignment.notebook)
    first = nb.cells[0].source
    assert "**Time:**" in first and "You will be able to" in first and "What is graded" in first
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for exercise in assignment.exercises:
        if exercise.kind in {"plan", "spotting", "concept", "review", "self_rating"}:
            assert any(f'exercise="{exercise.id}"' in c.source for c in nb.cells), f"{exercise.id} has no form cell"


def test_release_is_exactly_what_nbgrader_generates(tmp_path):
    import release

    fresh = release.release_into(tmp_path)
    committed = ROOT / "release"
    fresh_files = _release_files(fresh)
    committed_files = _release_files(committed)
    assert fresh_files == committed_files, "run python tools/release.py"
    for rel in fresh_files:
        assert (fresh / rel).read_bytes() == (committed / rel).read_bytes(), f"release/{rel} is stale: run python tools/release.py"


def _release_files(folder: Path) -> list[Path]:
    """Files nbgrader generates (a learner's own answers, handouts and checkpoints are not part of it)."""
    skip = {"answers", "handouts", ".ipynb_checkpoints"}
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and not skip & set(p.parts))


def _release_text() -> str:
    return "\n".join(p.read_text(errors="replace") for p in (ROOT / "release").rglob("*") if p.is_file())


def test_release_holds_no_solution_hidden_test_reference_plan_or_capstone_key():
    text = _release_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "CAPSTONE_KEY",
                   "answer_key", "reference_plan"):
        assert marker not in text, marker
    for case in all_vignettes():
        ref = case.key.reference_plan
        for passage in (ref.rationale, ref.summary, ref.goal_link):
            assert passage[:80] not in text, f"reference plan text of {case.id} leaked into release/"


def test_capstone_key_lives_only_in_the_source_notebook():
    source = (ROOT / "source" / "07-capstone" / "07-capstone.ipynb").read_text()
    assert "CAPSTONE_KEY" in source and "### BEGIN HIDDEN TESTS" in source
    case = (ROOT / "source" / "07-capstone" / "case.yaml").read_text()
    assert "answer_key" not in case and "reference_plan" not in case
    packaged = "\n".join(p.read_text() for p in (ROOT / "course").rglob("*.yaml"))
    public_id = next(line.split(":", 1)[1].strip() for line in case.splitlines() if line.startswith("id:"))
    assert public_id not in packaged, "the capstone case must not be in the package data"


# -- running the notebooks ------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_every_source_notebook_runs_top_to_bottom(assignment, tmp_path):
    from nbclient import NotebookClient

    folder = tmp_path / assignment.id
    shutil.copytree(ROOT / "source" / assignment.id, folder)
    nb = _notebook(folder / assignment.notebook)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    stderr = [c.source[:60] for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"cells wrote to stderr: {stderr}"


# -- autograding ----------------------------------------------------------------------------------
def _capstone_case():
    from module_notebook import hidden_key

    from course.grading import exam_case

    return exam_case(ROOT / "source" / "07-capstone" / "case.yaml", hidden_key())


def _instructor_answers(assignment, folder: Path) -> None:
    (folder / "answers").mkdir(exist_ok=True)
    for exercise in assignment.exercises:
        if exercise.kind in {"code", "reflection"}:
            continue
        case = _capstone_case() if assignment.id == "07-capstone" and exercise.kind == "plan" else None
        data = reference_answers(exercise, case)
        (folder / exercise.answers_file).write_text(json.dumps(data))


HALF_DONE_BLANKS = {"rationale": "", "obstacles": [], "review": "", "framing": "", "summary": ""}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course folder where three trainees' work has been autograded with nbgrader's own commands."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for assignment in ASSIGNMENTS:
        run_nbgrader(["generate_assignment", assignment.id, "--force"], root)
        release = root / "release" / assignment.id
        instructor = root / "submitted" / "instructor" / assignment.id
        shutil.copytree(release, instructor)
        shutil.copy(root / "source" / assignment.id / assignment.notebook, instructor / assignment.notebook)
        _instructor_answers(assignment, instructor)
        shutil.copytree(release, root / "submitted" / "blank" / assignment.id)
        half = root / "submitted" / "half" / assignment.id
        shutil.copytree(release, half)
        if assignment.id == "03-designing-homework":
            (half / "answers").mkdir()
            plan = {**reference_answers(assignment.exercises[0]), **HALF_DONE_BLANKS}
            (half / "answers" / "03-maya.json").write_text(json.dumps(plan))
        run_nbgrader(["autograde", assignment.id], root)
    return root


def _grades(root: Path, student: str) -> dict[tuple[str, str], tuple[float, float]]:
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in ASSIGNMENTS:
            submission = gb.find_submission(assignment.id, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.cell.cell_type == "code" and not grade.needs_manual_grade:
                        found[(assignment.id, grade.name)] = (grade.score, grade.max_score)
    return found


def test_instructor_answers_earn_full_marks_on_every_autograded_cell(graded):
    grades = _grades(graded, "instructor")
    assert len(grades) >= 39
    short = {k: v for k, v in grades.items() if v[0] != v[1]}
    assert not short, short


def test_untouched_release_scores_zero_with_only_expected_failures(graded):
    grades = _grades(graded, "blank")
    assert sum(score for score, _ in grades.values()) == 0
    for assignment in ASSIGNMENTS:
        nb = _notebook(graded / "autograded" / "blank" / assignment.id / assignment.notebook)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors and not (meta.get("grade") or meta.get("solution")):
                pytest.fail(f"{assignment.id}: a cell that is neither an answer nor a test failed: {cell.source[:80]}")


def test_half_done_plan_earns_exactly_the_behaviours_it_shows(graded):
    grades = _grades(graded, "half")
    assignment = COURSE.assignment("03-designing-homework")
    plan = plan_from_data({**reference_answers(assignment.exercises[0]), **HALF_DONE_BLANKS})
    report = score_plan(plan, get_vignette("maya-activation"))
    assert 0 < report.total < report.max
    for item in report.items:
        assert grades[("03-designing-homework", f"03-maya__{item.id}")][0] == item.points, item.id
    others = {k: v for k, v in grades.items() if not k[1].startswith("03-maya__")}
    assert sum(score for score, _ in others.values()) == 0


def test_feedback_never_shows_hidden_tests(graded):
    run_nbgrader(["generate_feedback", "07-capstone"], graded)
    html = (graded / "feedback" / "instructor" / "07-capstone" / "07-capstone.html").read_text()
    assert "CAPSTONE_KEY" not in html and "BEGIN HIDDEN TESTS" not in html


# -- self-study: the release works with no instructor and no nbgrader command ---------------------
def test_a_self_study_learner_sees_feedback_and_progress_from_release(tmp_path):
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    workspace = tmp_path / "my-course"
    shutil.copytree(ROOT / "release", workspace)
    module = COURSE.assignment("03-designing-homework")
    folder = workspace / module.id
    (folder / "answers").mkdir()
    (folder / "answers" / "03-maya.json").write_text(json.dumps(reference_answers(module.exercises[0])))
    nb = _notebook(folder / module.notebook)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    printed = "\n".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert "✔ met (2/2)" in printed and "Fill in the form above" in printed, "feedback from the check cells"
    start = workspace / "00-start-here"
    nb = _notebook(start / "00-start-here.ipynb")
    nb.cells.append(new_code_cell("print(progress.module_summary()[3])\nprint(progress.behaviour_summary()[0])"))
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(start)}}).execute()
    out = nb.cells[-1].outputs[0]["text"]
    assert "'03-designing-homework'" in out and "20.0, 20.0" in out
    assert "('goal_link'" in out and "1.0)" in out
