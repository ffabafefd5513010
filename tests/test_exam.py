"""Private exam cases: `python -m course exam new/set-key/check`, then the whole nbgrader path
(generate, release, fetch, submit, collect, grade) in an instructor's own course folder."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course.assignments import load_course
from course.checklist import plan_item_ids
from course.datafiles import read_yaml
from course.exam import GRADER_ONLY, ExamFolder, check_exam, exam_answers_files, new_exam, read_key
from course.nbgrader_run import run_nbgrader

from conftest import ROOT

EXAM = "exam-spring"
# An invented case from the frozen blind set, standing in for the case an instructor writes. It is not
# shipped with the course, so it is the kind of private case an exam needs (the blind set is not edited).
WRITTEN_CASE = ROOT / "tests" / "fixtures" / "blind" / "cases" / "ba-nora-sleep.yaml"


def course(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd or ROOT)


def instructor_writes_the_case(folder: ExamFolder, tmp_path: Path) -> Path:
    """Fill case.yaml (public part) and write the key to a file outside the course folder, as the docs say."""
    data = read_yaml(WRITTEN_CASE)
    data.update(id=folder.exam_id, use="exam")
    key = {section: data[section] for section in GRADER_ONLY} | {"answer_key": data.pop("answer_key")}
    key["answer_key"]["reference_plan"]["vignette_id"] = folder.exam_id
    key["answer_key"]["spotting"] = [{"turn": i, "behaviours": turn.pop("behaviours")}
                                     for i, turn in enumerate(data["transcript"]) if turn.get("behaviours")]
    for section, fields in GRADER_ONLY.items():
        data[section] = [{k: v for k, v in entry.items() if k not in fields} for entry in data[section]]
    folder.case_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    key_file = tmp_path / "private" / "key.yaml"
    key_file.parent.mkdir()
    key_file.write_text(yaml.safe_dump(key, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return key_file


def test_new_exam_starts_from_the_blank_template_outside_the_repository(tmp_path):
    root = tmp_path / "my-exams"
    result = course("exam", "new", EXAM, "--course-dir", str(root))
    assert result.returncode == 0, result.stderr
    folder = ExamFolder(root, EXAM)
    case = read_yaml(folder.case_file)
    assert case["id"] == EXAM and case["use"] == "exam" and "answer_key" not in case
    assert "TODO" in case["presenting_problem"], "a blank template, not a shipped case"
    assert "TODO" in read_key(folder) and "reference_plan" in read_key(folder)
    assert (root / "nbgrader_config.py").exists() and (root / "exchange").is_dir()
    assert "exam check" in result.stdout and "generate_assignment" in result.stdout
    not_ready = course("exam", "check", EXAM, "--course-dir", str(root))
    assert not_ready.returncode == 1 and "TODO left" in not_ready.stdout and "not ready" in not_ready.stdout
    again = course("exam", "new", EXAM, "--course-dir", str(root))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_exam_refuses_the_repository_a_shipped_id_and_a_bad_id(tmp_path):
    inside = course("exam", "new", EXAM, "--course-dir", str(ROOT / "private-exams"))
    assert inside.returncode == 2 and "inside the course repository" in inside.stderr
    assert not (ROOT / "private-exams").exists()
    shipped = course("exam", "new", "maya-activation", "--course-dir", str(tmp_path / "x"))
    assert shipped.returncode == 2 and "shipped case" in shipped.stderr
    bad = course("exam", "new", "Exam 1", "--course-dir", str(tmp_path / "x"))
    assert bad.returncode == 2 and "lower-case" in bad.stderr


def test_a_copied_shipped_case_or_a_leaky_public_file_is_not_ready(tmp_path):
    folder = new_exam(tmp_path / "exams", EXAM)
    shipped = read_yaml(ROOT / "course" / "data" / "vignettes" / "maya-activation.yaml")
    key = {"answer_key": shipped.pop("answer_key")}
    key["answer_key"]["reference_plan"]["vignette_id"] = EXAM
    shipped.update(id=EXAM, use="exam")
    folder.case_file.write_text(yaml.safe_dump(shipped, sort_keys=False), encoding="utf-8")
    key_file = tmp_path / "key.yaml"
    key_file.write_text(yaml.safe_dump(key, sort_keys=False), encoding="utf-8")
    assert course("exam", "set-key", EXAM, str(key_file), "--course-dir", str(folder.root)).returncode == 0
    problems = " ".join(check_exam(folder.root, EXAM).problems)
    assert "repeats the shipped case 'maya-activation'" in problems
    assert "which trainees would read" in problems, "the shipped file's cue lists would be public"


@pytest.mark.slow
def test_the_whole_path_with_real_nbgrader(tmp_path):
    root = tmp_path / "my-exams"
    folder = new_exam(root, EXAM)
    key_file = instructor_writes_the_case(folder, tmp_path)
    loaded = course("exam", "set-key", EXAM, str(key_file), "--course-dir", str(root))
    assert loaded.returncode == 0, loaded.stderr
    key_file.unlink()
    ready = course("exam", "check", EXAM, "--course-dir", str(root))
    assert ready.returncode == 0, ready.stdout
    assert "Reference plan: 20/20" in ready.stdout and "ready to release" in ready.stdout
    assert exam_answers_files(root) == {EXAM: [f"answers/{EXAM}.json", f"answers/{EXAM}-self.json"]}

    # the key lives only in the source notebook's hidden tests
    hidden = yaml.safe_load(read_key(folder))
    reference = hidden["answer_key"]["reference_plan"]
    assert "answer_key" not in folder.case_file.read_text()
    run_nbgrader(["generate_assignment", EXAM], root)
    released = "\n".join(p.read_text(errors="replace") for p in (root / "release" / EXAM).rglob("*") if p.is_file())
    for secret in ("EXAM_KEY", "answer_key", "BEGIN HIDDEN TESTS", reference["rationale"][:60],
                   hidden["obstacles"][0]["cues"][0] + '"'):
        assert secret not in released, secret

    # release, two trainees fetch and submit, collect
    course_id = load_course().course_id
    run_nbgrader(["release_assignment", EXAM], root)
    for student, answers in (("ana", True), ("ben", False)):
        home = tmp_path / student
        home.mkdir()
        exchange = [f"--Exchange.root={root / 'exchange'}", f"--Exchange.cache={home / '.cache'}"]
        run_nbgrader(["fetch_assignment", EXAM, f"--course={course_id}", *exchange], home)
        if answers:
            saved = home / EXAM / "answers"
            saved.mkdir()
            (saved / f"{EXAM}.json").write_text(json.dumps(reference))
            ratings = {"schema_version": 1, "vignette_id": EXAM, "ratings": {i: "met" for i in plan_item_ids()}}
            (saved / f"{EXAM}-self.json").write_text(json.dumps(ratings))
        run_nbgrader(["submit", EXAM, f"--course={course_id}", f"--student={student}", *exchange], home)
    run_nbgrader(["collect", EXAM, "--update"], root)

    # graded like the capstone, with the course's own command: a status and notes per trainee
    graded = course("grade", EXAM, "--course", str(root), "--jobs", "2", "--json")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    rows = {row["student"]: row for row in json.loads(graded.stdout)}
    assert rows["ana"] == {"student": "ana", "status": "graded", "notes": [], "score": 21.0, "max": 25.0}
    assert rows["ben"]["status"] == "graded_with_notes" and rows["ben"]["score"] == 0
    assert rows["ben"]["notes"] == [
        f"answers file for {EXAM} missing (answers/{EXAM}.json): scored 0, counted as not attempted",
        f"answers file for {EXAM}-self missing (answers/{EXAM}-self.json): scored 0, counted as not attempted"]
    run_nbgrader(["generate_feedback", EXAM, "--force"], root)
    page = (root / "feedback" / "ben" / EXAM / f"{EXAM}.html").read_text(encoding="utf-8")
    assert "Notes from grading" in page and f"answers file for {EXAM} missing" in page
    assert "EXAM_KEY" not in page, "the feedback keeps the key hidden"

    # the cohort report: ana's plan is assessed per behaviour; ben, who saved nothing, is not assessed (never 0 %)
    report = course("report", EXAM, "--course", str(root))
    assert report.returncode == 0, report.stdout + report.stderr
    out = root / "reports" / EXAM
    scores = (out / "behaviour-scores.csv").read_text()
    assert "ana" in scores and "ben" not in scores
    rates = {r["behaviour"]: r for r in csv.DictReader((out / "cohort-rates.csv").open())}
    assert set(rates) == set(plan_item_ids())
    assert all(r["trainees"] == "1" and r["not_assessed"] == "1" for r in rates.values()), rates
    status = {r["student"]: r for r in csv.DictReader((out / "trainee-status.csv").open())}
    assert status["ben"]["not_attempted"] == f"{EXAM} {EXAM}-self" and status["ana"]["status"] == "graded"
    exported = root / "grades.csv"
    run_nbgrader(["export", "--to", str(exported)], root)
    by_student = {r["student_id"]: r for r in csv.DictReader(exported.open())}
    assert float(by_student["ana"]["score"]) == 21.0 and by_student["ben"]["status"] == "graded_with_notes"
    with sqlite3.connect(root / "gradebook.db") as db:
        scores = dict(db.execute(
            "SELECT s.student_id, SUM(COALESCE(g.manual_score, g.auto_score, 0)) FROM grade g "
            "JOIN submitted_notebook n ON g.notebook_id = n.id JOIN submitted_assignment s ON n.assignment_id = s.id "
            "GROUP BY s.student_id").fetchall())
    assert scores == {"ana": pytest.approx(21.0), "ben": pytest.approx(0.0)}
    feedback = root / "autograded" / "ana" / EXAM / f"{EXAM}.ipynb"
    assert "Self-rating: ✔ met (1/1)." in feedback.read_text(encoding="utf-8")
