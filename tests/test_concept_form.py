"""The concept-check form driven as a trainee drives it: choose, click Check, read the file."""

from __future__ import annotations

import json

import ipywidgets as w
import pytest

from course.concepts import ConceptAnswers, get_question
from course.forms.common import esc
from course.forms.concept_form import ConceptForm, concept_check

SINGLE = "m01-homework-effect"
MULTI = "m01-four-behaviours"




def on_disk(folder, qid) -> dict:
    return json.loads((folder / "answers" / f"concept-{qid}.json").read_text(encoding="utf-8"))


def write_answers(folder, qid, text: str):
    path = folder / "answers" / f"concept-{qid}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- single -----------------------------------------------------------------------------------------
def test_single_uses_labelled_radio_buttons_with_nothing_chosen_at_first(folder):
    form = concept_check(SINGLE)
    assert isinstance(form, ConceptForm) and isinstance(form.choice, w.RadioButtons)
    assert form.choice.value is None and form.choice.description == "Your answer"
    assert [label for label, _ in form.choice.options] == [o.text for o in get_question(SINGLE).options]
    assert form.answers.selected == []


def test_single_choice_is_saved_and_comes_back_after_a_restart(folder):
    form = concept_check(SINGLE)
    form.choice.value = "c"
    assert on_disk(folder, SINGLE) == {"schema_version": 1, "question_id": SINGLE, "selected": ["c"]}
    form.choice.value = "a"
    assert on_disk(folder, SINGLE)["selected"] == ["a"]
    restarted = concept_check(SINGLE)
    assert restarted.choice.value == "a" and restarted.answers == form.answers
    assert "loaded" in restarted.autosave.status.value


def test_single_right_answer_says_right_with_an_icon_and_explains_every_option(folder):
    form = concept_check(SINGLE)
    form.choice.value = "a"
    form.check_button.click()
    html = form.feedback.value
    assert "✔</span> right</span>" in html and "(1 of 1 points)" in html
    assert "right answer, you chose it" in html
    for opt in get_question(SINGLE).options:
        assert esc(opt.explanation) in html


def test_single_wrong_answer_says_not_right_and_shows_the_right_one(folder):
    form = concept_check(SINGLE)
    form.choice.value = "c"
    result = form.check()
    assert result.points == 0.0
    html = form.feedback.value
    assert "✘</span> not right</span>" in html
    assert "wrong answer, you chose it" in html and "right answer, you did not choose it" in html


def test_checking_with_nothing_chosen_asks_for_an_answer(folder):
    form = concept_check(SINGLE)
    form.check()
    assert "Choose an answer first" in form.feedback.value


# -- multi ------------------------------------------------------------------------------------------
def test_multi_uses_one_labelled_checkbox_per_option(folder):
    form = concept_check(MULTI)
    assert form.choice is None
    assert [box.description for box in form.boxes.values()] == [o.text for o in get_question(MULTI).options]


def test_multi_partial_answer_says_partly_right(folder):
    form = concept_check(MULTI)
    form.boxes["rationale"].value = True
    form.boxes["summary"].value = True
    assert on_disk(folder, MULTI)["selected"] == ["rationale", "summary"]
    result = form.check()
    assert result.points == 0.5
    assert "◐</span> partly right</span>" in form.feedback.value and "(0.5 of 1 points)" in form.feedback.value


def test_multi_full_answer_is_right_and_a_restart_restores_every_box(folder):
    form = concept_check(MULTI)
    for oid in get_question(MULTI).correct_ids:
        form.boxes[oid].value = True
    assert form.check().points == 1.0
    restarted = concept_check(MULTI)
    assert [oid for oid, box in restarted.boxes.items() if box.value] == get_question(MULTI).correct_ids


def test_a_change_after_checking_says_the_result_is_out_of_date(folder):
    form = concept_check(MULTI)
    form.boxes["rationale"].value = True
    form.check()
    form.boxes["takeaway"].value = True
    assert "changed since the last check" in form.feedback.value


# -- unreadable files -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        json.dumps({"schema_version": 1, "question_id": SINGLE, "selected": ["z"]}),
        json.dumps({"schema_version": 1, "question_id": SINGLE, "selected": ["a", "b"]}),
        json.dumps({"schema_version": 1, "question_id": MULTI, "selected": []}),
    ],
)
def test_an_unreadable_answers_file_is_kept_aside_and_the_trainee_is_told(folder, text):
    path = write_answers(folder, SINGLE, text)
    form = concept_check(SINGLE)
    assert "could not be read" in form.autosave.status.value
    assert form.choice.value is None
    kept = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == text


# -- headless (nbgrader) ----------------------------------------------------------------------------
def test_headless_returns_the_saved_answer_and_writes_nothing(folder, monkeypatch):
    form = concept_check(MULTI)
    form.boxes["takeaway"].value = True
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    answers = concept_check(MULTI)
    assert answers == ConceptAnswers(question_id=MULTI, selected=["takeaway"])
    assert [p.name for p in (folder / "answers").iterdir()] == [f"concept-{MULTI}.json"]


def test_headless_without_answers_returns_an_empty_answer_and_creates_no_folder(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_VALIDATING", "1")
    assert concept_check(SINGLE) == ConceptAnswers(question_id=SINGLE)
    assert list(folder.iterdir()) == []


def test_headless_with_an_unreadable_file_moves_nothing(folder, monkeypatch):
    path = write_answers(folder, SINGLE, "{not json")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert concept_check(SINGLE) == ConceptAnswers(question_id=SINGLE)
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_exercise_name_and_folder_choose_the_file(folder):
    form = concept_check(SINGLE, exercise="quiz-1", folder=folder / "module-01")
    form.choice.value = "b"
    saved = json.loads((folder / "module-01" / "answers" / "quiz-1.json").read_text())
    assert saved["selected"] == ["b"]
