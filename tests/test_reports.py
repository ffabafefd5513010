"""Cohort reports from a real nbgrader gradebook: the trainee x behaviour matrix, cohort rates, the
hardest behaviours, next steps in words, manual overrides, the assignment filter, and the files
(CSV, heatmap PNG, one offline HTML page)."""

from __future__ import annotations

import base64
import math
import os
import re
import struct
import sys
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from course.checklist import load_checklist
from course.disputes import dispute
from course.grading_record import TraineeGrade, save_record
from course.reports import (
    ReportError,
    assessed_only,
    behaviour_scores,
    cohort_rates,
    general_next_step,
    gradebook_url,
    hardest,
    heatmap_png,
    next_steps,
    submission_statuses,
    trainee_matrix,
    write_report,
)

# nbgrader's own add_submission warns while it mirrors the assignment's cells; that is not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Object of type:sqlalchemy.exc.SAWarning")
CHECKLIST = load_checklist()
PLAN_ITEMS = CHECKLIST.plan_items
WEIGHT = {item.id: float(item.weight) for item in CHECKLIST.items}
NAME = {item.id: item.name for item in CHECKLIST.items}
DESIGN = "03-designing-homework"
REVIEW = "04-reviewing-homework"
PLAN_EXERCISES = ["03-maya", "03-priya"]
REVIEW_EXERCISE = "04-jamal-review"
TRAINEES = ["ada", "ben", "cal", "dee", "eve"]

# Auto scores that differ from full points: (student, exercise, behaviour) -> auto score.
AUTO = {
    ("ben", "03-maya", "goal_link"): 0.0, ("ben", "03-priya", "goal_link"): 0.0,
    ("ben", "03-maya", "obstacles"): 0.0, ("ben", "03-priya", "obstacles"): 1.0,
    ("ben", "03-maya", "safety"): 0.0, ("ben", "03-priya", "safety"): 0.0,
    ("ben", REVIEW_EXERCISE, "review"): 0.0,
    ("dee", "03-maya", "rationale"): 0.0,
    ("dee", REVIEW_EXERCISE, "review"): 1.0,
    ("eve", "03-maya", "session_link"): 0.0,
}
# A grader's overrides: (student, exercise, behaviour) -> manual score.
MANUAL = {("dee", "03-maya", "rationale"): 2.0, ("dee", "03-priya", "specificity"): 1.0}
# What each trainee submitted.
SUBMITTED = {DESIGN: ["ada", "ben", "cal", "dee", "eve"], REVIEW: ["ada", "ben", "dee", "eve"]}


def _auto(student: str, exercise: str, behaviour: str) -> float:
    if student == "cal":
        return WEIGHT[behaviour] / 2
    return AUTO.get((student, exercise, behaviour), WEIGHT[behaviour])


@pytest.fixture(scope="module", autouse=True)
def _alembic_on_path():
    """nbgrader runs the `alembic` command when it creates a gradebook."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
        yield


def _structure(gb) -> None:
    from nbgrader.api import Gradebook  # noqa: F401 (the gradebook passed in is nbgrader's)

    gb.add_assignment(DESIGN)
    gb.update_or_create_notebook(DESIGN, DESIGN)
    for exercise in PLAN_EXERCISES:
        for item in PLAN_ITEMS:
            gb.update_or_create_grade_cell(f"{exercise}__{item.id}", DESIGN, DESIGN,
                                           max_score=float(item.weight), cell_type="code")
    # Not behaviours: an autograded cell with another suffix, and a manually graded answer whose
    # name ends in a checklist id (a grade cell that is also a solution cell).
    gb.update_or_create_grade_cell("03-maya__concept", DESIGN, DESIGN, max_score=1.0, cell_type="code")
    gb.update_or_create_grade_cell("03-priya__fit-note", DESIGN, DESIGN, max_score=1.0, cell_type="markdown")
    gb.update_or_create_grade_cell("03-jordan__fit", DESIGN, DESIGN, max_score=3.0, cell_type="markdown")
    gb.update_or_create_solution_cell("03-jordan__fit", DESIGN, DESIGN)
    gb.add_assignment(REVIEW)
    gb.update_or_create_notebook(REVIEW, REVIEW)
    gb.update_or_create_grade_cell(f"{REVIEW_EXERCISE}__review", REVIEW, REVIEW,
                                   max_score=WEIGHT["review"], cell_type="code")
    gb.update_or_create_grade_cell("04-why-review__concept", REVIEW, REVIEW, max_score=1.0, cell_type="code")


def _fill(gb, assignment: str, student: str) -> None:
    gb.add_submission(assignment, student)
    submission = gb.find_submission(assignment, student)
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            exercise, _, suffix = grade.cell.name.rpartition("__")
            if suffix in WEIGHT:
                grade.auto_score = _auto(student, exercise, suffix)
                grade.manual_score = MANUAL.get((student, exercise, suffix))
            else:
                grade.auto_score = 0.0
            grade.needs_manual_grade = False
    gb.db.commit()


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    """A real gradebook: five trainees with known scores, and one trainee with no submission."""
    from nbgrader.api import Gradebook

    url = gradebook_url(tmp_path_factory.mktemp("course"))
    with Gradebook(url, course_id="between-sessions") as gb:
        _structure(gb)
        for student in [*TRAINEES, "fay"]:
            gb.add_student(student, first_name=student.title(), last_name="Trainee")
        for assignment, students in SUBMITTED.items():
            for student in students:
                _fill(gb, assignment, student)
        # The manual override really is what nbgrader reports as the final score.
        assert gb.find_grade("03-maya__rationale", DESIGN, DESIGN, "dee").score == 2.0
    return url


@pytest.fixture(scope="module")
def scores(db_url) -> pd.DataFrame:
    return behaviour_scores(db_url)


# -- reading the gradebook ------------------------------------------------------------------------
def test_scores_are_long_format_with_only_checklist_behaviours(scores):
    assert list(scores.columns) == ["student", "assignment", "exercise", "behaviour", "score", "max_score"]
    assert set(scores["behaviour"]) == {item.id for item in PLAN_ITEMS} | {"review"}
    assert set(scores["exercise"]) == {*PLAN_EXERCISES, REVIEW_EXERCISE}  # no concept or manual cells
    plan_rows = 2 * len(PLAN_ITEMS) * len(SUBMITTED[DESIGN])
    assert len(scores) == plan_rows + len(SUBMITTED[REVIEW])
    assert (scores["max_score"] == scores["behaviour"].map(WEIGHT)).all()


def test_students_without_a_submission_are_not_invented(scores):
    assert sorted(scores["student"].unique()) == TRAINEES
    assert "fay" not in trainee_matrix(scores).index


def test_manual_scores_override_auto_scores(scores):
    row = scores[(scores.student == "dee") & (scores.exercise == "03-maya") & (scores.behaviour == "rationale")]
    assert row["score"].tolist() == [2.0]
    matrix = trainee_matrix(scores)
    assert matrix.loc["dee", "rationale"] == 1.0
    assert matrix.loc["dee", "specificity"] == pytest.approx(0.75)  # a lower manual score wins too


def test_assignment_filter(db_url):
    review = behaviour_scores(db_url, REVIEW)
    assert set(review["assignment"]) == {REVIEW}
    assert set(review["behaviour"]) == {"review"}
    assert sorted(review["student"]) == SUBMITTED[REVIEW]
    assert behaviour_scores(db_url, "99-no-such-assignment").empty


# -- the pure functions ---------------------------------------------------------------------------
def test_matrix_values(scores):
    matrix = trainee_matrix(scores)
    order = [item.id for item in CHECKLIST.items]
    assert list(matrix.columns) == order  # every behaviour was assessed here, in checklist order
    assert list(matrix.index) == TRAINEES
    assert (matrix.loc["ada"] == 1.0).all()
    assert matrix.loc["ben", "goal_link"] == 0.0
    assert matrix.loc["ben", "obstacles"] == pytest.approx(0.25)
    assert matrix.loc["ben", "review"] == 0.0
    assert (matrix.loc["cal"].drop("review") == 0.5).all()
    assert math.isnan(matrix.loc["cal", "review"])  # cal never submitted the review assignment
    assert matrix.loc["eve", "session_link"] == pytest.approx(0.5)
    assert matrix.loc["dee", "review"] == pytest.approx(0.5)


def test_matrix_leaves_out_behaviours_never_assessed(db_url):
    matrix = trainee_matrix(behaviour_scores(db_url, REVIEW))
    assert list(matrix.columns) == ["review"]


def test_cohort_rates(scores):
    rates = cohort_rates(scores)
    assert list(rates.columns) == ["name", "mean_share", "trainees", "share_meeting"]
    assert rates.loc["goal_link", "mean_share"] == pytest.approx((1 + 0 + 0.5 + 1 + 1) / 5)
    assert rates.loc["goal_link", "share_meeting"] == pytest.approx(3 / 5)
    assert rates.loc["specificity", "mean_share"] == pytest.approx((1 + 1 + 0.5 + 0.75 + 1) / 5)
    assert rates.loc["specificity", "share_meeting"] == pytest.approx(4 / 5)  # 0.75 counts as meeting
    assert rates.loc["review", "trainees"] == 4
    assert rates.loc["review", "mean_share"] == pytest.approx((1 + 0 + 0.5 + 1) / 4)
    assert rates.loc["review", "share_meeting"] == pytest.approx(2 / 4)
    assert rates.loc["framing", "name"] == NAME["framing"]


def test_hardest(scores):
    # review 0.625; goal_link and safety tie at 0.70 with 3 of 5 meeting: checklist order decides.
    assert list(hardest(scores).index) == ["review", "goal_link", "safety"]
    assert list(hardest(scores, n=1).index) == ["review"]


def test_hardest_never_lists_behaviours_everyone_met(scores):
    ada = scores[scores.student == "ada"]
    assert hardest(ada).empty


def test_next_steps_name_a_weak_trainees_weakest_behaviours(scores):
    steps = next_steps(scores, "ben")
    assert len(steps) == 3
    # All three at 0%: most points lost first (goal_link, 4 points), then checklist order.
    assert steps[0].startswith(f"{NAME['goal_link']}: 0% of the points in both exercises.")
    assert steps[1].startswith(f"{NAME['safety']}: 0% of the points in both exercises.")
    assert steps[2].startswith(f"{NAME['review']}: 0% of the points.")
    assert NAME["obstacles"] not in " ".join(steps)  # weak, but fourth
    assert "Pick one of the client's goals and say how the task serves it." in steps[0]
    assert all("{" not in step and "}" not in step for step in steps)
    assert next_steps(scores, "ben", n=4)[3].startswith(f"{NAME['obstacles']}: 25% of the points, lowest in 03-maya.")


def test_next_steps_say_where_a_behaviour_was_weakest(scores):
    (step,) = next_steps(scores, "eve", n=1)
    assert step.startswith(f"{NAME['session_link']}: 50% of the points, lowest in 03-maya.")


def test_next_steps_for_a_trainee_with_everything_met(scores):
    steps = next_steps(scores, "ada")
    assert len(steps) == 1
    assert f"Full points on all {len(CHECKLIST.items)} behaviours" in steps[0]


def test_next_steps_for_an_unknown_trainee(scores):
    with pytest.raises(KeyError):
        next_steps(scores, "fay")


@pytest.mark.parametrize("item", CHECKLIST.items, ids=[item.id for item in CHECKLIST.items])
def test_every_behaviour_has_a_concrete_next_step(item):
    step = general_next_step(item)
    assert "{" not in step and "}" not in step
    assert len(step) > 30 and step[0].isupper()


# -- the files ------------------------------------------------------------------------------------
def _html(text: str) -> str:
    """Text as the report's template engine escapes it."""
    return str(escape(text))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def report(db_url, tmp_path_factory) -> dict[str, Path]:
    return write_report(db_url, tmp_path_factory.mktemp("report"), course_title="Between Sessions <test>")


def test_report_files(report):
    assert {kind: path.name for kind, path in report.items()} == {
        "status": "trainee-status.csv", "scores": "behaviour-scores.csv", "disputes": "disputes.csv", "rates": "cohort-rates.csv", "heatmap": "heatmap.png", "html": "report.html",
    }
    assert not [p for p in report["html"].parent.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_scores_csv(report):
    text = report["scores"].read_text()
    table = pd.read_csv(report["scores"], index_col="student")
    assert list(table.index) == TRAINEES
    assert list(table.columns) == [item.id for item in CHECKLIST.items]
    assert table.loc["ben", "obstacles"] == 0.25
    assert math.isnan(table.loc["cal", "review"])
    assert "0.50" in text and "1.00" in text  # two decimals


def test_rates_csv(report):
    rates = pd.read_csv(report["rates"], index_col="behaviour")
    assert set(rates["name"]) == set(NAME.values())
    assert rates.loc["goal_link", "mean_share"] == 0.7
    assert rates.loc["review", "trainees"] == 4


def test_heatmap_is_a_real_png(report):
    width, height = _png_size(report["heatmap"])
    assert 700 <= width <= 4000 and 350 <= height <= 4000


def test_heatmap_grows_with_the_cohort(tmp_path):
    ids = [item.id for item in CHECKLIST.items]
    students = [f"trainee-{i:02d}" for i in range(30)]
    matrix = pd.DataFrame([[((i + j) % 5) / 4 for j in range(len(ids))]
                           for i in range(len(students))], index=students, columns=ids)
    matrix.iloc[3, 2] = float("nan")
    small = heatmap_png(matrix.head(3), tmp_path / "small.png")
    large = heatmap_png(matrix, tmp_path / "large.png")
    assert _png_size(large)[1] > _png_size(small)[1] + 30 * 25  # rows keep a readable height


def test_html_report(report):
    page = report["html"].read_text()
    assert page.startswith("<!DOCTYPE html>")
    for student in TRAINEES:
        assert f">{student}<" in page
    not_in = page.split('id="not-assessed"')[1].split("</section>")[0]
    assert '<th scope="row">fay</th><td>03-designing-homework</td><td>not submitted</td>' in not_in
    assert '<th scope="row">cal</th><td>04-reviewing-homework</td><td>not submitted</td>' in not_in
    fay = page.split('id="trainee-6-fay"')[1].split("</section>")[0]
    assert "no advice on behaviours" in fay and "What to work on next" not in fay
    for name in NAME.values():
        assert _html(name) in page
    assert "Between Sessions &lt;test&gt;" in page  # autoescaped
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    embedded = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', page)
    assert embedded and base64.b64decode(embedded.group(1)) == report["heatmap"].read_bytes()
    assert "Heatmap of 5 trainees" in embedded.group(2)
    assert page.count("<th scope=\"col\">") >= 10 and "<caption>" in page


def test_html_sections_show_next_steps(report, scores):
    page = report["html"].read_text()
    for student in TRAINEES:
        for step in next_steps(scores, student):
            assert _html(step) in page
    hardest_section = page.split('id="hardest"')[1].split("</section>")[0]
    assert [m for m in re.findall(r'<th scope="row">([^<]+)</th>', hardest_section)] == [
        _html(NAME[b]) for b in ["review", "goal_link", "safety"]
    ]


# -- no data --------------------------------------------------------------------------------------
def test_no_graded_submissions_is_a_clear_error(tmp_path):
    from nbgrader.api import Gradebook

    url = gradebook_url(tmp_path)
    with Gradebook(url, course_id="between-sessions") as gb:
        _structure(gb)
        gb.add_student("ada")
        gb.add_submission(DESIGN, "ada")  # collected, never graded
    with pytest.raises(ReportError, match=r"python -m course grade 03-designing-homework"):
        write_report(url, tmp_path / "out", DESIGN)
    with pytest.raises(ReportError, match=r"python -m course grade ASSIGNMENT"):
        write_report(url, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_missing_gradebook_is_a_clear_error_and_not_created(tmp_path):
    with pytest.raises(ReportError, match="python -m course grade"):
        write_report(gradebook_url(tmp_path), tmp_path / "out", DESIGN)
    assert not (tmp_path / "gradebook.db").exists()


# -- statuses: not submitted, failed, ungraded and unattempted work is never a 0 ------------------------
def _collected(root: Path, student: str, stamp: str) -> None:
    folder = root / "submitted" / student / DESIGN
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text(stamp)


@pytest.fixture(scope="module")
def course_root(db_url, tmp_path_factory) -> Path:
    """The course folder beside the gradebook: what was collected and what `course grade` recorded."""
    root = tmp_path_factory.mktemp("course-root")
    for student in TRAINEES:
        _collected(root, student, f"2026-12-0{TRAINEES.index(student) + 1} 10:00:00 UTC")
    record = {
        "ada": TraineeGrade("ada", "graded", [], 40.0, 40.0, "2026-12-01 10:00:00 UTC", "2.0.0",
                            {"03-maya": "saved", "03-priya": "saved"}),
        "ben": TraineeGrade("ben", "graded_with_notes", ["answers file for 03-priya missing"], 9.0, 40.0,
                            "2026-12-02 10:00:00 UTC", "2.0.0", {"03-maya": "saved", "03-priya": "missing"}),
        "cal": TraineeGrade("cal", "failed", ["No notebooks found. Fix: rename the notebook"], None, None,
                            "2026-12-03 10:00:00 UTC", "2.0.0"),
        "dee": TraineeGrade("dee", "graded", [], 38.0, 40.0, "2026-11-30 10:00:00 UTC", "1.0.0"),
    }
    save_record(root, DESIGN, record)
    dispute("03-maya", "goal_link", "The task <is> tied to her goal.", root / "submitted" / "ben" / DESIGN)
    return root


@pytest.fixture(scope="module")
def statuses(db_url, course_root) -> pd.DataFrame:
    return submission_statuses(db_url, DESIGN, course_root)


def test_every_trainee_on_the_roster_has_a_status(statuses):
    by = statuses.set_index("student")
    assert by["status"].to_dict() == {"ada": "graded", "ben": "graded_with_notes", "cal": "failed",
                                      "dee": "ungraded", "eve": "graded", "fay": "not_submitted"}
    assert by.loc["ben", "not_attempted"] == "03-priya"
    assert by.loc["dee", "notes"].startswith("collected but not graded"), "a newer submission than the grade"
    assert "graded outside `course grade`" in by.loc["eve", "notes"]
    assert by.loc["ada", "grader_version"] == "2.0.0"


def test_only_attempted_graded_work_is_assessed(scores, statuses):
    design = scores[scores["assignment"] == DESIGN]
    kept = assessed_only(design, statuses)
    assert set(kept["student"]) == {"ada", "ben", "eve"}
    assert set(kept.loc[kept["student"] == "ben", "exercise"]) == {"03-maya"}, "an unattempted exercise is no 0"
    rates = cohort_rates(kept)
    assert rates.loc["goal_link", "trainees"] == 3
    assert rates.loc["goal_link", "mean_share"] == pytest.approx((1 + 0 + 1) / 3)
    # ben's 03-priya obstacles (1 of 4) no longer pulls his share: only 03-maya (0) counts
    assert trainee_matrix(kept).loc["ben", "obstacles"] == 0.0


def test_the_report_separates_not_assessed_from_zero_and_puts_the_hardest_first(db_url, course_root, tmp_path):
    files = write_report(db_url, tmp_path, DESIGN, course_root=course_root)
    page = files["html"].read_text()
    header = page.split("</header>")[0]
    not_in = header.split('id="not-assessed"')[1].split("</section>")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]+</td><td>([^<]+)</td><td>([^<]*)</td>', not_in)
    assert rows == [
        ("cal", "grading failed", "No notebooks found. Fix: rename the notebook"),
        ("dee", "submitted, not graded yet", "collected but not graded: run python -m course grade " + DESIGN),
        ("fay", "not submitted", ""),
        ("ben", "not attempted: 03-priya", ""),
    ]
    assert "Graded with grader version 2.0.0." in header
    assert page.index('id="hardest"') < page.index('id="rates"') < page.index('id="trainees"')
    assert page.index('id="hardest"') < page.index('href="#trainee-1-ada"'), "no list of trainees above the hardest"
    for student in ["cal", "dee", "fay"]:
        section = page.split(f'-{student}-title">{student}</h3>')[1].split("</section>")[0]
        assert "no advice on behaviours" in section and "What to work on next" not in section
    assert "grading failed" in page.split('-cal-title">cal</h3>')[1].split("</section>")[0], "failed stays visible"
    table = pd.read_csv(files["status"], index_col="student")
    assert table.loc["cal", "status"] == "failed" and table.loc["fay", "status"] == "not_submitted"
    rates = pd.read_csv(files["rates"], index_col="behaviour")
    assert rates.loc["goal_link", "trainees"] == 3 and rates.loc["goal_link", "not_assessed"] == 3
    disputes = page.split('id="disputes"')[1].split("</section>")[0]
    assert (f'<th scope="row">ben</th><td>03-maya</td><td>{_html(NAME["goal_link"])}</td>'
            "<td>The task &lt;is&gt; tied to her goal.</td>") in disputes
    exported = pd.read_csv(files["disputes"])
    assert exported[["student", "exercise", "behaviour", "sentence"]].values.tolist() == [
        ["ben", "03-maya", "goal_link", "The task <is> tied to her goal."]]


def test_a_module_without_behaviour_cells_says_so(db_url, tmp_path):
    with pytest.raises(ReportError, match=r"Module 01-why-homework has no behaviour cells \(its exercises are concept\)"):
        write_report(db_url, tmp_path / "out", "01-why-homework")
    assert not (tmp_path / "out").exists()
