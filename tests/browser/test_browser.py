"""The course in a real browser: JupyterLab, the forms and nbgrader's pages in Chromium."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from .conftest import AXE, screenshot

pytestmark = pytest.mark.browser
NB03 = "03-designing-homework/03-designing-homework.ipynb"
NB00 = "00-start-here/00-start-here.ipynb"


def open_notebook(page, lab, path: str) -> None:
    page.goto(lab.lab_url(path))
    page.locator(".jp-NotebookPanel:visible .jp-Notebook").first.wait_for()
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=60_000)


def open_form(page, lab, path: str, app: str = "lab"):
    """Open a notebook in JupyterLab ("lab") or Notebook 7 ("notebook7"), run it all, and return its first form."""
    if app == "lab":
        open_notebook(page, lab, path)
    else:
        page.goto(lab.notebook_url(path))
        page.locator(".jp-Notebook").first.wait_for()
        page.wait_for_function("() => document.body.textContent.includes('Kernel status: Idle')", timeout=60_000)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    run_all(page)
    form = page.locator(".bs-form").first
    try:
        form.wait_for(timeout=45_000)
    except PlaywrightTimeout:
        # Notebook 7 sometimes ignores a Run All given while it is still connecting its kernel (no cell
        # starts); a person would press it again, and so does the test.
        if page.locator(".jp-InputPrompt", has_text=re.compile(r"\[(\*|\d+)\]")).count():
            raise
        run_all(page)
        form.wait_for(timeout=60_000)
    form.get_by_label("Goal (client's words)", exact=True).wait_for()
    return form


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page) -> None:
    menu(page, "Run", "Run All Cells")


def wait_idle(page, timeout: float = 90) -> None:
    """Wait until the kernel is idle with no cell left running (no `[*]` prompts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = page.locator(".jp-NotebookPanel:visible .jp-InputPrompt", has_text="[*]").count()
        idle = page.locator(".jp-StatusBar-Widget", has_text="| Idle").count()
        if not busy and idle:
            return
        time.sleep(0.3)
    raise AssertionError("the notebook did not finish running")


def wait_for_file(path: Path, predicate, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            try:
                data = json.loads(path.read_text())
                if predicate(data):
                    return data
            except ValueError:
                pass
        time.sleep(0.2)
    raise AssertionError(f"{path} did not get the expected content")


def maya_form(page):
    """The first plan form in notebook 03 (Maya's)."""
    form = page.locator(".jp-NotebookPanel:visible .bs-form").first
    form.wait_for()
    return form


def test_trainee_drafts_checks_restarts_and_previews_a_handout(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    open_notebook(page, lab, NB03)
    # Opening a notebook changes nothing: with its kernel started, it is not marked modified (no
    # "Leave site?" for a trainee who only looked; course/contents.py).
    page.wait_for_timeout(1000)
    assert not page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count()
    run_all(page)
    form = maya_form(page)
    answers = lab.root / "03-designing-homework" / "answers" / "03-maya.json"

    goal = form.get_by_label("Goal (client's words)", exact=True)
    goal.click()
    page.keyboard.type("Feel close to my sister again")
    form.get_by_label("How the task serves it", exact=True).fill("Texting Tess each afternoon is a first step toward feeling close to her again.")
    form.get_by_label("The task", exact=True).click()
    page.keyboard.type("Text Tess at 15:30 every weekday and note mood before and after.")
    page.keyboard.press("Tab")  # keyboard moves on to the next labelled field
    page.keyboard.type("Since losing her job Maya waits to feel like doing things, so she stays in bed and her mood sinks.")
    form.get_by_label("Confidence (0-10)", exact=True).select_option(label="8")
    saved = wait_for_file(answers, lambda d: d["confidence"] == 8 and d["rationale"].startswith("Since losing"))
    assert saved["goal"] == "Feel close to my sister again" and saved["task"].startswith("Text Tess")

    form.get_by_role("button", name="Check my plan").click()
    feedback = form.locator(".bs-feedback").first
    feedback.wait_for()
    text = feedback.inner_text()
    assert "Total:" in text and "Task serves one of the client's own goals" in text and "met" in text
    screenshot(page, "trainee-feedback")

    menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.get_by_role("button", name="Confirm Kernel Restart").or_(page.locator(".jp-Dialog-button.jp-mod-accept")).first.click()
    wait_idle(page)
    form = maya_form(page)
    assert form.get_by_label("Goal (client's words)", exact=True).input_value() == "Feel close to my sister again"
    assert form.get_by_label("The task", exact=True).input_value().startswith("Text Tess at 15:30")

    summary = form.get_by_label("Summary for the client", exact=True)
    summary.fill('Text Tess at 15:30 every weekday. <script>alert("x")</script>')
    wait_for_file(answers, lambda d: "<script>" in d["summary"])
    form.get_by_role("button", name="Preview the handout").click()
    frame = form.frame_locator('iframe[title="Handout preview"]')
    assert '<script>alert("x")</script>' in frame.locator("body").inner_text()
    handout = (lab.root / "03-designing-homework" / "handouts" / "03-maya.html").read_text()
    assert "&lt;script&gt;" in handout and "<script" not in handout
    screenshot(page, "trainee-handout")

    # Printing: Ctrl+P in JupyterLab prints the notebook, so the preview offers the saved page in a tab of
    # its own. Reached with Tab from the control before it and opened with Enter.
    form.get_by_label("Large print", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Open the handout in a new browser tab"
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.split("?")[0].endswith(f"/files/{lab.folder}03-designing-homework/handouts/03-maya.html")
    assert tab.locator("h1").inner_text() and '<script>alert("x")</script>' in tab.locator(".summary").inner_text()
    assert "use your browser's Print command" in tab.locator(".screen-only").inner_text()
    screenshot(tab, "handout-own-tab")
    tab.emulate_media(media="print")
    assert tab.locator(".screen-only").is_hidden(), "the note about printing does not print"
    assert page.locator(".jp-NotebookPanel:visible .jp-Cell").count() > 0, "the notebook tab stays as it was"


def test_self_study_progress_reflects_the_plan_just_checked(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    open_notebook(page, lab, NB03)
    run_all(page)
    form = maya_form(page)
    form.get_by_label("Goal (client's words)", exact=True).fill("Feel close to my sister again")
    form.get_by_label("How the task serves it", exact=True).fill("Texting Tess is a first step toward feeling close to her again.")
    wait_for_file(lab.root / "03-designing-homework" / "answers" / "03-maya.json", lambda d: d["goal_link"])
    form.get_by_role("button", name="Check my plan").click()
    total = form.locator(".bs-feedback").first.inner_text().split("Total: ")[1].split(" of")[0]

    open_notebook(page, lab, NB00)
    run_all(page)
    progress = page.locator(".jp-NotebookPanel:visible .bs-feedback", has_text="Your progress by module")
    progress.wait_for()
    row = progress.locator("tr", has_text="Designing homework with the client").inner_text()
    assert "1 of 3" in row and f"{total} of 20" in row
    behaviour = progress.locator("tr", has_text="Task serves one of the client's own goals").inner_text()
    assert "met" in behaviour and "100%" in behaviour
    screenshot(page, "self-study-progress")


def palette(page, command: str) -> None:
    page.keyboard.press("Control+Shift+c")
    page.locator(".lm-CommandPalette-input").fill(command)
    page.locator(".lm-CommandPalette-item", has_text=command).first.click()


def test_instructor_formgrader_and_assignment_list_load_without_console_errors(instructor_lab, browser_page):
    page, lab = browser_page, instructor_lab
    page.goto(lab.page_url("/formgrader/manage_assignments"))
    page.get_by_role("link", name="03-designing-homework").first.wait_for()
    screenshot(page, "instructor-formgrader-page")
    page.goto(lab.page_url("/lab"))
    page.locator(".jp-Launcher").first.wait_for()
    palette(page, "Formgrader")
    frame = page.frame_locator(".jp-MainAreaWidget:visible iframe").first
    frame.get_by_role("link", name="03-designing-homework").first.wait_for()
    palette(page, "Assignment List")
    page.get_by_text("Released assignments").first.wait_for()
    time.sleep(1)
    screenshot(page, "instructor-assignment-list")
    assert page.errors == [], page.errors


def test_plan_form_has_no_serious_accessibility_violations(trainee_lab, browser_page):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (./run test installs it with npm)")
    page, lab = browser_page, trainee_lab
    open_notebook(page, lab, NB03)
    run_all(page)
    form = maya_form(page)
    form.get_by_role("button", name="Check my plan").click()
    form.locator(".bs-feedback").first.wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const forms = Array.from(document.querySelectorAll('.bs-form'));
        const out = await axe.run(forms[0], {resultTypes: ['violations']});
        return out.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    screenshot(page, "accessibility-form")
    assert result == [], json.dumps(result, indent=2)


def test_form_reads_at_200_percent_zoom_and_in_the_dark_theme(trainee_lab, browser_page):
    page, lab = browser_page, trainee_lab
    page.set_viewport_size({"width": 700, "height": 900})  # 1400 px wide at 200 % zoom
    open_notebook(page, lab, NB03)
    menu(page, "Settings", "Theme")
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    page.locator("body[data-jp-theme-light='false']").wait_for(state="attached")
    run_all(page)
    form = maya_form(page)
    goal = form.get_by_label("Goal (client's words)", exact=True)
    goal.scroll_into_view_if_needed()
    box = goal.bounding_box()
    screenshot(page, "form-dark-narrow")
    assert box and box["width"] > 150, "the field keeps a usable width when narrow"
    colours = page.evaluate("""() => {
        const el = document.querySelector('.bs-form .bs-section');
        const s = getComputedStyle(el); return [s.color, getComputedStyle(document.body).backgroundColor];
    }""")
    assert colours[0] != "rgb(0, 0, 0)", "section headings follow the dark theme's text colour"
    screenshot(page, "form-dark-narrow")
