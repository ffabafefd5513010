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
    assert not rc.check_behaviour_outcomes(0.1, 0.2, data).correct


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


def test_task_6_asks_how_therapist_behaviour_relates_to_both_outcome_levels(data):
    agreed = data["sessions"].loc[data["sessions"]["homework_assigned"]]
    engagement = float(agreed["therapist_behaviour"].corr(agreed["in_session_engagement"]))
    completion = float(agreed["therapist_behaviour"].corr(agreed["homework_quantity"]))
    assert rc.check_behaviour_outcomes(engagement, completion, data).correct
    swapped = rc.check_behaviour_outcomes(completion, engagement, data)
    assert not swapped.correct and "swapped" in swapped.hint
    # the old question (in-session engagement as a predictor of next-session change) is not accepted
    sessions = data["sessions"]
    next_change = sessions["phq9"] - sessions.groupby("client_id", observed=True)["phq9"].shift(-1)
    old = float(agreed["in_session_engagement"].corr(next_change[sessions["homework_assigned"]]))
    assert not rc.check_behaviour_outcomes(old, completion, data).correct
    # all sessions instead of agreed tasks is not yet right either
    everything = sessions["therapist_behaviour"].corr(sessions["in_session_engagement"])
    assert everything == pytest.approx(engagement)  # NaN behaviour drops unagreed rows by itself
    assert engagement < completion, "at seed 2024 the immediate link is the weaker one, as in the review"
