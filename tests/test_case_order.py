"""A case a trainee plans for is new to them when they plan: no module before its plan exercise shows
its session (a spotting or review form with its full transcript) or quotes its therapist's words."""

from __future__ import annotations

import re

import nbformat

from course.assignments import load_course
from course.concepts import load_concept_checks
from course.vignettes import Vignette, get_vignette, load_vignette_file

from conftest import ROOT

FORM = re.compile(r'(draft_plan|spot_behaviours|review_script|concept_check)\("([^"]+)"')
SHOWS_TRANSCRIPT = {"spot_behaviours", "review_script"}


def _case(assignment_id: str, case_ref: str) -> Vignette:
    if case_ref.endswith(".yaml"):
        return load_vignette_file(ROOT / "source" / assignment_id / case_ref)
    return get_vignette(case_ref)


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _therapist_sentences(case: Vignette) -> list[str]:
    """Every run of ten words in the therapist's turns: a quote of the session contains one (shorter runs
    are too generic, e.g. "can you tell me in your own words")."""
    runs = []
    for turn in case.transcript:
        if turn.speaker == "therapist":
            words = _flat(turn.text).split()
            runs += [" ".join(words[i:i + 10]) for i in range(max(len(words) - 9, 0))]
    return runs


def _course_in_order():
    """(assignment id, cell kind, text or form call) for every cell of every source notebook, in order."""
    for assignment in load_course().assignments:
        path = ROOT / "source" / assignment.id / assignment.notebook
        for cell in nbformat.read(path, as_version=4).cells:
            yield assignment.id, cell


def _plan_cases() -> dict[str, Vignette]:
    found = {}
    for assignment in load_course().assignments:
        for exercise in assignment.exercises:
            if exercise.kind == "plan":
                case = _case(assignment.id, exercise.case)
                found[case.id] = case
    return found


def test_the_course_has_plan_cases_and_the_check_sees_their_forms():
    plan_cases = _plan_cases()
    assert {"maya-activation", "priya-erp", "jordan-teen", "elena-eft", "ravi-psychodynamic", "nguyen-family",
            "sofia-telephone", "marcus-pe"} < set(plan_cases)
    calls = [m.group(1) for _, cell in _course_in_order() for m in FORM.finditer(cell.source)]
    plan_exercises = sum(e.kind == "plan" for a in load_course().assignments for e in a.exercises)
    assert calls.count("draft_plan") == plan_exercises and "spot_behaviours" in calls and "review_script" in calls


def _problems(cells) -> list[str]:
    """What shows a plan case's session before its plan exercise, in (assignment id, cell) order."""
    from collections import Counter

    from course.vignettes import all_vignettes

    cases = {c.id: c for c in all_vignettes()} | _plan_cases()
    runs = {cid: set(_therapist_sentences(case)) for cid, case in cases.items()}
    shared = Counter(run for case_runs in runs.values() for run in case_runs)
    # a run found in two cases' sessions is a formula (a teach-back question), not a quote of one session
    waiting = {cid: sorted(r for r in runs[cid] if shared[r] == 1) for cid in _plan_cases()}
    questions = load_concept_checks()
    problems = []
    for assignment_id, cell in cells:
        calls = list(FORM.finditer(cell.source)) if cell.cell_type == "code" else []
        for call in calls:
            form, ref = call.group(1), call.group(2)
            if form == "draft_plan":
                waiting.pop(_case(assignment_id, ref).id, None)
            elif form in SHOWS_TRANSCRIPT and ref in waiting:
                problems.append(f"{assignment_id} shows the session of {ref} before its plan exercise")
        shown = cell.source if cell.cell_type == "markdown" else ""
        for call in calls:
            if call.group(1) == "concept_check":
                shown += " " + questions[call.group(2)].model_dump_json()
        text = _flat(shown)
        for cid, sentences in waiting.items():
            quoted = [s for s in sentences if s in text]
            if quoted:
                problems.append(f"{assignment_id} quotes {cid}'s therapist before its plan exercise: {quoted[0]!r}")
    return problems


def test_no_module_shows_a_plan_case_session_before_its_plan_exercise():
    problems = _problems(_course_in_order())
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_transcript_or_a_quote_shown_too_early():
    from nbformat.v4 import new_code_cell, new_markdown_cell

    sentence = _therapist_sentences(get_vignette("priya-erp"))[0]
    early = [
        ("02-x", new_code_cell('spot_behaviours("maya-activation", exercise="02-x")')),
        ("02-x", new_markdown_cell(f"> *Priya*, therapist: “{sentence.capitalize()}”")),
        ("03-x", new_code_cell('draft_plan("maya-activation", exercise="03-x")')),
        ("04-x", new_code_cell('spot_behaviours("maya-activation", exercise="04-x")')),
    ]
    problems = _problems(early)
    assert problems == ["02-x shows the session of maya-activation before its plan exercise",
                        f"02-x quotes priya-erp's therapist before its plan exercise: {sentence!r}"]
