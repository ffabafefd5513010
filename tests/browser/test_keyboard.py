"""Keyboard only: a whole plan typed with Tab, arrows, Space and Enter, in JupyterLab and Notebook 7."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser
NB03 = "03-designing-homework/03-designing-homework.ipynb"

# What a keyboard user types into each field, by the field's visible label.
TYPED = {
    "Goal (client's words)": "Feel close to my sister again",
    "How the task serves it": "Texting Tess is a first step toward feeling close to her.",
    "Session takeaway": "Doing comes before feeling like it",
    "How it builds on it": "It tests the takeaway on an ordinary afternoon.",
    "The task": "Text Tess at 15:30 and rate mood before and after.",
    "Rationale": "Waiting to feel like it keeps Maya in bed; small actions lift mood.",
    "Options offered": "A walk, a text to Tess, or tidying one shelf.",
    "Client's choice or change": "Maya chose the text and moved it to after lunch.",
    "Client's own words": "I could do that after lunch.",
    "When (day, time or trigger)": "weekdays at 15:30",
    "Where": "on the sofa",
    "How often": "every weekday",
    "How long": "5 minutes",
    "Minimum version": "Send one emoji.",
    "Hierarchy step (exposure)": "",
    "Obstacle 1": "too tired",
    "If-then for obstacle 1": "If I feel too tired, then I send one emoji.",
    "Obstacle 2": "phone flat",
    "If-then for obstacle 2": "If my phone is flat, then I charge it at lunch.",
    "Client's teach-back": "I text Tess to see if doing lifts my mood.",
    "What changed (if below 7)": "",
    "Word for the task": "experiment",
    "Framing": "Whatever happens, we learn something.",
    "Format and reminders": "alarm on the phone",
    "Adaptations": "None needed.",
    "What to record or bring": "Mood 0-10 before and after.",
    "Review plan": "We look at it first thing next session.",
    "Risk judgement": "No risk found; mood low but no thoughts of harm.",
    "Summary for the client": "Text Tess at 15:30 on weekdays.",
    "Form it is given in": "printed card",
}
ARROWS = {"Task type": 2, "Confidence (0-10)": 9}  # ↓ presses from the first option


def cell_count(page) -> int:
    return page.locator(".jp-Notebook .jp-Cell").count()


def focused(page) -> dict:
    """The focused element: its tag, visible label and value."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const label = (el.labels && el.labels[0] && el.labels[0].textContent) || el.getAttribute('aria-label')
            || el.textContent || '';
        return {tag: el.tagName, label: label.trim(), inForm: !!el.closest('.bs-form'), value: el.value ?? null};
    }""")


def fill_plan_by_keyboard(page, form) -> list[str]:
    """Walk the form with Tab, typing, pressing ↓ and Enter; return the labels visited in order."""
    form.get_by_label("Goal (client's words)", exact=True).focus()
    visited, added = [], False
    for _ in range(120):
        here = focused(page)
        assert here["inForm"], f"focus left the form after {visited[-3:]}: {here}"
        label = here["label"]
        visited.append(label)
        if label in TYPED and TYPED[label]:
            page.keyboard.type(TYPED[label])
        elif label in ARROWS:
            for _ in range(ARROWS[label]):
                page.keyboard.press("ArrowDown")
                time.sleep(0.1)  # a person's pace; each change goes to the kernel and back
        elif label == "Add an obstacle" and not added:
            page.keyboard.press("Enter")
            added = True
            page.wait_for_function("() => document.activeElement.closest('.bs-form') && "
                                   "(document.activeElement.labels || [])[0]?.textContent === 'Obstacle 2'")
            continue
        elif label == "Check my plan":
            page.keyboard.press("Enter")
            return visited
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached Check my plan: {visited}")


def expected_answers(task_type: str) -> dict:
    return {
        "goal": TYPED["Goal (client's words)"], "goal_link": TYPED["How the task serves it"],
        "takeaway": TYPED["Session takeaway"], "takeaway_link": TYPED["How it builds on it"],
        "task_type": task_type, "task": TYPED["The task"], "rationale": TYPED["Rationale"],
        "collaboration": {"options_offered": TYPED["Options offered"],
                          "client_choice": TYPED["Client's choice or change"],
                          "client_words": TYPED["Client's own words"]},
        "when": TYPED["When (day, time or trigger)"], "where": TYPED["Where"], "frequency": TYPED["How often"],
        "duration": TYPED["How long"], "minimum_version": TYPED["Minimum version"], "hierarchy_step": "",
        "obstacles": [{"obstacle": TYPED["Obstacle 1"], "if_then": TYPED["If-then for obstacle 1"]},
                      {"obstacle": TYPED["Obstacle 2"], "if_then": TYPED["If-then for obstacle 2"]}],
        "teach_back": TYPED["Client's teach-back"], "confidence": 8, "confidence_change": "",
        "framing_word": TYPED["Word for the task"], "framing": TYPED["Framing"],
        "format": TYPED["Format and reminders"], "adaptations": TYPED["Adaptations"],
        "record": TYPED["What to record or bring"], "review": TYPED["Review plan"], "risk": TYPED["Risk judgement"],
        "summary": TYPED["Summary for the client"], "summary_format": TYPED["Form it is given in"],
    }


def saved_answers(path, expected: dict, timeout: float = 60) -> dict:
    """The answers file once it holds what was expected (the kernel saves key by key), or as it is at the timeout."""
    deadline = time.monotonic() + timeout
    data: dict = {}
    while time.monotonic() < deadline:
        try:
            data = json.loads(path.read_text())
            data.pop("schema_version", None), data.pop("vignette_id", None)
            if data == expected:
                return data
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    return data


def second_task_type_id() -> str:
    from course.catalogue import load_task_types

    return sorted(load_task_types().values(), key=lambda t: t.name)[1].id


@pytest.mark.parametrize("app", ["lab", "notebook7"])
def test_a_whole_plan_by_keyboard_adds_no_cell_and_saves_exactly_what_was_typed(trainee_lab, browser_page, app):
    from .test_browser import open_form

    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03, app)
    before = cell_count(page)
    visited = fill_plan_by_keyboard(page, form)
    form.locator(".bs-feedback").first.wait_for()
    screenshot(page, f"keyboard-plan-{app}")
    assert cell_count(page) == before, "a key press added or removed a cell"
    assert "Task type" in visited and "Confidence (0-10)" in visited
    answers = lab.root / "03-designing-homework" / "answers"
    expected = expected_answers(second_task_type_id())
    started = time.monotonic()
    saved = saved_answers(answers / "03-maya.json", expected)
    status = form.locator("[role=status], [role=alert]").all_inner_texts()
    assert saved == expected, f"visited: {'; '.join(visited)}; status: {status}"
    print(f"the answers file caught up {time.monotonic() - started:.1f} s after the last key")
    assert not (answers / "03-priya.json").exists(), "nothing was typed into Priya's form"
