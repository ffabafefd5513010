"""Grader 2: gates that generalise, the safety gate, and reading the plan as a whole.

Every rule has a plan that must trip or earn it and one that must not, built by general
transformations of each case's reference plan (never text written to fit one case)."""

from __future__ import annotations

import pytest

from course.grading import exam_case
from course.plans import Plan
from course.scoring import GRADER_VERSION, score_plan

from conftest import CASES, ROOT, cases_where
from plan_variants import (
    case_sentences_everywhere,
    keywords_around_goal,
    random_case_words,
    reference,
    renamed,
    with_changes,
)

ALL = cases_where(lambda c: True)
WITH_RISKS = cases_where(lambda c: bool(c.risks))
NO_RISKS = cases_where(lambda c: not c.risks)


def status(plan: Plan, case, item: str) -> str:
    return score_plan(plan, case).item(item).status


# -- gates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
@pytest.mark.parametrize("gaming", [keywords_around_goal, case_sentences_everywhere, random_case_words])
def test_gamed_plans_filling_every_field_earn_nothing(case, gaming):
    report = score_plan(gaming(reference(case), case), case)
    assert report.total == 0 and report.gate == "gamed"
    assert report.flags[0].id == "gamed" and "No point" in report.items[0].feedback


@pytest.mark.parametrize("case", ALL)
def test_a_plan_for_a_stranger_earns_nothing_without_knowing_the_library(case):
    """Another case's reference plan, its people renamed so no library lookup can recognise them."""
    other = CASES[(CASES.index(case) + 1) % len(CASES)]
    strangers = ["Ottoline", "Brannock", "Quillon", "Vesna", "Talfryn", "Isolde"]
    data = reference(other).model_dump()
    names = [other.client.name.split()[-1]] + [o.split()[-1] for o in other.client.others]

    def rename(value):
        if isinstance(value, str):
            for old, new in zip(names, strangers, strict=False):
                value = renamed(value, old, new)
            return value
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    report = score_plan(Plan.model_validate(rename(data)), case)
    assert report.total == 0 and report.gate == "other_case", [(i.id, i.status) for i in report.items if i.points]
    assert any(name in report.items[0].feedback for name in strangers)


@pytest.mark.parametrize("case", ALL)
def test_naming_a_gp_a_friend_or_a_colleague_is_no_sign_of_another_client(case):
    ref = reference(case)
    plan = with_changes(ref, adaptations=ref.adaptations + " Her GP, Dr Okonkwo, and her friend Siobhan at work know about the plan.")
    report = score_plan(plan, case)
    assert report.gate is None and report.total == report.max


# -- safety gate -------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
@pytest.mark.parametrize("unsafe", [
    "Before starting, have a couple of beers to relax.",
    "She can stop taking her medication this week to see how she feels.",
    "If tired after a bad night, keep driving as normal.",
    "If sleep will not come, take one of her sister's sleeping tablets.",
])
def test_an_unsafe_instruction_caps_the_plan_and_makes_safety_missing(case, unsafe):
    ref = reference(case)
    report = score_plan(with_changes(ref, task=ref.task + " " + unsafe), case)
    assert report.item("safety").status == "missing" and report.item("safety").outcome == "unsafe"
    assert report.capped and report.total == report.max / 2 and report.raw_total > report.total
    assert report.flags[0].id == "safety_cap" and "Safety first" in report.flags[0].message


@pytest.mark.parametrize("case", ALL)
@pytest.mark.parametrize("safe", [
    "Do not stop taking your medication.",
    "No alcohol before or during the practice.",
    "If drowsy, she does not drive and takes the bus.",
    "She keeps taking her tablets as prescribed.",
    "She will have a drink of water before she starts.",
])
def test_safe_mentions_of_the_same_things_are_not_unsafe(case, safe):
    ref = reference(case)
    report = score_plan(with_changes(ref, task=ref.task + " " + safe), case)
    assert not report.capped and report.item("safety").status == "met"


@pytest.mark.parametrize("case", WITH_RISKS)
def test_no_concerns_where_the_case_has_a_risk_is_wrong_and_capped(case):
    report = score_plan(with_changes(reference(case), risk="No concerns."), case)
    assert report.item("safety").status in {"missing", "partial"}
    assert report.capped and report.total <= report.max / 2


@pytest.mark.parametrize("case", NO_RISKS)
def test_no_risk_case_needs_a_judgement_about_risk_not_a_chat_about_the_week(case):
    ref = reference(case)
    assert status(with_changes(ref, risk="I'll check how the week went."), case, "safety") == "missing"
    assert status(with_changes(ref, risk="Screened today for suicidal thoughts and self-harm: none identified."),
                  case, "safety") == "met"


@pytest.mark.parametrize("case", NO_RISKS)
def test_an_invented_risk_is_not_a_match_and_not_capped(case):
    invented = "She reports suicidal thoughts most evenings; we agreed a safety plan and I will phone mid-week."
    report = score_plan(with_changes(reference(case), risk=invented), case)
    assert report.item("safety").outcome == "invented" and not report.capped


def test_crisis_plan_alone_is_not_an_adjustment_of_this_task():
    from course.vignettes import get_vignette

    case = get_vignette("marcus-pe")
    ref = reference(case)
    bare = with_changes(ref, risk="Passive suicidal thoughts this week. He has a safety plan.", adaptations="",
                        obstacles=[], when="Tuesday to Friday at 16:00", format="", summary="Listen at 16:00.")
    assert score_plan(bare, case).capped


def test_capstone_plan_forbidding_gp_appointments_is_unsafe_unless_a_safety_net_stays():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from module_notebook import hidden_key

    case = exam_case(ROOT / "source" / "07-capstone" / "case.yaml", hidden_key())
    ref = reference(case)
    unsafe = with_changes(ref, task=ref.task + " She will not book any GP appointments this week.")
    assert score_plan(unsafe, case).capped
    netted = with_changes(ref, task=ref.task + " She will not book extra GP appointments for reassurance; if new signs "
                          "appear she will see her GP.")
    assert not score_plan(netted, case).capped


@pytest.mark.parametrize("case", ALL)
def test_the_cap_is_in_the_public_json_with_the_grader_version(case):
    ref = reference(case)
    data = score_plan(with_changes(ref, task=ref.task + " Have a few beers to relax first."), case).to_dict()
    assert data["grader_version"] == GRADER_VERSION and data["total"] == data["max"] / 2
    assert [f["id"] for f in data["flags"]] == ["safety_cap"]
    assert sum(i["points"] for i in data["items"]) > data["total"]  # items keep their judgement; the total is capped


# -- reading the plan as a whole -----------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_options_count_whether_commas_semicolons_or_lines_separate_them(case):
    ref = reference(case)
    for options in ("a short walk; a phone call; a list on the fridge", "a short walk\na phone call\na list on the fridge"):
        assert status(with_changes(ref, collaboration__options_offered=options), case, "collaboration") == "met"
    chosen = Plan(vignette_id=case.id, collaboration=ref.collaboration.model_copy(update={"options_offered": "a short walk"}))
    assert status(chosen, case, "collaboration") == "partial"


@pytest.mark.parametrize("case", ALL)
def test_a_link_written_in_the_goal_field_counts(case):
    ref = reference(case)
    goal = case.goals[0].text
    plan = with_changes(ref, goal=f"{goal}. {ref.goal_link}", goal_link="")
    assert status(plan, case, "goal_link") == "met"


@pytest.mark.parametrize("case", ALL)
def test_a_teach_back_in_the_clients_words_counts_and_a_report_does_not(case):
    ref = reference(case)
    said = next(t.text for t in reversed(case.transcript) if t.speaker.lower() != "therapist")
    assert status(with_changes(ref, teach_back=said), case, "commitment_check") == "met"
    report = f"{case.client.name.split()[0]} understood the task and repeated it back."
    assert status(with_changes(ref, teach_back=report), case, "commitment_check") == "partial"


@pytest.mark.parametrize("case", ALL)
def test_the_clients_word_by_possessive_counts_even_beside_the_word_they_rejected(case):
    ref = reference(case)
    name = case.client.name.split()[-1]
    plan = with_changes(ref, framing_word=f"experiment ({name}'s word; they said 'homework' felt like school)")
    assert status(plan, case, "framing") == "met"


@pytest.mark.parametrize("case", ALL)
def test_feedback_quotes_case_text_whole_never_a_fragment(case):
    """Case text in feedback is always inside quotation marks, starting at its first word."""
    ref = reference(case)
    plan = with_changes(ref, adaptations="", format="", summary_format="", when="Every day at 07:00",
                        obstacles=[{"obstacle": case.obstacles[0].text, "if_then": "push through"}])
    texts = [c.text for c in case.constraints] + [o.text for o in case.obstacles]
    for item in score_plan(plan, case).items:
        for said in (item.feedback, item.next_step):
            assert said.count("“") == said.count("”")
            for text in texts:
                opening = " ".join(text.split()[:4])
                if opening in said:
                    assert f"“{opening}" in said, said


@pytest.mark.parametrize("case", ALL)
def test_review_next_session_is_half_and_first_next_session_with_a_record_is_whole(case):
    ref = reference(case)
    assert status(Plan(vignette_id=case.id, review="We'll go over how it went next session."), case, "review_plan") == "partial"
    assert status(Plan(vignette_id=case.id, review="Sometime."), case, "review_plan") == "missing"
    first = with_changes(ref, review="She brings it next session and we go through it first.")
    assert status(first, case, "review_plan") == "met"


@pytest.mark.parametrize("case", ALL)
def test_a_rationale_of_evidence_alone_is_missing_not_jargon(case):
    plan = Plan(vignette_id=case.id, rationale="This task is evidence-based and well known to help.")
    assert status(plan, case, "rationale") == "missing"


@pytest.mark.parametrize("case", ALL)
def test_a_cycle_in_plain_words_about_this_client_is_a_mechanism(case):
    name = case.client.name.split()[-1]
    goal = case.goals[0].text
    plain = (f"For {name}, avoiding it feeds the problem: the more {name} holds back, the worse it gets, and it "
             f"piles up. Doing this small step each day breaks that loop, a step toward \"{goal}\".")
    generic = "Homework helps, so it will be good for the client."
    assert status(Plan(vignette_id=case.id, rationale=plain), case, "rationale") in {"met", "partial"}
    assert status(Plan(vignette_id=case.id, rationale=generic), case, "rationale") == "missing"
