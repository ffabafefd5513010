"""The grader uses what schema v2 can say: each rule with a plan that earns the point and one that must not."""

from __future__ import annotations

import copy

import yaml

from course.plans import Plan
from course.scoring import score_plan
from course.vignettes import Vignette, upgrade_vignette_data, vignette_from_data

from conftest import ROOT

VIGNETTES = ROOT / "course" / "data" / "vignettes"


def case_data(case_id: str) -> dict:
    return upgrade_vignette_data(yaml.safe_load((VIGNETTES / f"{case_id}.yaml").read_text(encoding="utf-8")))


def build(data: dict) -> Vignette:
    return vignette_from_data(copy.deepcopy(data), "test case")


def plan(case: Vignette, **changes) -> Plan:
    return case.key.reference_plan.model_copy(update=changes)


def item(case: Vignette, the_plan: Plan, item_id: str):
    return score_plan(the_plan, case).item(item_id)


# -- a rotating rota ---------------------------------------------------------------------------------
ROTA = {
    "text": "Four nights on, a recovery day, then three days off; the block moves each week.",
    "phases": [
        {"name": "night block", "days": 4, "cues": ["nights", "night shifts", "work nights"],
         "unavailable": [{"start": "19:00", "end": "08:00", "reason": "on shift"},
                         {"start": "08:30", "end": "15:00", "reason": "asleep after a night"}]},
        {"name": "recovery day", "days": 1, "whole_day": True, "cues": ["recovery days"]},
        {"name": "days off", "days": 3, "cues": ["off days", "day off"]},
    ],
}


def rota_case() -> Vignette:
    data = case_data("maya-activation")
    data["constraints"].append({"id": "rota", "kind": "schedule", "text": "Maya now works a rotating rota of nights.",
                                "key": True, "hard": True, "rota": ROTA})
    return build(data)


def test_a_plan_set_around_the_rota_earns_fit():
    case = rota_case()
    good = plan(case, when="On days off at 13:00 after lunch, and on night-block days at 16:00 before the shift.",
                frequency="On days off and work nights, not on the recovery day.")
    result = item(case, good, "fit")
    assert result.status == "met", result.feedback
    assert any("rota" in e for e in result.evidence)


def test_a_fixed_time_that_falls_in_the_night_blocks_sleep_does_not():
    case = rota_case()
    result = item(case, plan(case, when="Every day at 10:00.", frequency="Every day."), "fit")
    assert result.status == "missing" and "asleep after a night" in result.feedback


def test_a_daily_plan_that_runs_through_the_recovery_day_does_not():
    case = rota_case()
    result = item(case, plan(case, when="Every day at 17:00.", frequency="Daily."), "fit")
    assert result.status == "missing" and "recovery day" in result.feedback
    spared = item(case, plan(case, when="Every day at 17:00 except on the recovery day.", frequency="Daily."), "fit")
    assert "recovery day" not in spared.feedback


# -- a constraint that applies only when the plan involves someone -------------------------------------
def applies_case() -> Vignette:
    data = case_data("maya-activation")
    data["constraints"].append({
        "id": "tess-shifts", "kind": "social", "text": "Tess works late on weekdays and cannot take calls before 18:00.",
        "key": True, "hard": False, "applies_when": ["Tess"], "addressed_by": ["after 18:00", "evening text"],
        "breaks": ["ring Tess at 15:30", "call Tess at 15:30"],
    })
    return build(data)


def without_tess(case: Vignette) -> Plan:
    """The reference plan with Tess's part given to a neighbour, Ana."""
    text = case.key.reference_plan.model_dump_json().replace("Tess", "Ana")
    return Plan.model_validate_json(text)


def test_an_applies_when_constraint_counts_only_for_a_plan_that_involves_the_person():
    case = applies_case()
    with_tess = item(case, case.key.reference_plan, "fit")  # the reference plan rings Tess at 15:30
    assert with_tess.status == "partial" and "Tess works late" in with_tess.feedback
    no_tess = item(case, without_tess(case), "fit")
    assert no_tess.status == "met" and "Tess works late" not in no_tess.feedback


def test_a_plan_that_meets_the_person_on_their_terms_earns_fit():
    case = applies_case()
    fixed = plan(case, task=case.key.reference_plan.task.replace("at 3:30 pm", "after 18:00"),
                 when="Every weekday at about 13:00 for the washing-up; after 18:00 for an evening text to Tess")
    result = item(case, fixed, "fit")
    assert result.status == "met", result.feedback


# -- people: each with their own confidence and availability ----------------------------------------
def couple_case(**alex) -> Vignette:
    data = case_data("kim-alex-couple")
    data["people"] = [{"name": "Alex", "role": "partner", **alex}]
    return build(data)


def test_each_partner_rating_their_own_confidence_earns_commitment_check():
    case = couple_case()
    both = plan(case, confidences={"Kim": 8, "Alex": 7})
    result = item(case, both, "commitment_check")
    assert result.status == "met" and "Alex's confidence: 7/10" in result.evidence
    in_words = plan(case, confidence=None, confidence_change="Kim rated it 8 out of 10 and Alex 7/10.")
    assert item(case, in_words, "commitment_check").status == "met"


def test_one_rating_for_two_people_does_not():
    case = couple_case()
    teach = case.key.reference_plan.teach_back.split(" Kim rated")[0]  # without "Kim rated her confidence 7 and Alex 9"
    # typed plans (no conversation: Kim and Alex each give their number when the scripted couple is asked)
    result = item(case, plan(case, teach_back=teach, conversation=[]), "commitment_check")  # one confidence: 7
    assert result.status == "partial" and "Alex's own confidence rating" in result.feedback
    low = item(case, plan(case, confidences={"Kim": 8, "Alex": 5}, conversation=[]), "commitment_check")
    assert low.status == "partial" and "5/10" in low.feedback


def test_without_people_the_case_asks_for_one_rating_as_before():
    case = build(case_data("kim-alex-couple"))
    assert item(case, case.key.reference_plan, "commitment_check").status == "met"


def test_a_time_the_other_partner_cannot_make_breaks_fit():
    busy = {"unavailable": [{"days": ["sun", "mon"], "start": "19:00", "end": "23:00", "reason": "coaching football"}]}
    case = couple_case(**busy)
    result = item(case, case.key.reference_plan, "fit")  # Sunday and Monday at 20:00, together
    assert result.status == "missing" and "Alex cannot take part" in result.feedback
    moved = plan(case, when="Sunday and Monday at 17:00, before Mia's bath (Kim's nights off).")
    assert item(case, moved, "fit").status == "met"


# -- summary access: all of ----------------------------------------------------------------------
def access_case(access: dict) -> Vignette:
    data = case_data("maya-activation")
    data["answer_key"]["summary_access"] = access
    return build(data)


def test_a_summary_in_every_form_needed_earns_written_summary():
    case = access_case({"all_of": [["Spanish", "español"], ["audio", "voice note", "recording"]]})
    both = plan(case, summary_format="A voice note in Spanish on her phone.")
    result = item(case, both, "written_summary")
    assert result.status == "met", result.feedback


def test_a_summary_in_only_one_of_the_forms_needed_does_not():
    case = access_case({"all_of": [["Spanish", "español"], ["audio", "voice note", "recording"]]})
    result = item(case, plan(case, summary_format="A voice note on her phone.", format="", adaptations=""),
                  "written_summary")
    assert result.status == "partial" and "Spanish" in result.feedback and "audio" not in result.feedback.split("(")[-1]
    any_of = access_case({"any_of": ["Spanish", "audio"]})
    assert item(any_of, plan(any_of, summary_format="A voice note on her phone."), "written_summary").status == "met"


# -- the exposure hierarchy ------------------------------------------------------------------------
LADDER = [
    {"id": "one-stop", "text": "One stop on the 14 with her mum", "suds": 40, "cues": ["one stop with"]},
    {"id": "two-stops", "text": "Two stops alone off-peak", "suds": 60, "cues": ["two stops alone", "two stops on my own"]},
    {"id": "rush-hour", "text": "The whole route alone at rush hour", "suds": 90, "cues": ["whole route", "rush hour"]},
]


def ladder_case(suitable: list[str]) -> Vignette:
    data = case_data("aisha-panic")
    data["exposure_hierarchy"] = LADDER
    data["answer_key"]["suitable_steps"] = suitable
    return build(data)


def test_a_step_from_the_hierarchy_that_suits_this_week_earns_doable_dose():
    case = ladder_case(["one-stop", "two-stops"])
    result = item(case, case.key.reference_plan, "doable_dose")  # "two stops alone off-peak"
    assert result.status == "met", result.feedback
    assert any("Two stops alone off-peak" in e for e in result.evidence)


def test_a_step_too_high_for_this_week_does_not():
    case = ladder_case(["one-stop", "two-stops"])
    high = plan(case, hierarchy_step="Top of her ladder: the whole route alone at rush hour, 90 out of 100.")
    result = item(case, high, "doable_dose")
    assert result.status == "partial" and "not a step for this week" in result.feedback


def test_a_step_that_is_not_on_the_clients_hierarchy_does_not():
    case = ladder_case([])
    other = plan(case, hierarchy_step="Step 2: sitting in a crowded cinema for an hour, 70 out of 100.",
                 task="Sit in a crowded cinema for a whole film on Tuesday and Friday at 14:30, without leaving early.")
    result = item(case, other, "doable_dose")
    assert "not one of the hierarchy built in session" in result.feedback
    assert result.status != "met"
