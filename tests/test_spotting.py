"""Behaviour spotting scorer: every rule has a case that earns and one that must not."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from course.checklist import load_checklist
from course.spotting import (
    SpottingAnswers,
    behaviour_points,
    score_spotting,
    spottable_items,
    therapist_turns,
)
from course.vignettes import Turn

from conftest import CASES, case_by_id


@pytest.fixture(scope="module")
def case():
    """A small transcript with known labels (built on a shipped case)."""
    turns = [
        Turn(speaker="therapist", text="Every time you sit down the fear stays; standing up is how you find out.",
             behaviours=["rationale", "goal_link"]),
        Turn(speaker="client", text="So I stay standing."),
        Turn(speaker="therapist", text="Yes, and that is why we would try the bus: to see what your heart does.",
             behaviours=["rationale"]),
        Turn(speaker="therapist", text="What would you like to call it?"),
        Turn(speaker="Mum", text="She could ring me after."),
    ]
    return case_by_id("aisha-panic").model_copy(update={"transcript": turns})


def ticks(case, **by_turn) -> SpottingAnswers:
    return SpottingAnswers(vignette_id=case.id, ticks={k.lstrip("t"): v for k, v in by_turn.items()})


# -- hits -------------------------------------------------------------------------------------------
def test_spotting_every_labelled_turn_earns_the_full_point(case):
    report = score_spotting(ticks(case, t0=["rationale"], t2=["rationale"]), case)
    result = report.behaviour("rationale")
    assert (result.hits, result.false_alarms, result.misses) == ((0, 2), (), ())
    assert result.points == 1.0 and result.max_points == 1.0 and result.status == "met"


def test_a_hit_explanation_names_the_behaviour_its_meaning_and_the_turn(case):
    result = score_spotting(ticks(case, t0=["rationale"]), case).behaviour("rationale")
    item = load_checklist().item("rationale")
    hit = result.explanations[0]
    assert hit.startswith("Turn 1 shows") and item.name in hit
    assert item.definition.split()[0] in hit and "Every time you sit down" in hit


# -- misses -----------------------------------------------------------------------------------------
def test_a_missed_turn_earns_nothing_for_that_turn_and_is_explained(case):
    result = score_spotting(ticks(case, t0=["rationale"]), case).behaviour("rationale")
    assert result.misses == (2,) and result.points == 0.5 and result.status == "partial"
    assert any(text.startswith("Turn 3 also shows") and "did not tick" in text for text in result.explanations)


def test_a_labelled_behaviour_never_ticked_is_reported_with_no_points(case):
    result = score_spotting(SpottingAnswers(vignette_id=case.id), case).behaviour("goal_link")
    assert result.misses == (0,) and result.points == 0.0 and result.max_points == 1.0 and result.status == "missing"


# -- false alarms -----------------------------------------------------------------------------------
def test_a_false_alarm_costs_half_a_hit(case):
    result = score_spotting(ticks(case, t0=["rationale"], t2=["rationale"], t3=["rationale"]), case).behaviour(
        "rationale")
    assert result.false_alarms == (3,) and result.points == 0.75 and result.status == "partial"
    alarm = next(text for text in result.explanations if text.startswith("Turn 4"))
    assert "was not coded as" in alarm and "none of the checklist behaviours" in alarm


def test_false_alarms_never_take_a_behaviour_below_zero(case):
    result = score_spotting(ticks(case, t3=["rationale"]), case).behaviour("rationale")
    assert result.points == 0.0 and result.false_alarms == (3,)


def test_a_behaviour_never_labelled_but_ticked_scores_zero_and_lists_its_false_alarms(case):
    report = score_spotting(ticks(case, t0=["safety"], t3=["safety"]), case)
    result = report.behaviour("safety")
    assert result.false_alarms == (0, 3) and result.points == 0.0 and result.max_points == 0.0
    assert result.explanations[0].startswith("No therapist turn in this transcript")
    assert "coders saw" in result.explanations[1] and load_checklist().item("goal_link").name in result.explanations[1]


def test_ticking_every_box_does_not_pay(case):
    everything = {str(i): [item.id for item in spottable_items(case)] for i in therapist_turns(case)}
    report = score_spotting(SpottingAnswers(vignette_id=case.id, ticks=everything), case)
    assert report.total < report.max / 2


# -- what is scored ---------------------------------------------------------------------------------
def test_only_labelled_or_ticked_behaviours_appear_in_checklist_order(case):
    report = score_spotting(ticks(case, t3=["safety", "framing"]), case)
    assert [r.id for r in report.behaviours] == ["goal_link", "rationale", "framing", "safety"]


def test_total_is_the_sum_and_max_counts_labelled_behaviours(case):
    report = score_spotting(ticks(case, t0=["rationale", "goal_link"], t3=["safety"]), case)
    assert report.max == 2.0  # goal_link and rationale are labelled; safety is not
    assert sum(r.points for r in report.behaviours) == 1.5
    assert report.total == 1.25  # the false alarm on safety, which this session never shows, costs a quarter
    assert report.to_dict()["total"] == 1.25


def test_false_alarms_on_behaviours_the_session_never_shows_cost_points_but_never_below_zero(case):
    clean = score_spotting(ticks(case, t0=["rationale", "goal_link"]), case)
    noisy = score_spotting(ticks(case, t0=["rationale", "goal_link"], t3=["safety", "fit", "framing"]), case)
    assert noisy.total == clean.total - 0.75
    assert score_spotting(ticks(case, t3=["safety", "fit", "framing", "specificity"]), case).total == 0


@pytest.mark.parametrize("turn", ["1", "4", "9"])
def test_ticks_on_client_other_speaker_or_missing_turns_count_for_nothing(case, turn):
    report = score_spotting(SpottingAnswers(vignette_id=case.id, ticks={turn: ["rationale", "safety"]}), case)
    assert report.behaviour("rationale").hits == () and report.behaviour("rationale").false_alarms == ()
    assert "safety" not in [r.id for r in report.behaviours]


def test_the_review_behaviour_is_offered_only_for_a_review_case():
    assert "review" in [item.id for item in spottable_items(case_by_id("jamal-review"))]
    assert "review" not in [item.id for item in spottable_items(case_by_id("aisha-panic"))]


def test_scoring_is_deterministic_whatever_the_tick_order(case):
    a = ticks(case, t0=["goal_link", "rationale"], t3=["safety"])
    b = SpottingAnswers(vignette_id=case.id, ticks={"3": ["safety"], "0": ["rationale", "goal_link", "rationale"]})
    assert score_spotting(a, case).to_dict() == score_spotting(b, case).to_dict()


def test_answers_for_another_case_are_refused(case):
    with pytest.raises(ValueError, match="not 'aisha-panic'"):
        score_spotting(SpottingAnswers(vignette_id="maya-activation"), case)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_coding_exactly_as_the_experts_did_earns_full_marks_on_every_shipped_case(case):
    expert = {str(i): list(t.behaviours) for i, t in enumerate(case.transcript) if t.behaviours}
    report = score_spotting(SpottingAnswers(vignette_id=case.id, ticks=expert), case)
    labelled = {b for t in case.transcript for b in t.behaviours}
    assert report.max == len(labelled) > 0
    assert report.total == report.max
    assert score_spotting(SpottingAnswers(vignette_id=case.id), case).total == 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_expert_label_sits_on_a_therapist_turn_and_can_be_ticked(case):
    offered = {item.id for item in spottable_items(case)}
    coded = set(therapist_turns(case))
    for index, turn in enumerate(case.transcript):
        if turn.behaviours:
            assert index in coded, f"turn {index + 1} is labelled but not spoken by the therapist"
            assert set(turn.behaviours) <= offered


# -- the points rule --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hits", "alarms", "labelled", "points"),
    [(2, 0, 2, 1.0), (1, 0, 2, 0.5), (2, 1, 2, 0.75), (1, 3, 2, 0.0), (0, 2, 0, 0.0), (1, 1, 3, 0.1667)],
)
def test_behaviour_points(hits, alarms, labelled, points):
    assert behaviour_points(hits, alarms, labelled) == points


# -- the answers model ------------------------------------------------------------------------------
def test_answers_are_tidied_into_checklist_order_without_repeats_or_empty_turns():
    answers = SpottingAnswers(vignette_id="x", ticks={"10": ["safety", "goal_link", "safety"], "2": [], "3": ["fit"]})
    assert answers.ticks == {"3": ["fit"], "10": ["goal_link", "safety"]}
    assert answers.model_dump()["schema_version"] == 1


@pytest.mark.parametrize(
    "data",
    [
        {"ticks": {"0": ["not_a_behaviour"]}},
        {"ticks": {"first": ["rationale"]}},
        {"ticks": {"01": ["rationale"]}},
        {"ticks": {"-1": ["rationale"]}},
        {"ticks": {}, "extra": 1},
        {"schema_version": 2},
    ],
)
def test_answers_with_unknown_ids_turns_or_fields_are_refused(data):
    with pytest.raises(ValidationError):
        SpottingAnswers.model_validate(data)
