"""A trainee's "I think this is wrong": saved beside the notebook, one per exercise and behaviour,
refused with a clear message when it cannot be understood, and read back for the whole cohort."""

from __future__ import annotations

import json

import pytest

from course.disputes import cohort_disputes, dispute, disputes_path, load_disputes


def test_a_dispute_is_saved_and_the_latest_one_per_point_wins(folder):
    said = dispute("03-maya", "goal_link", "My task is tied to her goal of seeing friends.")
    assert "Submit the assignment again" in said
    dispute("03-maya", "safety", "The plan names the risk.")
    dispute("03-maya", "goal_link", "  The task   serves   her goal. ")
    rows = load_disputes()
    assert [(r["exercise"], r["behaviour"], r["sentence"]) for r in rows] == [
        ("03-maya", "safety", "The plan names the risk."), ("03-maya", "goal_link", "The task serves her goal.")]
    assert json.loads(disputes_path().read_text())["disputes"][1]["at"].endswith("UTC")


@pytest.mark.parametrize("args, message", [
    (("03-nobody", "goal_link", "Why."), "not in the course"),
    (("03-maya", "kindness", "Why."), "not on the checklist"),
    (("03-maya", "goal_link", "   "), "one sentence"),
    (("03-maya", "goal_link", "word " * 121), "at most 120 words"),
])
def test_a_dispute_that_cannot_be_understood_is_refused_and_nothing_is_written(folder, args, message):
    with pytest.raises(ValueError, match=message):
        dispute(*args)
    assert not disputes_path().exists()


def test_nothing_is_written_while_nbgrader_grades(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert dispute("03-maya", "goal_link", "Why.").startswith("Not saved")
    assert not disputes_path().exists()


def test_an_unreadable_disputes_file_reads_as_none(folder):
    disputes_path().parent.mkdir()
    disputes_path().write_bytes(b"\xff\x00 not json")
    assert load_disputes() == []


def test_the_cohort_disputes_come_from_every_collected_submission(tmp_path):
    for student in ["ana", "ben"]:
        dispute("03-maya", "goal_link", f"{student} disagrees.", tmp_path / "submitted" / student / "03-designing-homework")
    dispute("04-jamal-review", "review", "Blame-free.", tmp_path / "submitted" / "ana" / "04-reviewing-homework")
    rows = cohort_disputes(tmp_path, "03-designing-homework")
    assert [(r["student"], r["sentence"]) for r in rows] == [("ana", "ana disagrees."), ("ben", "ben disagrees.")]
    assert len(cohort_disputes(tmp_path)) == 3
