"""Module 06's visible checks say correct to a right answer and not yet (with a hint) to a wrong one."""

from __future__ import annotations

import pandas as pd
import pytest

from course import research_checks as rc
from course.simulation import simulate_homework_study


@pytest.fixture(scope="module")
def data():
    return simulate_homework_study(seed=2024)


def _rate(data):
    sessions = data["sessions"]
    return sessions.loc[sessions["homework_assigned"]].groupby("client_id", observed=True)["homework_quantity"].mean()


def test_task_1_right_is_correct_and_zeros_for_no_task_are_not_yet(data):
    assert rc.check_completion_rate(_rate(data), data).correct
    wrong = data["sessions"].fillna({"homework_quantity": 0}).groupby("client_id", observed=True)[
        "homework_quantity"].mean()
    result = rc.check_completion_rate(wrong, data)
    assert not result.correct and result.message.startswith("✘ Task 1: not yet.") and "left out" in result.message


def test_every_task_says_not_yet_to_a_wrong_answer(data):
    assert not rc.check_quantity_quality(0.42, data).correct
    assert not rc.check_improvement(pd.Series(dtype=float), data).correct
    assert not rc.check_completion_outcome(float("nan"), data).correct
    assert not rc.check_box_score(pd.DataFrame(), data).correct
    assert not rc.check_next_session(0.1, 0.2, data).correct


def test_right_answers_are_correct(data):
    sessions, clients = data["sessions"], data["clients"]
    agreed = sessions.loc[sessions["homework_assigned"]]
    assert rc.check_quantity_quality(agreed["homework_quantity"].corr(agreed["homework_quality"]), data).correct
    last = sessions.loc[sessions["session"] == 12].set_index("client_id")["phq9"]
    improvement = clients.set_index("client_id")["baseline_phq9"] - last
    assert rc.check_improvement(improvement, data).correct
    assert rc.check_completion_outcome(float(_rate(data).corr(improvement)), data).correct
    assert rc.check_box_score(pd.crosstab(data["studies"]["outcome_level"], data["studies"]["direction"]), data).correct


def test_show_prints_the_verdict_and_fails_the_cell_only_when_wrong(data, capsys):
    rc.show(rc.check_completion_rate(_rate(data), data))
    assert capsys.readouterr().out.strip() == "✔ Task 1: correct."
    with pytest.raises(AssertionError, match="not yet"):
        rc.show(rc.check_quantity_quality(0.42, data))
    assert "✘ Task 2: not yet." in capsys.readouterr().out


def test_verdicts_are_kept_for_the_progress_page_which_counts_06_once_attempted(data, tmp_path):
    from course.progress import collect_progress

    folder = tmp_path / "06-research-literacy"
    folder.mkdir()
    rc.record(rc.check_completion_rate(_rate(data), data), folder)
    rc.record(rc.check_quantity_quality(0.42, data), folder)
    row = next(r for r in collect_progress(tmp_path).module_summary() if r[0] == "06-research-literacy")
    assert row[2:] == (1, 1, 2.0, 9)


def test_a_wrong_shape_gets_a_hint_about_the_shape_first(data):
    assert "should be a pandas Series" in rc.check_completion_rate(0.5, data).hint
    assert "one value for each of the 120 clients" in rc.check_improvement(pd.Series([1.0, 2.0]), data).hint
    assert "not a table" in rc.check_quantity_quality(pd.Series([0.1]), data).hint
    assert "is nan" in rc.check_completion_outcome(float("nan"), data).hint
    assert "should be a DataFrame" in rc.check_box_score([[1, 2]], data).hint
    assert "engagement_next_corr should be a single number" in rc.check_next_session("x", 0.1, data).hint


@pytest.mark.slow
def test_module_06_check_cells_say_correct_or_not_yet_and_keep_the_verdicts(tmp_path):
    """A trainee's run of the released notebook: task 1 right, task 2 wrong, the rest not attempted."""
    import json
    import shutil

    import nbformat
    from nbclient import NotebookClient

    from course.assignments import load_course
    from course.progress import collect_progress

    from conftest import ROOT

    assignment = load_course().assignment("06-research-literacy")
    folder = tmp_path / assignment.id
    shutil.copytree(ROOT / "release" / assignment.id, folder)
    nb = nbformat.read(folder / assignment.notebook, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
    answers["06-completion-rate__answer"].source = (
        'agreed = sessions.loc[sessions["homework_assigned"]]\n'
        'completion_rate_by_client = agreed.groupby("client_id", observed=True)["homework_quantity"].mean()')
    answers["06-quantity-quality__answer"].source = "quantity_quality_corr = 0.42"
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    checks = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}
    printed = {k: "".join(o.get("text", "") for o in c.outputs) for k, c in checks.items()}
    assert printed["06-completion-rate__tests"].strip() == "✔ Task 1: correct."
    assert printed["06-quantity-quality__tests"].startswith("✘ Task 2: not yet. Correlate homework_quantity")
    assert checks["06-quantity-quality__tests"].outputs[-1]["output_type"] == "error"
    saved = json.loads((folder / "answers" / "06-code-tasks.json").read_text())
    assert saved["tasks"] == {"1": True, "2": False}
    row = next(r for r in collect_progress(tmp_path).module_summary() if r[0] == assignment.id)
    assert row[-2:] == (2.0, 9)
