"""The review rubric and the review-script form."""

from __future__ import annotations

import json

import pytest

from course.forms.review_form import review_script
from course.reviews import ReviewScript
from course.scoring.review import blaming_words, score_review

from conftest import cases_where

REVIEW_CASES = cases_where(lambda c: c.review_case is not None)
GOOD = dict(
    ask_openly="Tell me how last week went with the log; whatever happened is useful.",
    credit_attempt="You filled in the whole of Monday, and that counts: getting started is the hardest bit.",
    draw_out_learning="What did you notice when you looked at Monday?",
    explore_obstacles="What got in the way on the other days? I'm curious about what made it hard.",
    revise_together="What would make it easier? Shall we change the sheet to something you would use together?",
    words_to_client="Good to see you today.",
)




@pytest.mark.parametrize("case", REVIEW_CASES)
def test_reference_script_meets_the_rubric(case):
    result, moves, blame = score_review(case.review_case.reference_script, case)
    assert result.status == "met", [m for m in moves if not m.present]
    assert not blame


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_all_five_moves_are_met_and_each_one_missing_is_not(case):
    assert score_review(ReviewScript(**GOOD), case)[0].status == "met"
    for move in ["ask_openly", "credit_attempt", "draw_out_learning", "explore_obstacles", "revise_together"]:
        result, moves, _ = score_review(ReviewScript(**{**GOOD, move: ""}), case)
        assert result.status == "partial"
        assert not next(m for m in moves if m.id == move).present


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_closed_or_judging_opening_is_not_an_open_question(case):
    result, moves, _ = score_review(ReviewScript(**{**GOOD, "ask_openly": "Did you do it?"}), case)
    assert not next(m for m in moves if m.id == "ask_openly").present


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_blaming_language_is_a_scored_error_and_named(case):
    blamed = ReviewScript(**{**GOOD, "words_to_client": "You didn't do your homework again; this looks like resistance."})
    result, _, blame = score_review(blamed, case)
    assert result.status == "partial"
    assert "resistance" in blame and "resistance" in result.feedback


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_two_moves_or_fewer_is_missing(case):
    sparse = ReviewScript(ask_openly=GOOD["ask_openly"], credit_attempt=GOOD["credit_attempt"])
    assert score_review(sparse, case)[0].status == "missing"
    assert score_review(ReviewScript(), case)[0].points == 0


def test_blame_words_are_reported_once_each():
    assert blaming_words(ReviewScript(words_to_client="You didn't do your log. You did not do your log.")) == ["didn't do your"]


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_review_form_saves_restores_and_scores(case, folder):
    form = review_script(case.id)
    for name, value in GOOD.items():
        form.controls[name].value = value
    saved = json.loads((folder / "answers" / f"{case.id}-review.json").read_text())
    assert saved["draw_out_learning"] == GOOD["draw_out_learning"]
    again = review_script(case.id)
    assert again.answers == form.answers
    form.controls["words_to_client"].value = "This is resistance, you never do it."
    form.check_button.click()
    html = form.feedback.value
    assert "Blaming language" in html and "resistance" in html
    assert "◐" in html and "partly met" in html


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_review_form_headless_returns_saved_script_and_writes_nothing(case, folder, monkeypatch):
    form = review_script(case.id)
    form.controls["ask_openly"].value = "Tell me how it went?"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    (folder / "answers" / f"{case.id}-review.json").chmod(0o444)
    script = review_script(case.id)
    assert isinstance(script, ReviewScript) and script.ask_openly == "Tell me how it went?"
    assert [p.name for p in (folder / "answers").iterdir()] == [f"{case.id}-review.json"]


@pytest.mark.parametrize("line", [
    "He calls himself lazy, so I would gently explore that belief.",
    "I would not treat this as resistance.",
    'He said "I am useless and lazy at this".',
])
def test_quoted_negated_or_reported_words_are_not_the_trainee_blaming(line):
    assert blaming_words(ReviewScript(words_to_client=line)) == []


def test_blame_in_the_trainees_own_voice_is_flagged():
    assert set(blaming_words(ReviewScript(words_to_client="You are lazy and this is resistance."))) == {"lazy", "resistance"}


def test_review_form_warns_about_what_looks_like_real_details(folder):
    form = review_script("jamal-review")
    form.controls["words_to_client"].value = "Call me on 07700 900123 if it gets hard."
    assert "phone number" in form.privacy.value


@pytest.mark.parametrize("case", REVIEW_CASES)
def test_a_question_about_what_the_attempt_showed_draws_out_learning(case):
    """Drawing out learning needs no fixed words: a what/how question about what it showed counts."""
    asked = ReviewScript(**{**GOOD, "draw_out_learning": "What did that day show you about the fear?"})
    assert score_review(asked, case)[0].status == "met"
    planning = ReviewScript(**{**GOOD, "draw_out_learning": "What would make it easier next time?"})
    assert score_review(planning, case)[0].status == "partial"
