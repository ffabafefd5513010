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


# -- the box under a form's feedback -------------------------------------------------------------------
def _checked_plan_form(folder):
    from course.answer_keys import reference_answers
    from course.answers import AnswersFile, answers_path
    from course.assignments import load_course
    from course.forms.plan_form import PlanForm
    from course.vignettes import get_vignette

    maya = load_course().assignment("03-designing-homework").exercises[0]
    file = AnswersFile(answers_path(maya.id, folder))
    file.save({**reference_answers(maya), "rationale": "Homework helps."}, force=True)
    form = PlanForm(get_vignette(maya.case), file)
    assert form.dispute.widget.layout.display == "none", "no dispute before there is feedback"
    form.check()
    return form


def test_the_plan_forms_dispute_box_saves_one_point_with_a_sentence(folder):
    form = _checked_plan_form(folder)
    box = form.dispute
    assert box.widget.layout.display == "flex" and not box.is_open
    assert [v for _, v in box.point.options][1:] == [item.id for item in form.report.items]
    box.toggle.click()
    assert box.is_open and box.toggle.description == "Close the dispute"
    assert box.point.description == "Which point" and box.sentence.description == "Why, in one sentence"
    box.point.value = "rationale"
    box.sentence.value = "I explained how the walk lifts her mood."
    box.save_button.click()
    assert load_disputes(folder) == [{"exercise": "03-maya", "behaviour": "rationale",
                                      "sentence": "I explained how the walk lifts her mood.",
                                      "at": load_disputes(folder)[0]["at"]}]
    assert "Saved: you think the grade for" in box.result.value and 'role="status"' in box.result.value
    assert not box.is_open and box.sentence.value == ""


@pytest.mark.parametrize("point, sentence, message", [
    ("", "Why.", "Choose the point"),
    ("rationale", "   ", "Not saved: say in one sentence why"),
])
def test_the_dispute_box_says_what_is_missing_and_saves_nothing(folder, point, sentence, message):
    box = _checked_plan_form(folder).dispute
    box.point.value, box.sentence.value = point, sentence
    assert box.save() is False
    assert message in box.result.value and 'role="alert"' in box.result.value
    assert not disputes_path(folder).exists()


def test_the_dispute_box_stays_hidden_for_a_form_nobody_grades(folder):
    from course.forms.dispute_box import DisputeBox

    box = DisputeBox("maya-activation", folder)
    box.offer([("rationale", "Rationale")])
    assert box.widget.layout.display == "none"


def test_the_review_forms_dispute_box_offers_the_review_point(folder):
    from course.forms.review_form import review_script

    form = review_script("jamal-review", "04-jamal-review", folder)
    result = form.check()
    assert form.dispute.point.options[1:] == ((result.name, result.id),)
    form.dispute.point.value = result.id
    form.dispute.sentence.value = "My opening asked what got in the way without blame."
    assert form.dispute.save()
    assert [(d["exercise"], d["behaviour"]) for d in load_disputes(folder)] == [("04-jamal-review", result.id)]
