"""Concept checks: the question bank, its validation, and scoring of single and multi answers."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from course import concepts
from course.concepts import (
    ConceptBank,
    ConceptQuestion,
    get_question,
    load_concept_checks,
    questions_for_module,
    score_concept,
)
from course.datafiles import DataFileError

YEAR = re.compile(r"\b(19|20)\d\d[ab]?\b")


def option(oid: str, correct: bool, explanation: str = "Because Tompkins (2002) says so.") -> dict:
    return {"id": oid, "text": f"Option {oid}", "correct": correct, "explanation": explanation}


def question(kind: str, *options: dict, qid: str = "q-test") -> dict:
    return {"id": qid, "module": "01", "prompt": "Which?", "kind": kind, "options": list(options),
            "sources": ["Tompkins 2002"]}


SINGLE = ConceptQuestion.model_validate(question("single", option("a", True), option("b", False), option("c", False)))
MULTI = ConceptQuestion.model_validate(
    question("multi", option("a", True), option("b", True), option("c", True), option("d", True), option("e", False),
             option("f", False))
)


# -- the shipped bank -------------------------------------------------------------------------------
def test_the_bank_has_ten_questions_for_module_01_and_four_for_module_04():
    assert len(questions_for_module("01")) == 10
    assert len(questions_for_module("04")) == 4
    assert len(load_concept_checks()) == 14


@pytest.mark.parametrize("qid", list(load_concept_checks()))
def test_every_option_is_explained_with_author_and_year(qid):
    q = get_question(qid)
    assert q.sources and all(YEAR.search(source) for source in q.sources)
    for opt in q.options:
        assert YEAR.search(opt.explanation), f"{qid}/{opt.id}: explanation cites no year"
        assert re.search(r"[A-Z][a-z]+ (et al\.|and|&|\()", opt.explanation), f"{qid}/{opt.id}: no author named"


def test_module_01_covers_what_the_issue_asks_for():
    text = " ".join(
        q.prompt + " " + " ".join(o.text + " " + o.explanation for o in q.options) for q in questions_for_module("01")
    )
    for fact in ["25 studies", "1,304", "box-score", "mixed or neutral", "positive", "d = 0.48", "r = .26",
                 "quantity", "quality", "assigned", "reviewed", "engagement", "compliance", "correlation",
                 "psychodynamic", "emotion-focused", "written summary", "rationale"]:
        assert fact in text, fact
    kinds = {q.kind for q in questions_for_module("01")}
    assert kinds == {"single", "multi"}


def test_module_04_is_about_reviewing_without_blame():
    text = " ".join(o.explanation for q in questions_for_module("04") for o in q.options)
    for fact in ["Tompkins (2002)", "Kazantzis and Shinkfield (2007)", "Aguilera et al. (2018)", "blame"]:
        assert fact in text, fact


def test_an_unknown_question_id_lists_the_known_ones():
    with pytest.raises(KeyError, match="m01-what-is-bsh"):
        get_question("no-such-question")


# -- validation -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (question("single", option("a", True), option("b", True)), "exactly one correct"),
        (question("single", option("a", False), option("b", False)), "exactly one correct"),
        (question("multi", option("a", False), option("b", False)), "at least one correct"),
        (question("single", option("a", True), option("a", False)), "repeat"),
        (question("single", option("a", True), option("b", False, explanation="")), "at least 1 character"),
        (question("single", option("a", True), {"id": "b", "text": "B", "correct": False}), "explanation"),
        (question("single", option("a", True)), "at least 2 items"),
        ({**question("single", option("a", True), option("b", False)), "sources": []}, "sources"),
        ({**question("single", option("a", True), option("b", False)), "kind": "essay"}, "kind"),
    ],
)
def test_questions_that_cannot_be_answered_or_explained_are_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        ConceptQuestion.model_validate(data)


def test_a_bank_with_a_repeated_question_id_is_refused():
    q = question("single", option("a", True), option("b", False))
    with pytest.raises(ValidationError, match="more than once"):
        ConceptBank.model_validate({"schema_version": 1, "questions": [q, q]})


def test_a_broken_bank_file_is_reported_with_its_path(tmp_path, monkeypatch):
    bad = tmp_path / "concept_checks.yaml"
    bad.write_text("schema_version: 1\nquestions:\n  - id: x\n    kind: single\n", encoding="utf-8")
    monkeypatch.setattr(concepts, "CONCEPTS_FILE", bad)
    load_concept_checks.cache_clear()
    try:
        with pytest.raises(DataFileError, match="concept_checks.yaml"):
            load_concept_checks()
    finally:
        load_concept_checks.cache_clear()


# -- scoring: single --------------------------------------------------------------------------------
def test_single_the_right_option_earns_the_point():
    result = score_concept(SINGLE, ["a"])
    assert result.points == 1.0 and result.status == "met"


@pytest.mark.parametrize("selected", [["b"], ["a", "b"], []])
def test_single_a_wrong_option_extra_option_or_no_option_earns_nothing(selected):
    result = score_concept(SINGLE, selected)
    assert result.points == 0.0 and result.status == "missing"
    assert result.answered == bool(selected)


# -- scoring: multi ---------------------------------------------------------------------------------
def test_multi_all_right_options_and_no_wrong_one_earn_the_point():
    assert score_concept(MULTI, ["a", "b", "c", "d"]).points == 1.0


@pytest.mark.parametrize(
    ("selected", "points", "status"),
    [
        (["a", "b"], 0.5, "partial"),  # two of four right
        (["a", "b", "c", "e"], 0.5, "partial"),  # three right, one wrong
        (["a", "b", "c", "d", "e", "f"], 0.5, "partial"),  # everything ticked
        (["a", "e", "f"], 0.0, "missing"),  # more wrong than right: never below zero
        (["e"], 0.0, "missing"),
    ],
)
def test_multi_partial_credit_is_right_picks_less_wrong_picks_over_the_number_right(selected, points, status):
    result = score_concept(MULTI, selected)
    assert result.points == points and result.status == status


def test_repeated_picks_count_once():
    assert score_concept(MULTI, ["a", "a", "a", "a"]).points == 0.25


def test_an_unknown_option_is_refused():
    with pytest.raises(ValueError, match="no option z"):
        score_concept(SINGLE, ["z"])


def test_every_option_comes_back_with_its_explanation_and_whether_it_was_chosen():
    q = get_question("m01-four-behaviours")
    result = score_concept(q, ["rationale", "biggest-dose"])
    assert [o.id for o in result.options] == [o.id for o in q.options]
    assert all(o.explanation for o in result.options)
    chosen = {o.id for o in result.options if o.selected}
    assert chosen == {"rationale", "biggest-dose"}
    assert result.points == 0.0  # one right, one wrong
    assert result.to_dict()["correct"] == q.correct_ids


@pytest.mark.parametrize("qid", list(load_concept_checks()))
def test_every_shipped_question_gives_full_marks_to_its_key_only(qid):
    q = get_question(qid)
    assert score_concept(q, q.correct_ids).points == 1.0
    wrong = [o.id for o in q.options if not o.correct]
    assert score_concept(q, wrong).points == 0.0
