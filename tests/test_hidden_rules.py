"""The grader's reading rules that used to surprise case authors: each fixed defect with a case that
must match and one that must not (docs/writing-a-vignette.md states every rule)."""

from __future__ import annotations

import pytest
from test_schema_v2_grading import build, case_data, item, plan

from course.language import has_exact_phrase, has_phrase, key_of, read
from course.scoring.rules import kind_defaults


# -- negation reaches through a list -------------------------------------------------------------------
@pytest.mark.parametrize("cue, text", [
    ("ratings", "No worksheet, counts or ratings."),
    ("counts", "Without forms, counts or logs."),
    ("logs", "No worksheets / counts / logs for now."),
    ("diary", "She will keep no app, notebook, or diary."),
])
def test_a_negated_list_negates_every_item(cue, text):
    assert not has_phrase(cue, text)
    assert has_phrase(f"no {cue}", text)


@pytest.mark.parametrize("cue, text", [
    ("notice", "No worksheet, just notice the moment in the car."),
    ("card", "No app but a card on the fridge."),
    ("ratings", "No worksheet. Ratings each evening."),
    ("walk", "Don't use the phone, walk instead."),
    ("tea", "No worksheet, she will make a cup of tea and then sit."),
])
def test_negation_stops_where_the_list_ends(cue, text):
    assert has_phrase(cue, text)
    assert not has_phrase(f"no {cue}", text)


# -- "without X" ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cue, text", [
    ("no worksheet", "She practises without a worksheet."),
    ("without writing", "She practises with no writing at all."),
    ("without writing", "She practises without writing anything down."),
    ("without worksheets", "Nothing on paper: no worksheet."),
])
def test_absence_phrases_match_any_negator(cue, text):
    assert has_phrase(cue, text)
    assert has_exact_phrase(cue, text)


@pytest.mark.parametrize("cue, text", [
    ("without writing", "She will write a few lines each night."),
    ("without a worksheet", "She fills in a worksheet each night."),
    ("no worksheet", "A worksheet each evening, no exceptions."),
])
def test_absence_phrases_do_not_match_the_thing_itself(cue, text):
    assert not has_phrase(cue, text)
    assert not has_exact_phrase(cue, text)


def test_a_phrase_with_without_inside_is_an_ordinary_phrase():
    assert has_phrase("better off without her", "she thinks they would be better off without her", respect_negation=False)
    assert has_phrase("costs nothing", "the walk costs nothing")


# -- stems that collide ------------------------------------------------------------------------------
@pytest.mark.parametrize("short, long", [("author", "authority"), ("present", "presentation"), ("board", "boarding"),
                                         ("hard", "hardly"), ("near", "nearly"), ("apart", "apartment")])
def test_a_longer_word_with_another_meaning_keeps_its_own_key(short, long):
    assert key_of(short) != key_of(long)
    assert not has_phrase(short, f"She went to the {long}.")


@pytest.mark.parametrize("word, form", [("author", "authors"), ("authority", "authorities"), ("ring", "rings"),
                                        ("walk", "walking"), ("apartment", "apartments")])
def test_inflections_still_share_a_key(word, form):
    assert key_of(word) == key_of(form)
    assert read(f"the {form}").content & read(word).content


# -- kind defaults that contradict the case ------------------------------------------------------------
def lonely_case():
    data = case_data("maya-activation")
    data["constraints"].append({"id": "privacy", "kind": "privacy", "key": True,
                                "text": "Her flatmate reads anything she leaves out.", "addressed_by": []})
    data["risks"] = [{"id": "isolation", "text": "Since the move she is alone most days and has stopped seeing anyone.",
                      "cues": ["isolated", "on her own all day"], "adjustments": ["check-in call", "text Tess"]}]
    return build(data)


def test_a_kind_default_that_names_the_case_risk_does_not_count():
    case = lonely_case()
    privacy = next(c for c in case.constraints if c.id == "privacy")
    defaults = kind_defaults(case, privacy)
    assert ("alone", "risks.isolation") in defaults.contradicted
    assert "alone" not in defaults.usable and "private" in defaults.usable
    alone = plan(case, format="She does it alone in her room.", adaptations="", summary_format="A card.")
    result = item(case, alone, "fit")
    assert result.status == "partial" and "it does not address “Her flatmate reads anything" in result.feedback


def test_a_kind_default_the_case_does_not_contradict_still_counts():
    case = lonely_case()
    private = plan(case, format="The card is kept private, in her bag.", adaptations="", summary_format="A card.")
    result = item(case, private, "fit")
    assert result.status == "met" and "addresses privacy: private" in result.evidence
    plain = build(case_data("maya-activation"))
    assert kind_defaults(plain, plain.constraints[0]).contradicted == ()


def test_a_kind_default_that_a_constraint_breaks_does_not_count():
    data = case_data("maya-activation")
    data["constraints"].append({"id": "no-phone", "kind": "housing", "key": True, "text": "She has no phone of her own.",
                                "breaks": ["on her phone"]})
    case = build(data)
    housing = next(c for c in case.constraints if c.id == "no-phone")
    assert ("phone", "constraints.no-phone.breaks") in kind_defaults(case, housing).contradicted
