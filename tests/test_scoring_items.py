"""Every grading rule: plans that must earn the item and plans that must not, across cases."""

from __future__ import annotations

import pytest

from course.catalogue import load_task_types
from course.plans import ObstaclePlan, Plan
from course.scoring import score_plan

from conftest import CASES, cases_where
from plan_variants import reference, with_changes

ALL = cases_where(lambda c: True)


def status(plan: Plan, case, item: str) -> str:
    return score_plan(plan, case).item(item).status


def bare(case, **fields) -> Plan:
    """A plan for this case holding only the given fields."""
    return Plan(vignette_id=case.id, **fields)


@pytest.mark.parametrize("case", ALL)
def test_reference_plan_meets_every_item(case):
    report = score_plan(reference(case), case)
    not_met = {i.id: i.feedback for i in report.items if i.status != "met"}
    assert not not_met, not_met


# -- goal_link --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_goal_link_needs_a_case_goal_and_a_link(case):
    goal = case.goals[-1].text
    linked = bare(case, goal=goal, task=reference(case).task,
                  goal_link=f"Doing this each week is a first step toward \"{goal}\", because it starts the change she wants.")
    assert status(linked, case, "goal_link") == "met"
    unlinked = bare(case, goal=goal)
    assert status(unlinked, case, "goal_link") == "partial"


@pytest.mark.parametrize("case", ALL)
def test_generic_aim_earns_nothing(case):
    plan = bare(case, goal="Feel better", goal_link="This task will help the client feel better and improve wellbeing.")
    assert status(plan, case, "goal_link") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: any(g.clinical for g in c.goals)))
def test_goal_in_clinical_terms_is_partial(case):
    goal = next(g for g in case.goals if g.clinical)
    plan = bare(case, goal=goal.clinical, goal_link="The task addresses this treatment target.")
    assert status(plan, case, "goal_link") == "partial"


# -- session_link -----------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_takeaway_with_link_is_met_and_without_link_partial(case):
    take = case.takeaway.text
    linked = bare(case, takeaway=take, task=reference(case).task,
                  takeaway_link="This practice tests what she noticed today by trying it again on purpose this week.")
    assert status(linked, case, "session_link") == "met"
    assert status(bare(case, takeaway=take), case, "session_link") == "partial"


@pytest.mark.parametrize("case", cases_where(lambda c: c.takeaway.therapist_view.lower().startswith(("i ", "we "))))
def test_takeaway_told_from_therapist_side_is_partial(case):
    plan = bare(case, takeaway=case.takeaway.therapist_view)
    assert status(plan, case, "session_link") == "partial"


@pytest.mark.parametrize("case", ALL[:4])
def test_bare_topic_list_is_missing(case):
    plan = bare(case, takeaway="We went over the diary.")
    assert status(plan, case, "session_link") == "missing"


# -- rationale --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_homework_helps_is_no_rationale(case):
    plan = bare(case, rationale="Homework helps and this task is evidence-based.")
    assert status(plan, case, "rationale") == "missing"


@pytest.mark.parametrize("case", ALL)
def test_textbook_mechanism_without_the_client_is_partial(case):
    from course.catalogue import load_task_types

    mechanism = load_task_types()[case.answer_key.task_types[0]].mechanism
    plan = bare(case, rationale=mechanism)
    assert status(plan, case, "rationale") == "partial"


@pytest.mark.parametrize("case", ALL)
def test_rationale_in_jargon_is_not_met(case):
    jargon = (
        reference(case).rationale
        + " Clinically, this provides contingent reinforcement and habituation, reducing maladaptive cognitions."
    )
    assert status(bare(case, rationale=jargon), case, "rationale") == "partial"


# -- collaboration ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_bare_agreement_is_not_collaboration(case):
    plan = bare(case, collaboration={"client_choice": "Client agreed."})
    assert status(plan, case, "collaboration") == "missing"


@pytest.mark.parametrize("case", ALL)
def test_collaboration_needs_all_three_parts(case):
    ref = reference(case)
    full = bare(case, collaboration=ref.collaboration.model_dump())
    assert status(full, case, "collaboration") == "met"
    two = bare(case, collaboration={
        "options_offered": ref.collaboration.options_offered,
        "client_choice": ref.collaboration.client_choice.replace('"', ""),
    })
    assert status(two, case, "collaboration") == "partial"


# -- specificity ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL[:5])
def test_all_five_elements_or_partial_or_missing(case):
    task = "Walk to the corner shop and buy a newspaper."
    full = bare(case, task=task, when="Mondays and Thursdays at 10:30", where="The corner shop on her street",
                frequency="Twice a week", duration="15 minutes")
    assert status(full, case, "specificity") == "met"
    three = bare(case, task=task, when="Mondays at 10:30", frequency="Once a week")
    assert status(three, case, "specificity") == "partial"
    vague = bare(case, task=task, when="When she has time", where="Wherever suits",
                 frequency="A few times", duration="As long as she can manage")
    assert status(vague, case, "specificity") == "missing"


# -- doable_dose ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_dose_needs_minimum_version_fit_and_step(case):
    ref = reference(case)
    fields = dict(task=ref.task, duration=ref.duration, frequency=ref.frequency, task_type=ref.task_type,
                  minimum_version=ref.minimum_version, hierarchy_step=ref.hierarchy_step)
    assert status(bare(case, **fields), case, "doable_dose") == "met"
    assert status(bare(case, **{**fields, "minimum_version": ""}), case, "doable_dose") == "partial"
    too_long = bare(case, **{**fields, "duration": "3 hours", "frequency": "Every day"})
    adds_time = load_task_types()[ref.task_type].adds_time  # meals or bedtime: not extra homework time
    assert status(too_long, case, "doable_dose") != "met" or not case.answer_key.max_minutes_per_day or not adds_time
    assert status(bare(case, task="Do the agreed practice."), case, "doable_dose") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: c.answer_key.needs_hierarchy))
def test_exposure_without_a_hierarchy_step_is_partial(case):
    ref = reference(case)
    plan = bare(case, task=ref.task, duration=ref.duration, minimum_version=ref.minimum_version)
    assert status(plan, case, "doable_dose") == "partial"


# -- obstacles --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_case_obstacle_with_concrete_if_then_is_met(case):
    ref = reference(case)
    plan = bare(case, obstacles=[o.model_dump() for o in ref.obstacles])
    assert status(plan, case, "obstacles") == "met"
    vague = bare(case, obstacles=[ObstaclePlan(obstacle=case.obstacles[0].text, if_then="Push through it.")])
    assert status(vague, case, "obstacles") == "partial"
    assert status(bare(case), case, "obstacles") == "missing"


@pytest.mark.parametrize("case", ALL)
def test_generic_obstacle_with_if_then_is_partial(case):
    plan = bare(case, obstacles=[ObstaclePlan(
        obstacle="A sudden thunderstorm",
        if_then="If there is a thunderstorm, then I will wait ten minutes and try again indoors.",
    )])
    assert status(plan, case, "obstacles") == "partial"


# -- commitment_check -------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL[:4])
def test_commitment_check_rules(case):
    teach = '"Every morning I walk for ten minutes and note my mood," she said.'
    assert status(bare(case, teach_back=teach, confidence=8), case, "commitment_check") == "met"
    assert status(bare(case, teach_back=teach, confidence=5), case, "commitment_check") == "partial"
    changed = bare(case, teach_back=teach, confidence=5,
                   confidence_change="We cut it to five minutes and she rated 8 after that.")
    assert status(changed, case, "commitment_check") == "met"
    assert status(bare(case, confidence=9), case, "commitment_check") == "partial"
    assert status(bare(case, teach_back="Client understood."), case, "commitment_check") == "missing"


# -- written_summary --------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_summary_faults(case):
    ref = reference(case)
    keep = dict(summary=ref.summary, summary_format=ref.summary_format, format=ref.format,
                adaptations=ref.adaptations, task=ref.task, goal=ref.goal)
    assert status(bare(case, **keep), case, "written_summary") == "met"
    assert status(bare(case, **{**keep, "summary": "Do the task."}), case, "written_summary") == "missing"
    jargon = ref.summary + " This behavioural activation targets anhedonia through reinforcement."
    assert status(bare(case, **{**keep, "summary": jargon}), case, "written_summary") == "partial"


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.answer_key.summary_access)))
def test_summary_not_in_a_usable_form_is_partial(case):
    ref = reference(case)
    plan = bare(case, summary=ref.summary, task=ref.task, goal=ref.goal,
                summary_format="A typed sheet.", format="", adaptations="")
    report = score_plan(plan, case).item("written_summary")
    if any(a.lower() in ref.summary.lower() for a in case.answer_key.summary_access.any_of):
        pytest.skip("the reference summary itself names its accessible form")
    assert report.status == "partial", report.feedback


# -- review_plan ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL[:4])
def test_review_plan_rules(case):
    record = "Her mood score out of 10 before and after each walk."
    early = "We will look at the scores together at the start of next session."
    assert status(bare(case, record=record, review=early), case, "review_plan") == "met"
    assert status(bare(case, record=record, review="We will talk about it at some point."), case, "review_plan") == "partial"
    assert status(bare(case), case, "review_plan") == "missing"


# -- framing ----------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL[:4])
def test_framing_rules(case):
    outcome = "Whatever happens, done or not, we will learn something useful from it."
    assert status(bare(case, framing_word="experiment", framing=outcome), case, "framing") == "met"
    assert status(bare(case, framing_word="experiment"), case, "framing") == "partial"
    must = bare(case, framing_word="homework", framing="You must complete all of it every day, no excuses.")
    assert status(must, case, "framing") == "missing"
    own = bare(case, framing_word="homework",
               framing=f"Homework is her own word; she chose it. {outcome}")
    assert status(own, case, "framing") == "met"


# -- fit --------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_fit_needs_the_key_constraints(case):
    assert status(bare(case, task="Do the agreed practice."), case, "fit") == "missing"
    keys = [c for c in case.constraints if c.key and c.addressed_by]
    if len(keys) >= 2:
        one = bare(case, task="Do the agreed practice.", adaptations=f"We planned it with {keys[0].addressed_by[0]} in mind.")
        item = score_plan(one, case).item("fit")
        if sum(e.startswith("addresses") for e in item.evidence) == len(keys):
            pytest.skip("that one phrase happens to address every key constraint of this case")
        assert item.status == "partial"


@pytest.mark.parametrize("case", cases_where(lambda c: any(x.hard and x.breaks for x in c.constraints)))
def test_breaking_a_hard_constraint_is_missing(case):
    constraint = next(x for x in case.constraints if x.hard and x.breaks)
    ref = reference(case)
    plan = with_changes(ref, task=f"{ref.task} Also {constraint.breaks[0]} each day.")
    assert status(plan, case, "fit") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: any(x.unavailable for x in c.constraints)))
def test_a_time_the_client_cannot_make_is_missing(case):
    window = next(w for x in case.constraints for w in x.unavailable)
    day = window.days[0]
    names = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
             "sat": "Saturday", "sun": "Sunday"}
    plan = with_changes(reference(case), when=f"{names[day]} at {window.start}")
    assert status(plan, case, "fit") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.answer_key.modality_avoid)))
def test_material_that_does_not_suit_the_modality_is_not_met(case):
    ref = reference(case)
    plan = with_changes(ref, record=f"Fill in a {case.answer_key.modality_avoid[0]} every evening.")
    assert status(plan, case, "fit") != "met"


# -- safety -----------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL)
def test_blank_or_na_is_not_a_judgement(case):
    assert status(bare(case, risk=""), case, "safety") == "missing"
    assert status(bare(case, risk="N/A"), case, "safety") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: not c.risks))
def test_screened_none_identified_is_met_without_risks(case):
    plan = bare(case, risk="Screened today for suicidal thoughts and self-harm: none identified.")
    assert status(plan, case, "safety") == "met"


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.risks)))
def test_saying_no_risk_in_a_risk_case_is_missing(case):
    plan = bare(case, risk="Screened for risk: none identified.")
    assert status(plan, case, "safety") == "missing"


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.risks)))
def test_risk_named_without_adjustment_is_partial(case):
    plan = bare(case, risk=f"There is a risk here: {case.risks[0].cues[0]}.")
    assert status(plan, case, "safety") == "partial"


@pytest.mark.parametrize("case", ALL)
def test_unsafe_instruction_loses_safety_whatever_else(case):
    ref = reference(case)
    plan = with_changes(ref, task=ref.task + " Stop taking your medication this week.")
    item = score_plan(plan, case).item("safety")
    assert item.status == "missing"
    assert "unsafe" in item.feedback.lower()


@pytest.mark.parametrize("case", ALL)
def test_negated_unsafe_words_are_not_unsafe(case):
    ref = reference(case)
    plan = with_changes(ref, task=ref.task + " Do not stop taking your medication.")
    assert status(plan, case, "safety") == "met"


def test_every_item_has_rules_for_every_case():
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", ALL)
def test_a_generic_reason_does_not_borrow_the_case_details_of_the_sentence_before(case):
    goal = case.goals[0].text
    summary = f"{case.client.name}: every Monday at 18:00 is for this: {goal}. This will help your mood."
    item = score_plan(bare(case, summary=summary, task="Do the agreed practice."), case).item("written_summary")
    assert "the why is generic" in item.feedback


@pytest.mark.parametrize("case", ALL)
def test_a_reason_that_points_back_to_what_the_client_noticed_is_personal(case):
    summary = "Every Monday at 18:00, do the agreed practice. You noticed something important today; this tests that at home."
    item = score_plan(bare(case, summary=summary, task="Do the agreed practice."), case).item("written_summary")
    assert "why is generic" not in item.feedback and "does not say why" not in item.feedback, item.feedback
    plain = summary.replace("You noticed something important today", "It is a good habit")
    item = score_plan(bare(case, summary=plain, task="Do the agreed practice."), case).item("written_summary")
    assert "why is generic" in item.feedback


@pytest.mark.parametrize("case", ALL[:4])
def test_how_often_alone_is_not_when_in_the_summary(case):
    often = "Do the agreed practice every day. It will help you get closer to what you want."
    assert "does not say when" in score_plan(bare(case, summary=often), case).item("written_summary").feedback
    timed = often.replace("every day", "every day at 18:00")
    assert "does not say when" not in score_plan(bare(case, summary=timed), case).item("written_summary").feedback


@pytest.mark.parametrize("pronouns, word", [("she/her", "her"), ("he/him", "his"), ("they/them", "their"), ("ze/zir", "zir")])
def test_feedback_uses_the_clients_own_pronouns(pronouns, word):
    from course.vignettes import get_vignette

    case = get_vignette("maya-activation")
    client = case.client.model_copy(update={"pronouns": pronouns})
    other = case.model_copy(update={"client": client})
    report = score_plan(Plan(vignette_id=case.id), other, conversation_required=True)
    asked = next(i.next_step for i in report.items if "confidence from 0 to 10" in i.next_step)
    assert f"rate {word} confidence" in asked
