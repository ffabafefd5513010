"""A button pressed straight after typing acts on everything typed, in a real JupyterLab.

ipywidgets sends a field's keystrokes one message at a time and holds the rest back while the kernel is
busy, and a button's click is sent at once: without the keyboard guard's hand-over (course/forms/
keyboard.py) the click overtook the last keystrokes and the button used part of the text."""

from __future__ import annotations

import html
import json

import pytest

from .test_browser import NB03, open_form
from .test_keyboard import focused

pytestmark = pytest.mark.browser

# Long enough that the kernel is still busy with the first keystrokes when the last one is typed.
SUMMARY = ("Each weekday at half past three, right after lunch, you send Tess one short text and rate your mood "
           "from 0 to 10 before and after. On a bad day one emoji is enough. We look at your ratings together "
           "at the start of our next session, to see whether doing something lifts your mood.")


def test_a_button_pressed_straight_after_typing_uses_the_whole_text(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    # No wait for the cells below the form: while they run, the keystrokes queue up behind them, as they
    # do for a trainee who starts typing before the notebook has finished running.
    form = open_form(page, lab, NB03)
    folder = lab.root / "03-designing-homework"

    form.get_by_label("Summary for the client", exact=True).focus()
    page.keyboard.type(SUMMARY)
    for _ in range(3):  # → Form it is given in → Draft the summary → Preview the handout, at once
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["label"] == "Preview the handout"

    form.frame_locator('iframe[title="Handout preview"]').locator("body").wait_for()
    handout = (folder / "handouts" / "03-maya.html").read_text()
    assert SUMMARY in html.unescape(handout), "the handout was made from part of the summary"
    # Saved before the button acted (autosave on the handed-over text), not only a moment later.
    assert json.loads((folder / "answers" / "03-maya.json").read_text())["summary"] == SUMMARY
    assert form.get_by_label("Summary for the client", exact=True).input_value() == SUMMARY
