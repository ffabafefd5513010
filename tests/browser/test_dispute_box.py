"""The dispute box under the plan feedback, used from the keyboard in JupyterLab: open it, pick the
point, write the sentence, save; the dispute lands in answers/disputes.json beside the notebook."""

from __future__ import annotations

import pytest

from .conftest import screenshot
from .test_browser import NB03, maya_form, open_notebook, run_all, wait_for_file, wait_idle
from .test_keyboard import focused

pytestmark = pytest.mark.browser


def test_a_trainee_disputes_a_point_from_the_keyboard(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    open_notebook(page, lab, NB03)
    run_all(page)
    form = maya_form(page)
    assert form.get_by_role("button", name="I think a point is wrong…").count() == 0, "no dispute before feedback"
    form.get_by_role("button", name="Check my plan").click()
    form.locator(".bs-feedback").first.wait_for()

    toggle = form.get_by_role("button", name="I think a point is wrong…")
    toggle.focus()
    page.keyboard.press("Enter")
    point = form.get_by_label("Which point", exact=True)
    point.wait_for()
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Which point"
    page.keyboard.press("ArrowDown")  # the first behaviour on the checklist
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Why, in one sentence"
    page.keyboard.type("My task is tied to her goal of feeling close to Tess.")
    # Straight to Save, with no pause: the keyboard guard hands the whole sentence over before the press
    # (ipywidgets may still be holding the last keystrokes back; once the sentence was saved as "M").
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Save my dispute"
    page.keyboard.press("Enter")

    saved = wait_for_file(lab.root / "03-designing-homework" / "answers" / "disputes.json",
                          lambda d: len(d["disputes"]) == 1)
    [row] = saved["disputes"]
    assert row["exercise"] == "03-maya" and row["sentence"] == "My task is tied to her goal of feeling close to Tess."
    status = form.locator(".bs-live [role=status]", has_text="Saved: you think the grade for")
    status.wait_for()
    # Saving empties the field; the keystrokes ipywidgets held back, arriving late, do not fill it again.
    page.wait_for_timeout(300)
    wait_idle(page)
    assert form.get_by_label("Why, in one sentence", exact=True).input_value() == ""
    screenshot(page, "trainee-dispute-saved")
