"""The conversation panel in a real JupyterLab, by keyboard only: moves, replies announced, saved."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser
NB03 = "03-designing-homework/03-designing-homework.ipynb"


def _saved_moves(path, count: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    moves: list[str] = []
    while time.monotonic() < deadline:
        try:
            moves = [t["move"] for t in json.loads(path.read_text()).get("conversation", [])]
            if len(moves) >= count:
                return moves
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    return moves


def test_talking_with_maya_by_keyboard_announces_her_replies_and_saves_the_conversation(trainee_lab, browser_page):
    from .test_browser import open_form, wait_idle
    from .test_keyboard import cell_count

    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    panel = form.locator(".bs-conversation")
    panel.wait_for()
    wait_idle(page)  # the rest of the notebook has run: the kernel answers each move at once
    before = cell_count(page)
    move = panel.get_by_label("Your move", exact=True)
    words = panel.get_by_label("Your words", exact=True)
    say = panel.get_by_role("button", name="Say it to Maya")
    for control in (move, words, say):
        assert control.get_attribute("data-lm-suppress-shortcuts") == "true"
    latest = panel.locator(".bs-latest-reply")
    assert latest.get_attribute("aria-live") == "polite"

    move.focus()
    page.keyboard.press("Tab")
    said = "an early morning walk, or washing up after lunch, or a text to Tess"
    page.keyboard.type(said)
    # Straight to the button, with no pause: the keyboard guard hands the whole text over before the press.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    latest.get_by_text("Mornings are hopeless for me", exact=False).wait_for(timeout=90_000)
    assert "I know I can do the dishes" in latest.inner_text()
    assert f"options): {said}" in latest.inner_text(), "the move was made with all the words typed"
    # The words were used and the field emptied; the keystrokes ipywidgets held back do not fill it again.
    page.wait_for_timeout(300)
    wait_idle(page)
    assert words.input_value() == ""

    move.focus()
    for _ in range(6):  # options → rationale → when → obstacles → name → smaller → teach-back
        page.keyboard.press("ArrowDown")
        time.sleep(0.1)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    latest.get_by_text("Dishes after lunch", exact=False).wait_for(timeout=90_000)
    assert "teach-back" in latest.inner_text().lower() or "say the task back" in latest.inner_text().lower()
    screenshot(page, "conversation-panel")
    assert cell_count(page) == before, "a key press added or removed a cell"
    answers = lab.root / "03-designing-homework" / "answers" / "03-maya.json"
    saved = _saved_moves(answers, 2)
    assert saved == ["options", "teach_back"]
    assert json.loads(answers.read_text())["conversation"][0]["text"] == said
    assert not [e for e in page.errors if "bs-" in e or "anywidget" in e.lower()]
