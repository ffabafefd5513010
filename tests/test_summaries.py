"""The drafted client summary and its reading level: built from the plan, spoken to the client,
plain enough for grades 6 to 8, never "homework", and no empty parts."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from course.plans import ObstaclePlan, Plan
from course.scoring import score_plan
from course.scoring.timing import has_time_or_trigger
from course.summaries import (
    describe_grade,
    draft_summary,
    first_name,
    framing_word,
    practice_title,
    reading_grade,
    speak_to_client,
)

from conftest import CASES, ROOT, case_by_id

REFERENCE = [pytest.param(case, id=case.id) for case in CASES]
PRONOUNS = {"her", "his", "him", "she", "he", "hers", "herself", "himself", "your", "you", "yourself"}


def _line(draft: str, label: str) -> str:
    found = [line for line in draft.splitlines() if line.startswith(f"{label}: ")]
    assert len(found) == 1, f"no single {label!r} line in:\n{draft}"
    return found[0]


def _content_share(source: str, text: str) -> float:
    """Share of the source's content words (four letters or more, not pronouns) found in text."""
    words = {w for w in re.findall(r"[a-z0-9']+", source.lower()) if len(w) >= 4 and w not in PRONOUNS}
    found = set(re.findall(r"[a-z0-9']+", text.lower()))
    return len(words & found) / len(words) if words else 1.0


# -- the draft for every shipped case ----------------------------------------------------------
@pytest.mark.parametrize("case", REFERENCE)
def test_draft_says_when_and_the_minimum_version(case):
    plan = case.answer_key.reference_plan
    draft = draft_summary(plan, case)
    when = _line(draft, "When")
    assert has_time_or_trigger(when)
    for clock in re.findall(r"\b\d{1,2}:\d{2}\b", plan.when):
        assert clock in when
    assert _content_share(plan.minimum_version, _line(draft, "On a hard day")) >= 0.6
    assert _content_share(plan.task, _line(draft, "What")) >= 0.8


@pytest.mark.parametrize("case", REFERENCE)
def test_draft_speaks_to_the_client_with_their_word_never_homework(case):
    plan = case.answer_key.reference_plan
    draft = draft_summary(plan, case)
    first = draft.splitlines()[0]
    assert first.startswith(f"{first_name(case)}, here ")
    assert framing_word(plan) in first
    assert "homework" not in draft.lower()
    assert "None" not in draft
    assert all(not line.rstrip().endswith(":") for line in draft.splitlines())


@pytest.mark.parametrize("case", REFERENCE)
def test_reference_drafts_read_at_grade_nine_or_below(case):
    grade = reading_grade(draft_summary(case.answer_key.reference_plan, case))
    assert grade is not None and grade <= 9


@pytest.mark.parametrize("case", REFERENCE)
def test_a_drafted_summary_keeps_a_full_marks_plan_at_full_marks(case):
    plan = case.answer_key.reference_plan
    drafted = plan.model_copy(update={"summary": draft_summary(plan, case)})
    report = score_plan(drafted, case)
    assert {item.id: item.status for item in report.items}["written_summary"] == "met"
    assert report.total == score_plan(plan, case).total


def test_draft_is_pure_and_repeatable():
    case = case_by_id("aisha-panic")
    plan = case.answer_key.reference_plan
    before = plan.model_dump()
    assert draft_summary(plan, case) == draft_summary(plan, case)
    assert plan.model_dump() == before


# -- empty parts, homework, framing words ------------------------------------------------------
def test_parts_the_plan_leaves_empty_are_left_out():
    case = case_by_id("aisha-panic")
    plan = Plan(task="Ride the bus two stops.", when="Tuesday at 14:30", obstacles=[ObstaclePlan(obstacle="Late bus")])
    draft = draft_summary(plan, case)
    labels = [line.split(":")[0] for line in draft.splitlines()[1:]]
    assert labels == ["What", "When"]
    assert "None" not in draft and "If ... then" not in draft
    assert draft.splitlines()[0] == "Aisha, here is your practice for this week."


def test_an_empty_plan_drafts_only_the_greeting():
    case = case_by_id("maya-activation")
    assert draft_summary(Plan(), case) == "Maya, here is your practice for this week."


def test_homework_is_never_written_even_when_the_plan_says_it():
    case = case_by_id("jamal-review")
    plan = Plan(framing_word="Homework", task="Do your homework sheet every evening at 19:00.", when="19:00")
    draft = draft_summary(plan, case)
    assert "homework" not in draft.lower()
    assert "practice sheet" in draft


@pytest.mark.parametrize(
    ("word", "clean", "title"),
    [
        ("experiment", "experiment", "Your experiment for this week"),
        ("keeping an eye out (his phrase)", "keeping an eye out", "This week: keeping an eye out"),
        ("prueba (try-out)", "prueba", "Your prueba for this week"),
        ("pacing experiment", "pacing experiment", "Your pacing experiment for this week"),
        ("homework", "practice", "Your practice for this week"),
        ("", "practice", "Your practice for this week"),
    ],
)
def test_framing_word_and_title(word, clean, title):
    plan = Plan(framing_word=word)
    assert framing_word(plan) == clean
    assert practice_title(plan) == title


def test_a_plural_word_reads_here_are():
    case = case_by_id("jamal-review")
    assert draft_summary(Plan(framing_word="check-ins"), case) == "Jamal, here are your check-ins for this week."


def test_a_title_and_surname_are_kept_together():
    assert first_name(case_by_id("okafor-video")) == "Mrs. Okafor"
    assert first_name(case_by_id("aisha-panic")) == "Aisha"


# -- speaking to the client ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case_id", "text", "expected"),
    [
        ("aisha-panic", "Aisha's heart races and she sits down.", "Your heart races and you sit down."),
        ("aisha-panic", "She writes it down, tries again and catches the bus.",
         "You write it down, try again and catch the bus."),
        ("aisha-panic", "She has a card and she is ready; she doesn't give up.",
         "You have a card and you are ready; you don't give up."),
        ("aisha-panic", "Aisha will tell her mum the plan herself.", "You will tell your mum the plan yourself."),
        ("aisha-panic", "Aisha stays in and it leaves her feeling flat.", "You stay in and it leaves you feeling flat."),
        ("okafor-video", "Mrs. Okafor has given up the garden.", "You have given up the garden."),
        ("jamal-review", "Jamal types his mood into his phone when he gets home.",
         "You type your mood into your phone when you get home."),
        ("sofia-telephone", "Sofía calls Carmen.", "You call Carmen."),
        ("sofia-telephone", "Sofia calls her sister.", "You call your sister."),
    ],
)
def test_third_person_becomes_you(case_id, text, expected):
    assert speak_to_client(text, case_by_id(case_id)) == expected


@pytest.mark.parametrize(
    ("case_id", "text"),
    [
        ("nguyen-family", "We review it with Hoa there if she chooses to come."),  # she is Hoa
        ("jordan-teen", "Text Callum after school, then meet him at the side gate."),  # him is Callum
        ("aisha-panic", "If my heart races, then I will stay on until the second stop."),  # first person stays
        ("elena-eft", "Catch the critic as he starts up."),  # he is the critic; Elena is she
    ],
)
def test_other_people_and_first_person_are_left_alone(case_id, text):
    assert speak_to_client(text, case_by_id(case_id)) == text


# -- reading level -------------------------------------------------------------------------------
def test_reading_grade_orders_plain_below_dense_text():
    plain = "Walk the dog at nine. It takes ten minutes. Then have a cup of tea."
    dense = (
        "Systematic behavioural activation necessitates the identification of individualised, "
        "values-congruent activities, which are subsequently scheduled hierarchically according "
        "to anticipated difficulty and reinforcement potential."
    )
    assert reading_grade(plain) < 6 < 12 < reading_grade(dense)


@pytest.mark.parametrize("text", ["", "   ", "\n", "12:30"])
def test_reading_grade_of_nothing_is_none(text):
    assert reading_grade(text) is None


@pytest.mark.parametrize(
    ("grade", "level", "hint"),
    [(7.2, "about grade 7", False), (8.4, "about grade 8", False), (8.5, "about grade 9", True),
     (10.6, "about grade 11", True), (-1.3, "below grade 1", False)],
)
def test_describe_grade_shows_the_level_and_a_hint_above_eight(grade, level, hint):
    text = describe_grade(grade)
    assert text.startswith(f"Reading level: {level}")
    assert ("shorter sentences and everyday words will help." in text) == hint
    # A simpler text is fine for a client handout: below the aim it is praised, never flagged.
    assert ("easy to read" in text) != hint and "aim for" not in text


def test_describe_grade_without_text():
    assert "nothing to measure" in describe_grade(None)


def test_importing_summaries_does_not_import_textstat():
    code = "import sys, course.summaries; print('textstat' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


def test_pronouns_change_only_for_the_client_not_for_someone_named_since():
    from course.summaries import speak_to_client
    from course.vignettes import get_vignette

    maya = get_vignette("maya-activation")
    assert speak_to_client("Maya will text Tess and ring her if she is free.", maya) == (
        "You will text Tess and ring her if she is free.")
    assert speak_to_client("She will walk for 10 minutes and note her mood.", maya) == (
        "You will walk for 10 minutes and note your mood.")


def test_why_keeps_the_rationales_sentence_about_how_the_task_helps():
    from course.plans import Plan
    from course.summaries import why_this_helps
    from course.vignettes import get_vignette

    maya = get_vignette("maya-activation")
    plan = Plan(vignette_id=maya.id, rationale=(
        "Since losing her job Maya waits to feel like doing things, so she stays in bed. "
        "Doing one small thing at a set time lets her act first and notice whether her mood lifts."))
    why = why_this_helps(plan, maya)
    assert why.startswith("Since losing your job you wait to feel like doing things")
    assert "Doing one small thing at a set time lets" in why and "act first" in why
