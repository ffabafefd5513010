"""The instructor's path for real: nbgrader's exchange with several trainees, tampered and broken
submissions, parallel cohort grading that resumes, feedback each trainee alone can fetch, CSV export."""

from __future__ import annotations

import csv
import json
import os
import re
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
from course.disputes import dispute
from course.nbgrader_run import run_nbgrader
from course.plans import plan_from_data
from course.scoring import GRADER_VERSION, score_plan
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


def _keyword_bag_plan(exercise) -> dict:
    from plan_variants import keyword_bag, reference

    case = get_vignette(exercise.case)
    return keyword_bag(reference(case)).model_dump(mode="json")


PRIYA, JORDAN = ASSIGNMENT.exercises[1], ASSIGNMENT.exercises[2]
UNREADABLE = {MAYA: b'{"goal": "walk da', PRIYA: b'["a", "list"]', JORDAN: bytes(range(256))}


def _work(student: str, fetched: Path) -> None:
    """What each trainee did before submitting."""
    if student == "dave":  # no answers folder at all
        return
    (fetched / "answers").mkdir()
    if student == "fay":  # truncated JSON, a JSON array, random bytes
        for exercise, raw in UNREADABLE.items():
            (fetched / exercise.answers_file).write_bytes(raw)
    elif student == "gus":  # opened a copy of the notebook and submitted only that
        (fetched / ASSIGNMENT.notebook).rename(fetched / ASSIGNMENT.notebook.replace(".ipynb", "-Copy1.ipynb"))
    else:
        plan = reference_answers(MAYA) if student in ("alice", "carol") else WEAK
        (fetched / MAYA.answers_file).write_text(json.dumps(plan))
    if student == "alice":
        for exercise in (PRIYA, JORDAN):
            (fetched / exercise.answers_file).write_text(json.dumps(reference_answers(exercise)))
    if student == "bob":
        (fetched / PRIYA.answers_file).write_text(json.dumps(_keyword_bag_plan(PRIYA)))
        dispute("03-maya", "rationale", "I explained why the walk helps her mood.", fetched)
    if student == "carol":
        _tamper(fetched / ASSIGNMENT.notebook)
    if student == "eve":
        _hang(fetched / ASSIGNMENT.notebook)


TRAINEES = ["alice", "bob", "carol", "dave", "eve", "fay", "gus"]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A course released through the exchange to seven trainees who each submitted something
    different, and an eighth on the roster who submitted nothing."""
    base = tmp_path_factory.mktemp("cohort")
    root, exchange_dir = base / "course", base / "exchange"
    shutil.copytree(ROOT / "source" / A, root / "source" / A)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    run_nbgrader(["generate_assignment", A, "--force"], root)
    run_nbgrader(["db", "student", "add", "hana", "--last-name=Ito", "--first-name=Hana"], root)
    instructor = exchange.instructor_config(root, COURSE.course_id, exchange_dir)
    exchange.release(instructor, A)
    configs = {}
    for student in TRAINEES:
        home = base / "trainees" / student
        home.mkdir(parents=True)
        configs[student] = exchange.student_config(home, student, COURSE.course_id, exchange_dir)
        fetched = exchange.fetch(configs[student], A)
        _work(student, fetched)
        exchange.submit(configs[student], A)
    exchange.collect(instructor, A)
    outcomes = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    return {"base": base, "root": root, "instructor": instructor, "configs": configs, "outcomes": outcomes}


def test_every_submission_was_collected(cohort):
    assert sorted(p.name for p in (cohort["root"] / "submitted").iterdir()) == TRAINEES


def test_scores_are_what_the_answers_deserve(cohort):
    root = cohort["root"]
    for student, plan in [("alice", reference_answers(MAYA)), ("bob", WEAK)]:
        for grade_id, points in _expected(plan).items():
            assert _grade(root, student, grade_id) == points, (student, grade_id)
    assert sum(_expected(reference_answers(MAYA)).values()) == 20
    assert 0 < sum(_expected(WEAK).values()) < 20


def test_tampered_cells_are_graded_with_the_original_cells(cohort):
    root = cohort["root"]
    carol = cohort["outcomes"]["carol"]
    assert carol.status == "graded_with_notes" and carol.restored_cells == 3
    assert "3 deleted cells put back from the release before grading" in carol.notes
    assert "1 locked cell edited, graded with the originals (03-maya__goal_link; nbgrader: checksum changed)" in carol.notes
    for grade_id, points in _expected(reference_answers(MAYA)).items():
        assert _grade(root, "carol", grade_id) == points, grade_id
    graded = nbformat.read(root / "autograded" / "carol" / A / ASSIGNMENT.notebook, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in graded.cells]
    assert "03-maya__rationale" in ids and "03-maya__form" in ids and ids[1] == "header"
    assert graded.cells[0].source.startswith("**Notes from grading**"), "the notes open the autograded notebook"
    [kept] = (root / ".grading-state" / "originals" / "carol" / A).glob(f"*/{ASSIGNMENT.notebook}")
    assert "full marks, please" in kept.read_text(), "the untouched submission is kept for the instructor"


def test_a_missing_answers_folder_scores_zero_with_notes_in_the_summary_and_the_feedback(cohort):
    root, dave = cohort["root"], cohort["outcomes"]["dave"]
    assert dave.status == "graded_with_notes" and dave.grade.score == 0 and dave.grade.max == 60
    assert dave.notes == [f"answers file for {e.id} missing (answers/{e.id}.json): scored 0, counted as not attempted"
                          for e in (MAYA, PRIYA, JORDAN)]
    assert all(_grade(root, "dave", gid) == 0 for gid in _expected(reference_answers(MAYA)))
    run_nbgrader(["generate_feedback", A, "--student", "dave", "--force"], root)
    page = (root / "feedback" / "dave" / A / f"{A}.html").read_text()
    assert "No saved answers found in answers/03-maya.json" in page
    assert "Notes from grading" in page and "answers file for 03-jordan missing" in page


def test_unreadable_answers_are_noted_and_kept_untouched(cohort):
    root, fay = cohort["root"], cohort["outcomes"]["fay"]
    assert fay.status == "graded_with_notes" and fay.grade.score == 0
    assert fay.grade.exercises == {"03-maya": "unreadable", "03-priya": "unreadable", "03-jordan": "unreadable"}
    whys = {"03-maya": "broken JSON", "03-priya": "a JSON list, not the form's object", "03-jordan": "not text"}
    for exercise, raw in UNREADABLE.items():
        [note] = [n for n in fay.notes if exercise.id in n]
        assert "unreadable" in note and whys[exercise.id] in note
        kept = root / note.split("kept as ", 1)[1]
        assert kept.read_bytes() == raw, "the unreadable file is kept byte for byte"


def test_a_renamed_notebook_fails_with_nbgraders_line_and_the_fix(cohort):
    gus = cohort["outcomes"]["gus"]
    assert gus.status == "failed" and gus.grade.score is None
    reason = gus.notes[0]
    assert "Traceback" not in reason
    assert "No notebooks found" in reason and "03-designing-homework-Copy1.ipynb" in reason
    assert f"rename the notebook in submitted/gus/{A}/ to {ASSIGNMENT.notebook}" in reason


def test_every_trainee_has_a_status(cohort):
    outcomes = cohort["outcomes"]
    assert {s: o.status for s, o in outcomes.items()} == {
        "alice": "graded", "bob": "graded_with_notes", "carol": "graded_with_notes", "dave": "graded_with_notes",
        "eve": "graded_with_notes", "fay": "graded_with_notes", "gus": "failed", "hana": "not_submitted"}
    assert outcomes["alice"].notes == [] and outcomes["alice"].grade.score == 60
    assert outcomes["hana"].grade.score is None and outcomes["hana"].grade.max == 60


def test_a_gated_plan_is_marked_needs_review(cohort):
    from nbgrader.api import Gradebook

    notes = cohort["outcomes"]["bob"].notes
    assert any(n.startswith("needs review: 03-priya gamed (No point can be given") for n in notes), notes
    with Gradebook(f"sqlite:///{cohort['root'] / 'gradebook.db'}") as gb:  # the formgrader lists it for review
        assert gb.find_grade("03-priya__goal_link", A, A, "bob").needs_manual_grade
        assert not gb.find_grade("03-maya__goal_link", A, A, "alice").needs_manual_grade


def test_a_hanging_notebook_times_out_and_the_batch_goes_on(cohort):
    eve = cohort["outcomes"]["eve"]
    assert eve.ok and any("time limit" in n and "cell 2" in n for n in eve.notes)
    assert all(cohort["outcomes"][s].ok for s in ["alice", "bob", "carol", "dave", "fay"])
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
    assert float(rows["alice"]["raw_score"]) == 60.0
    assert float(rows["bob"]["raw_score"]) == sum(_expected(WEAK).values())
    assert float(rows["dave"]["raw_score"]) == 0.0 and rows["dave"]["status"] == "graded_with_notes"
    assert "answers file for 03-maya missing" in rows["dave"]["notes"]
    assert rows["hana"]["status"] == "not_submitted" and rows["hana"]["raw_score"] == rows["hana"]["score"] == ""
    assert rows["gus"]["status"] == "failed" and rows["gus"]["score"] == "" and "rename" in rows["gus"]["notes"]
    assert rows["alice"]["grader_version"] == GRADER_VERSION and rows["alice"]["status"] == "graded"
    assert rows["bob"]["disputes"] == "03-maya/rationale: I explained why the walk helps her mood."


def test_the_report_leaves_out_what_was_not_attempted_and_shows_failed_work(cohort):
    import pandas as pd

    root = cohort["root"]
    result = subprocess.run([sys.executable, "-m", "course", "report", A, "--course", str(root)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = root / "reports" / A
    status = pd.read_csv(out / "trainee-status.csv", index_col="student", keep_default_na=False)
    assert status.loc["gus", "status"] == "failed" and status.loc["hana", "status"] == "not_submitted"
    assert status.loc["dave", "not_attempted"] == "03-maya 03-priya 03-jordan"
    assert status.loc["fay", "unreadable"] == "03-maya 03-priya 03-jordan"
    assert status.loc["alice", "grader_version"] == GRADER_VERSION
    matrix = pd.read_csv(out / "behaviour-scores.csv", index_col="student")
    assert sorted(matrix.index) == ["alice", "bob", "carol", "eve"], "nothing attempted: not a row of zeros"
    assert matrix.loc["alice"].min() == 1.0
    page = (out / "report.html").read_text()
    assert "grading failed" in page and "rename the notebook" in page
    one = subprocess.run([sys.executable, "-m", "course", "report", "01-why-homework", "--course", str(root)],
                         capture_output=True, text=True, timeout=300)
    assert one.returncode == 2 and "Module 01-why-homework has no behaviour cells" in one.stderr


def test_grading_again_resumes_and_force_regrades(cohort):
    root = cohort["root"]
    again = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    assert all(again[s].skipped for s in ["alice", "bob", "carol", "dave", "eve", "fay", "hana"])
    assert not again["gus"].skipped and again["gus"].status == "failed", "a failed submission is tried again"
    resubmitted = root / "submitted" / "bob" / A
    nb = nbformat.read(resubmitted / ASSIGNMENT.notebook, as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "03-maya__safety"]
    nbformat.write(nb, resubmitted / ASSIGNMENT.notebook)
    (resubmitted / "timestamp.txt").write_text("2030-01-01 00:00:00.000000 UTC")
    again = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, progress=False)}
    assert not again["bob"].skipped and again["bob"].ok, "a new submission is graded"
    assert again["bob"].restored_cells == 1
    kept = sorted((root / ".grading-state" / "originals" / "bob" / A).iterdir())
    assert [k.name for k in kept][-1] == "2030-01-01-00-00-00.000000-UTC" and len(kept) == 2, "one copy per submission"
    assert "03-maya__safety" in (kept[0] / ASSIGNMENT.notebook).read_text()
    assert "03-maya__safety" not in (kept[1] / ASSIGNMENT.notebook).read_text(), "the resubmission is kept untouched"
    assert again["alice"].skipped
    forced = {o.student: o for o in grade_assignment(root, A, jobs=2, timeout=20, force=True, progress=False)}
    assert not any(o.skipped for o in forced.values() if o.status != "not_submitted")
    assert forced["carol"].notes == cohort["outcomes"]["carol"].notes, "a regrade repairs from the untouched copy"


def test_grade_command_line_reports_who_failed_and_why(cohort):
    root = cohort["root"]
    broken = root / "submitted" / "zoe" / A
    shutil.copytree(root / "submitted" / "alice" / A, broken)
    (broken / ASSIGNMENT.notebook).write_text("{ not a notebook")
    result = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(root), "--timeout", "20"],
                            capture_output=True, text=True, timeout=300)
    shutil.rmtree(root / "submitted" / "zoe")
    assert result.returncode == 1
    assert "FAILED zoe: " in result.stdout and "already graded 6" in result.stdout
    assert "the submitted notebook cannot be read" in result.stdout and "Fix: ask the trainee" in result.stdout


def test_grade_json_gives_one_object_per_trainee(cohort):
    result = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(cohort["root"]), "--json"],
                            capture_output=True, text=True, timeout=300)
    rows = {r["student"]: r for r in json.loads(result.stdout)}
    assert sorted(rows) == sorted([*TRAINEES, "hana"])
    assert all(set(r) == {"student", "status", "notes", "score", "max"} for r in rows.values())
    assert rows["alice"] == {"student": "alice", "status": "graded", "notes": [], "score": 60.0, "max": 60.0}
    assert rows["hana"]["status"] == "not_submitted" and rows["hana"]["score"] is None
    assert rows["gus"]["status"] == "failed" and "rename the notebook" in rows["gus"]["notes"][0]


def _half_graded(root: Path) -> list[str]:
    """Submissions in the gradebook with an autograded cell that has no score, other than those
    whose grading failed (kept so the formgrader lists them; the record and export say failed)."""
    from nbgrader.api import Gradebook

    from course.grading_record import load_record

    failed = {s for s, g in load_record(root, A).items() if g.status == "failed"}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return sorted(s.student_id for s in gb.assignment_submissions(A) if s.student_id not in failed
                      and any(g.auto_score is None and g.manual_score is None and g.cell.cell_type == "code"
                             for nb in s.notebooks for g in nb.grades))


def _interrupt(root: Path, signals: int) -> subprocess.CompletedProcess:
    """Start `course grade` as a terminal would (its own process group), wait until one new
    submission is graded, then press Ctrl-C `signals` times (SIGINT to the whole group)."""
    import os
    import signal
    import time

    from course.grading_record import load_record

    before = {s for s, g in load_record(root, A).items() if g.graded}
    process = subprocess.Popen([sys.executable, "-m", "course", "grade", A, "--course", str(root), "--jobs", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not ({s for s, g in load_record(root, A).items() if g.graded} - before):
        time.sleep(0.2)
    time.sleep(1.0)  # the next submission is now in flight
    for _ in range(signals):
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.3)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_ctrl_c_stops_queued_work_leaves_no_half_grade_and_a_rerun_resumes(cohort):
    from course.grading_record import load_record

    root = cohort["root"]
    new = [f"late-{n}" for n in range(6)]
    for student in new:
        shutil.copytree(root / "submitted" / "alice" / A, root / "submitted" / student / A)
    first = _interrupt(root, signals=1)
    assert first.returncode == 130, first.stderr
    assert "Ctrl-C: " in first.stderr and "finishing the 1 in flight" in first.stderr
    done = re.search(r"done (\d+) this run", first.stdout)
    left = re.search(r"left (\d+)", first.stdout)
    assert done and left and int(left.group(1)) >= 3, first.stdout
    assert "Run `python -m course grade 03-designing-homework` again to resume." in first.stdout
    assert _half_graded(root) == []
    graded = {s for s, g in load_record(root, A).items() if g.graded}
    assert 2 <= len(graded & set(new)) < len(new), "the one in flight finished, the queue did not start"

    second = _interrupt(root, signals=2)
    assert second.returncode == 130
    assert "Abandoned in flight and taken out of the gradebook" in second.stdout, second.stdout + second.stderr
    assert _half_graded(root) == [], "an abandoned submission is not left half graded"

    rerun = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(root), "--json"],
                           capture_output=True, text=True, timeout=300)
    rows = {r["student"]: r for r in json.loads(rerun.stdout)}
    assert all(rows[s]["status"] == "graded" and rows[s]["score"] == 60.0 for s in new), rows
    assert _half_graded(root) == []


def test_dry_run_shows_what_a_changed_grader_would_change(cohort):
    from nbgrader.api import Gradebook

    from course.grading_record import load_record, save_record

    root = cohort["root"]
    dry = [sys.executable, "-m", "course", "grade", A, "--course", str(root), "--dry-run"]
    same = subprocess.run(dry, capture_output=True, text=True, timeout=300)
    assert same.returncode == 0 and "No grade would change." in same.stdout, same.stdout + same.stderr
    # As if alice had been graded by an older grader that gave 0 for goal_link.
    record = load_record(root, A)
    record["alice"].grader_version = "1.9.0"
    save_record(root, A, record)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("03-maya__goal_link", A, A, "alice")
        grade.auto_score = 0.0
        gb.db.commit()
    changed = subprocess.run(dry, capture_output=True, text=True, timeout=300)
    assert changed.returncode == 0
    assert f"Current grader {GRADER_VERSION}; 1 of" in changed.stdout and "graded with 1.9.0" in changed.stdout
    assert "  alice (grader 1.9.0): +2 points" in changed.stdout
    assert "      03-maya goal_link: 0 -> 2" in changed.stdout
    assert _grade(root, "alice", "03-maya__goal_link") == 0.0, "a dry run writes nothing"
    regraded = subprocess.run([sys.executable, "-m", "course", "grade", A, "--course", str(root), "--force",
                               "--timeout", "20"],
                              capture_output=True, text=True, timeout=600)
    assert _grade(root, "alice", "03-maya__goal_link") == 2.0, regraded.stdout
    assert load_record(root, A)["alice"].grader_version == GRADER_VERSION


def test_a_release_without_generate_assignment_is_named_in_nbgraders_words_with_the_fix(tmp_path, monkeypatch):
    """Defect 1 end to end: 04 released from the committed release/ without generate_assignment (so not in
    the gradebook), submitted by alice and by bob (who renamed his notebook), collected, then graded."""
    four = "04-reviewing-homework"
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")  # collect runs alembic
    root, exchange_dir = tmp_path / "course", tmp_path / "exchange"
    shutil.copy(ROOT / "nbgrader_config.py", root.mkdir() or root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source" / four, root / "source" / four)
    shutil.copytree(ROOT / "release" / four, root / "release" / four)
    instructor = exchange.instructor_config(root, COURSE.course_id, exchange_dir)
    exchange.release(instructor, four)
    for student in ("alice", "bob"):
        (tmp_path / student).mkdir()
        config = exchange.student_config(tmp_path / student, student, COURSE.course_id, exchange_dir)
        fetched = exchange.fetch(config, four)
        if student == "bob":
            (fetched / f"{four}.ipynb").rename(fetched / f"{four}-Copy1.ipynb")
        exchange.submit(config, four)
    exchange.collect(instructor, four)
    grade = [sys.executable, "-m", "course", "grade", four, "--course", str(root), "--timeout", "60"]

    before = subprocess.run(grade, capture_output=True, text=True, timeout=300)
    assert before.returncode == 2 and "Traceback" not in before.stderr, before.stderr
    line = f"No assignment with ID '{four}' exists in the database"
    assert f"nbgrader: {line}" in before.stderr, before.stderr
    assert f"Fix: nbgrader generate_assignment {four} --force" in before.stderr
    nbgrader_says = run_nbgrader(["autograde", four, "--student", "alice"], root, check=False)
    assert nbgrader_says.returncode != 0 and line in nbgrader_says.stdout + nbgrader_says.stderr, \
        "the line quoted is nbgrader's own"

    run_nbgrader(["generate_assignment", four, "--force"], root)  # the fix, as printed
    after = subprocess.run(grade, capture_output=True, text=True, timeout=600)
    assert after.returncode == 1, after.stdout + after.stderr
    [failed] = [row for row in after.stdout.splitlines() if "FAILED" in row]
    assert failed.startswith("  FAILED bob: No notebooks found") and "Traceback" not in after.stdout, after.stdout
    assert f"submitted: {four}-Copy1.ipynb; expected: {four}.ipynb" in failed
    assert f"Fix: rename the notebook in submitted/bob/{four}/ to {four}.ipynb, then rerun" in failed
    assert "  alice: graded_with_notes 0/" in after.stdout


def test_a_bare_traceback_from_nbgrader_is_never_the_reason_given(tmp_path):
    """The worker's path with real nbgrader: its API returns a log whose last [ERROR] lines are generic
    and a bare traceback; the reason is the NbGraderException line, then the fix."""
    four = "04-reviewing-homework"
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copytree(ROOT / "release" / four, tmp_path / "release" / four)
    shutil.copytree(ROOT / "release" / four, tmp_path / "submitted" / "alice" / four)
    code = (f"from course.cohort_grading import _grade_in_worker, _worker_start\n"
            f"_worker_start({str(tmp_path)!r}, 30)\n"
            f"print(_grade_in_worker({four!r}, 'alice', [{four + '.ipynb'!r}])['reason'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reason = result.stdout.strip()
    assert reason == (f"No assignment with ID '{four}' exists in the database. Fix: nbgrader generate_assignment "
                      f"{four} --force (run in the course folder), then rerun"), reason


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


def test_a_written_reflection_is_noted_as_needing_manual_grading(tmp_path):
    """(A reflection left as the blank stub is scored 0 by nbgrader itself and needs no grader.)"""
    one = "01-why-homework"
    root, exchange_dir = tmp_path / "course", tmp_path / "exchange"
    shutil.copytree(ROOT / "source" / one, root / "source" / one)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    run_nbgrader(["generate_assignment", one, "--force"], root)
    instructor = exchange.instructor_config(root, COURSE.course_id, exchange_dir)
    exchange.release(instructor, one)
    (tmp_path / "ida").mkdir()
    config = exchange.student_config(tmp_path / "ida", "ida", COURSE.course_id, exchange_dir)
    fetched = exchange.fetch(config, one)
    notebook = fetched / f"{one}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "01-reflection":
            cell.source = "Homework carries the session into the week; I will review it every time."
    nbformat.write(nb, notebook)
    exchange.submit(config, one)
    exchange.collect(instructor, one)
    [ida] = grade_assignment(root, one, jobs=1, timeout=60, progress=False)
    assert ida.status == "graded_with_notes"
    assert "01-reflection needs manual grading (formgrader)" in ida.notes


def test_a_failure_logged_as_a_bare_traceback_gives_the_exception_line():
    from course.grading_notes import failure_reason

    log = "[ERROR] Traceback (most recent call last):\n"
    error = ('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
             "ValueError: Unknown string format: 2026-11-21 10:00:60.000000 UTC\n")
    reason = failure_reason(log, error, A, [ASSIGNMENT.notebook], "ada60")
    assert reason.startswith("ValueError: Unknown string format: 2026-11-21 10:00:60"), reason
    assert "Traceback" not in reason
