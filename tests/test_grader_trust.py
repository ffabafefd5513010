"""Grader 2: gates that generalise, the safety gate, and reading the plan as a whole.

Every rule has a plan that must trip or earn it and one that must not, built by general
transformations of each case's reference plan (never text written to fit one case)."""

from __future__ import annotations

import pytest

from course.grading import exam_case
from course.plans import Plan
from course.scoring import GRADER_VERSION, score_plan
from course.vignettes import get_vignette

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


# -- rules found by a case author writing new cases (issue 9, second round) --------------------------
def _therapist_option_line(case) -> str | None:
    """The first sentence of a therapist turn that offers options ("... or ..."), if the transcript has one."""
    from course.language import split_sentences

    for turn in case.transcript:
        if turn.speaker.lower() == "therapist":
            for sentence in split_sentences(turn.text):
                if " or " in sentence and len(sentence.split()) >= 8:
                    return sentence
    return None


def _reads_as_copy_in_rationale(case) -> bool:
    from course.scoring.reading import PlanReading

    line = _therapist_option_line(case)
    if line is None:
        return False
    pasted = PlanReading(with_changes(reference(case), rationale=line), case)
    return any("copied from the case" in s.flags for s in pasted.sentences if s.field == "rationale")


OPTION_CASES = cases_where(_reads_as_copy_in_rationale)


@pytest.mark.parametrize("case", OPTION_CASES)
def test_options_restated_from_the_session_are_the_record_not_a_copy(case):
    """The options field may restate the therapist's words offering them (the cases chosen are those
    where the same words pasted into the rationale read as a copy)."""
    restated = with_changes(reference(case), collaboration__options_offered=_therapist_option_line(case))
    assert status(restated, case, "collaboration") == "met"
    assert len(OPTION_CASES) >= 5


def _therapist_side(view: str) -> list[str]:
    """The case's therapist-side account told three ways: as written, "The therapist ...", no subject."""
    import re

    bare = re.sub(r"^(I|We)\s+", "", view)
    return [view, re.sub(r"^(I|We)\b", "The therapist", view), bare[0].upper() + bare[1:]]


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.takeaway.therapist_view)))
def test_a_takeaway_told_from_the_therapist_side_is_partial_however_phrased(case):
    ref = reference(case)
    for told in _therapist_side(case.takeaway.therapist_view):
        plan = with_changes(ref, takeaway=told)
        assert status(plan, case, "session_link") == "partial", told
    assert status(with_changes(ref, takeaway=case.takeaway.text), case, "session_link") == "met"


@pytest.mark.parametrize("case", ALL)
def test_a_takeaway_with_a_semicolon_is_still_only_a_quote(case):
    """A case takeaway whose second half sounds like a link ("; so this ... helps") links nothing by itself."""
    from course.vignettes import Vignette

    data = case.model_dump()
    data["takeaway"]["text"] = case.takeaway.text.rstrip(".") + "; so this practice is the step that helps me move on"
    changed = Vignette.model_validate(data)
    only = Plan(vignette_id=case.id, goal=case.goals[0].text, takeaway=changed.takeaway.text)
    assert status(only, changed, "session_link") == "partial"
    linked = with_changes(reference(changed), takeaway=changed.takeaway.text)
    assert status(linked, changed, "session_link") == "met"


@pytest.mark.parametrize("case", ALL[:8])
def test_a_person_named_with_the_does_not_make_every_plan_about_this_client(case):
    """client.others: ["the Boss"]: "the" is no name, so a plan for a stranger is still another client's."""
    from course.vignettes import Vignette

    data = case.model_dump()
    data["client"]["others"] = [*case.client.others, "the Boss"]
    changed = Vignette.model_validate(data)
    other = CASES[(CASES.index(case) + 1) % len(CASES)]
    stranger = _stranger_plan(other, names_at_openings_only=False)
    assert score_plan(stranger, changed).gate == "other_case"
    assert score_plan(reference(changed), changed).total == changed_max(changed)


def changed_max(case) -> float:
    return score_plan(reference(case), case).max


def _stranger_plan(other, *, names_at_openings_only: bool) -> Plan:
    """Another case's reference plan, its people renamed to names no case uses; optionally the client's
    name is kept only where it opens a sentence (elsewhere it becomes "they")."""
    import re

    strangers = ["Ottoline", "Brannock", "Quillon", "Vesna", "Talfryn", "Isolde"]
    names = [other.client.name.split()[-1]] + [o.split()[-1] for o in other.client.others]

    def rename(value):
        if isinstance(value, str):
            for old, new in zip(names, strangers, strict=False):
                value = renamed(value, old, new)
            if names_at_openings_only:
                value = re.sub(rf"(?<![.!?;:]\s)(?<!^)\b{strangers[0]}(?:'s|’s)?\b", "they", value)
            return value
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    return Plan.model_validate(rename(reference(other).model_dump()))


def _next_case(case):
    return CASES[(CASES.index(case) + 1) % len(CASES)]


@pytest.mark.parametrize("case", cases_where(
    lambda c: "Ottoline" in str(_stranger_plan(_next_case(c), names_at_openings_only=True).model_dump())))
def test_a_stranger_named_only_at_the_start_of_sentences_is_still_a_stranger(case):
    """The other client's name only opens sentences ("Ottoline chose…"); the people in their life keep theirs."""
    report = score_plan(_stranger_plan(_next_case(case), names_at_openings_only=True), case)
    assert report.gate == "other_case", [(i.id, i.status) for i in report.items if i.points]


@pytest.mark.parametrize("case", ALL)
def test_ordinary_words_opening_sentences_are_not_names(case):
    ref = reference(case)
    plan = with_changes(ref, adaptations=ref.adaptations + " Mondays and Thursdays suit best. Walking is easy. "
                        "Practice will stay short. Evenings are busy.")
    assert score_plan(plan, case).gate is None


@pytest.mark.parametrize("case", ALL)
def test_someone_else_driving_when_sleepy_is_no_drowsy_driving(case):
    ref = reference(case)
    others = with_changes(ref, adaptations=ref.adaptations + " Ottoline will drive on sleepy mornings.")
    assert not score_plan(others, case).capped or score_plan(ref, case).capped
    client = with_changes(ref, adaptations=ref.adaptations + " She will drive on sleepy mornings.")
    report = score_plan(client, case)
    assert report.capped and "driving while drowsy" in report.item("safety").feedback


@pytest.mark.parametrize("case", NO_RISKS)
def test_calling_the_task_safe_invents_no_risk(case):
    ref = reference(case)
    safe = with_changes(ref, adaptations=ref.adaptations + " He has a sore knee, so the practice is kept short and safe for him.")
    assert status(safe, case, "safety") == "met"
    invented = with_changes(ref, adaptations=ref.adaptations + " He has thoughts of suicide most evenings.")
    assert status(invented, case, "safety") == "missing"


@pytest.mark.parametrize("case", ALL)
def test_must_language_negated_frees_the_client(case):
    ref = reference(case)
    free = with_changes(ref, framing=ref.framing + " I don't have to guess: whatever happens, I learn something.")
    assert status(free, case, "framing") == "met"
    must = with_changes(ref, framing=ref.framing + " You have to finish it every single day.")
    assert status(must, case, "framing") != "met"


@pytest.mark.parametrize("case", cases_where(lambda c: bool(c.answer_key.unsafe)))
def test_an_unsafe_phrase_in_the_condition_of_an_if_then_instructs_nothing(case):
    ref = reference(case)
    phrase = case.answer_key.unsafe[0]
    conditional = with_changes(ref, minimum_version=ref.minimum_version + f" If I want to {phrase}, I'll text my therapist first.")
    assert not score_plan(conditional, case).capped
    instructed = with_changes(ref, minimum_version=ref.minimum_version + f" On a bad day, {phrase}.")
    assert score_plan(instructed, case).capped


@pytest.mark.parametrize("case", ALL)
def test_the_top_of_next_session_is_early(case):
    record = "She writes the times down each day on her phone and brings them."
    top = Plan(vignette_id=case.id, record=record, review="We will go through the record at the top of next session.")
    assert status(top, case, "review_plan") == "met"
    later = Plan(vignette_id=case.id, record=record, review="We will go through the record at some point next session.")
    assert status(later, case, "review_plan") == "partial"


def _risk_cue(case) -> str:
    risk = case.risks[0]
    return risk.cues[0] if risk.cues else risk.text.split(",")[0]


@pytest.mark.parametrize("case", WITH_RISKS)
def test_a_screen_that_found_none_of_a_risk_the_case_holds_is_a_wrong_judgement(case):
    """A risk's own cue inside "screened for ...: none identified" does not name the risk as present."""
    ref = reference(case)
    wrong = with_changes(ref, risk=f"Screened for {_risk_cue(case)}: none identified.")
    report = score_plan(wrong, case)
    assert report.item("safety").status == "missing" and report.capped
    assert status(ref, case, "safety") == "met"


def _session_link_with_takeaway(case_id: str, takeaway: str):
    case = get_vignette(case_id)
    plan = case.key.reference_plan.model_copy(update={"takeaway": takeaway})
    return next(i for i in score_plan(plan, case).items if i.id == "session_link")


def test_the_clients_own_words_quoted_are_not_the_therapists_side():
    """A takeaway quoted as the client said it ("...I remembered her laughing") is the client's voice."""
    case = get_vignette("klaus-grief")
    item = _session_link_with_takeaway("klaus-grief", f'"{case.takeaway.text}"')
    assert item.status == "met", item.evidence


def test_the_therapist_acting_on_the_client_outside_quotes_stays_the_therapists_side():
    """The same moment told as what the therapist did to the client earns only part of the point."""
    item = _session_link_with_takeaway(
        "klaus-grief", "I showed him his grief ratings coming down from 8 to 5 while he talked about the photo of Ulla.")
    assert item.status == "partial"


def _rationale_status(case_id: str, rationale: str) -> str:
    case = get_vignette(case_id)
    return status(case.key.reference_plan.model_copy(update={"rationale": rationale}), case, "rationale")


def test_a_rationale_naming_the_client_and_their_own_cycle_is_tied_to_them():
    """Naming the client and two steps of the cycle the case describes ("withdraw", "shame") ties the reason to them."""
    assert _rationale_status("maya-activation", "Maya tends to withdraw and then feels shame, so small steps help.") == "met"


@pytest.mark.parametrize("rationale", [
    "People who withdraw and feel shame get stuck, so small steps help.",  # the cycle, but nobody's in particular
    "Maya: small steps help mood.",  # the client named, but no step of her cycle
])
def test_a_rationale_without_the_client_or_without_their_cycle_is_not_tied_to_them(rationale):
    """The same mechanism about people in general, or the client's name on a general reason, earns part only."""
    assert _rationale_status("maya-activation", rationale) == "partial"


def _dose(case_id: str, **update) -> object:
    case = get_vignette(case_id)
    plan = case.key.reference_plan.model_copy(update=update)
    return next(i for i in score_plan(plan, case).items if i.id == "doable_dose")


def test_meals_the_client_eats_anyway_are_not_extra_homework_time():
    """Regular eating changes when the client eats: six meals of 20 minutes are not 120 minutes of homework."""
    item = _dose("jess-regular-eating", duration="About 20 minutes for each meal or snack.")
    assert item.status == "met", item.evidence
    assert any("not extra time" in e for e in item.evidence)


def test_the_same_minutes_for_a_task_that_adds_time_are_held_against_the_week():
    """The same six 20-minute sessions as an added activity are more than Jess's week allows."""
    item = _dose("jess-regular-eating", duration="About 20 minutes for each meal or snack.", task_type="activity_scheduling")
    assert item.status == "partial"


@pytest.mark.parametrize("minimum", ["None; the rules only work if followed every night.", "No minimum version this week.",
                                     "N/A"])
def test_a_minimum_version_field_that_refuses_one_is_no_minimum_version(minimum):
    """Writing "None; ..." in the minimum-version field is a refusal, not a bad-day version."""
    item = _dose("maya-activation", minimum_version=minimum)
    assert item.status != "met" and not any("minimum version" in e for e in item.evidence)


def test_a_minimum_version_that_starts_with_a_number_word_still_counts():
    """A real bad-day version is still read as one."""
    item = _dose("maya-activation", minimum_version="On a heavy day: two plates and one text, even just a photo.")
    assert any("minimum version" in e for e in item.evidence)


def _goal_link_only(goal_link: str) -> str:
    """goal_link's status for a bare Maya plan where only the goal-link field can link task and goal."""
    from course.plans import plan_from_data

    plan = plan_from_data({"vignette_id": "maya-activation", "goal": "Get out of bed before 10", "goal_link": goal_link,
                           "task": "Wash up for 10 minutes after lunch each weekday.",
                           "task_type": "activity_scheduling"}, "goal-link-probe")
    return status(plan, get_vignette("maya-activation"), "goal_link")


def test_a_conditional_goal_link_links_the_task_to_the_goal():
    """"If she does X, Y should follow" is a link between the task and the goal (no "so" or "because" needed)."""
    assert _goal_link_only("If she gets the washing up done after lunch, getting out of bed before 10 should "
                           "start to feel worth it.") == "met"


@pytest.mark.parametrize("goal_link", ["She gets the washing up done after lunch. Getting out of bed before 10 matters.",
                                       "She wants to get out of bed before 10."])
def test_a_goal_link_that_only_restates_the_goal_links_nothing(goal_link):
    """Putting the task and the goal side by side, or repeating the goal, does not say how one leads to the other."""
    assert _goal_link_only(goal_link) == "partial"


@pytest.mark.parametrize("text, times", [("Six times a day, every day", 6), ("three times a day", 3), ("3x a day", 3),
                                         ("twice a day", 2), ("Every evening", 1), ("once a day, five days", 1)])
def test_frequencies_in_words_are_read_like_digits(text, times):
    """"Six times a day" is six, not once; a frequency with no count per day is once."""
    from course.scoring.timing import times_per_day

    assert times_per_day(text) == times


def test_evidence_is_cut_between_words_never_inside_one():
    """Long evidence is shortened at a word boundary ("…waiting to…", never "…waitin…")."""
    from course.language import excerpt

    text = "Getting in touch with Tess at a set time each weekday rebuilds the contact Maya has let drop"
    cut = excerpt(text, 40)
    assert cut.endswith("…") and len(cut) <= 40
    assert cut[:-1].split()[-1] in text.split()
    assert excerpt("short enough", 40) == "short enough"
