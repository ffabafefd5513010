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

# A long summary: the longer the text, the longer the kernel takes over each keystroke (autosave, the
# privacy check, the reading level), and the more of the last keystrokes ipywidgets is still holding back
# when the button is pressed.
SUMMARY = ("Maya, here is your experiment for this week. Each weekday at half past three, right after lunch, you "
           "send Tess one short text, whatever it says, and you rate your mood from 0 to 10 just before and just "
           "after. On a bad day one emoji is enough, and it still counts. If you feel too tired, you send the "
           "emoji anyway and rest afterwards. Keep the card on the fridge and the alarm on your phone. We look at "
           "your ratings together at the start of our next session, to see whether doing something small lifts "
           "your mood, even a little. Bring the card with you.")
TYPED_AT_THE_END = 60  # the rest is pasted first, as a trainee pastes a draft and then finishes it


def test_a_button_pressed_straight_after_typing_uses_the_whole_text(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    folder = lab.root / "03-designing-homework"

    summary = form.get_by_label("Summary for the client", exact=True)
    summary.fill(SUMMARY[:-TYPED_AT_THE_END])
    summary.press("End")
    page.keyboard.type(SUMMARY[-TYPED_AT_THE_END:])
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
