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

# A sentence of 53 characters was enough to lose all but its first letter once.
SUMMARY = ("Each weekday at half past three, right after lunch, you send Tess one short text and rate your mood "
           "from 0 to 10 before and after. One emoji is enough on a bad day.")


def slow_connection(page, latency_ms: int) -> None:
    """Give the page the round trip of a hub reached over the internet (Chromium's network emulation).

    ipywidgets sends a field's next keystroke only after the kernel has answered the previous one, so on
    such a connection the last keystrokes are always still held back when the button is pressed; on
    127.0.0.1 that happened only now and then."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1})


def test_a_button_pressed_straight_after_typing_uses_the_whole_text(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    folder = lab.root / "03-designing-homework"

    form.get_by_label("Summary for the client", exact=True).focus()
    slow_connection(page, latency_ms=150)
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
