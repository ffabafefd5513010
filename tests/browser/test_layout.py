"""Every control of the plan form can be reached and pressed, at three widths and in both themes."""

from __future__ import annotations

import json

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser
NB03 = "03-designing-homework/03-designing-homework.ipynb"

# For each control of the first form: scroll it to the middle, then ask which element is at the centre of
# its box (it must be the control or inside it) and whether it sticks out of the form's right edge.
UNREACHABLE = """() => {
    const form = document.querySelector('.bs-form');
    const cell = form.closest('.jp-OutputArea-output') || form.parentElement;
    const problems = [];
    for (const el of form.querySelectorAll('input, select, textarea, button, summary')) {
        if (el.offsetParent === null) continue;  // not shown (e.g. a hidden undo button)
        el.scrollIntoView({block: 'center'});
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        const name = ((el.labels && el.labels[0] && el.labels[0].textContent) || el.textContent || el.tagName).trim();
        if (!hit || !(hit === el || el.contains(hit))) problems.push(`${name}: covered by ${hit && hit.className}`);
        // Any box between the control and its cell that clips would cut its border off.
        for (let box2 = el.parentElement; box2 && box2 !== cell.parentElement; box2 = box2.parentElement) {
            if (getComputedStyle(box2).overflowX === 'visible') continue;
            const over = box.right - box2.getBoundingClientRect().right;
            if (over > 0.5) { problems.push(`${name}: overflows ${box2.className.slice(0, 30)} by ${over} px`); break; }
        }
    }
    return problems;
}"""


# The results row (feedback, expert plan) and the whole form: nothing sticks out of the notebook, no
# sideways scrollbar, no cut-off button label, no monospace text box, no word broken in the middle.
LAYOUT = """() => {
    const form = document.querySelector('.bs-form');
    const panel = form.closest('.jp-WindowedPanel-outer') || form.closest('.jp-Notebook') || document.body;
    const right = panel.getBoundingClientRect().right;
    const problems = [];
    const label = el => (el.className || el.tagName).toString().slice(0, 40);
    const output = form.closest('.jp-OutputArea-output');
    if (output && output.scrollWidth > output.clientWidth + 1) problems.push(`sideways scrollbar on the output by ${output.scrollWidth - output.clientWidth} px`);
    for (const table of form.querySelectorAll('.bs-results table')) {
        const over = table.getBoundingClientRect().right - right;
        if (over > 0.5) problems.push(`table cut off by ${over} px`);
    }
    for (const el of form.querySelectorAll('*')) {
        if (el.offsetParent === null) continue;
        const style = getComputedStyle(el);
        if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TEXTAREA')
            problems.push(`sideways scrollbar on ${label(el)}`);
        if (el.matches('button') && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
            problems.push(`button label cut: ${el.textContent.trim()}`);
        if (el.matches('textarea, input[type=text]') && /mono/i.test(style.fontFamily))
            problems.push(`monospace field: ${el.getAttribute('placeholder')}`);
    }
    // A word whose letters land on two lines was broken in the middle (only .bs-long runs may be).
    const walker = document.createTreeWalker(form.querySelector('.bs-results'), NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('.bs-long') || node.parentElement.offsetParent === null) continue;
        for (const word of node.textContent.matchAll(/[A-Za-z]{4,}/g)) {
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
            if (tops.size > 1) problems.push(`word broken across lines: ${word[0]}`);
        }
    }
    return problems;
}"""


def set_theme(page, dark: bool) -> None:
    from .test_browser import menu

    menu(page, "Settings", "Theme")
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark" if dark else "JupyterLab Light").first.click()
    page.locator(f"body[data-jp-theme-light='{'false' if dark else 'true'}']").wait_for(state="attached")
    page.wait_for_timeout(1500)  # JupyterLab covers the page with a splash while the theme loads


def open_sidebar(page) -> None:
    """Show JupyterLab's file browser in the left sidebar (as a trainee usually has it)."""
    if not page.locator("#jp-left-stack").is_visible():
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']").click()
    page.locator("#jp-left-stack").wait_for(state="visible")


def test_every_control_is_reachable_and_the_results_fit_at_every_width_in_both_themes(trainee_lab, browser_page):
    from .test_browser import open_form

    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    open_sidebar(page)
    form.get_by_label("Goal (client's words)", exact=True).fill("Feel close to my sister again")
    obstacle = form.get_by_label("Obstacle 1", exact=True)
    # The reference plan's obstacle (shown cut as "start aft" in a one-line field), with a few words more.
    obstacle.fill("Feeling too heavy and tired to start after lunch, above all on days with no job news")
    form.get_by_role("button", name="Check my plan").click()
    form.get_by_role("button", name="Show an expert plan").click()
    results = form.locator(".bs-results")
    results.locator("[aria-label='Your plan beside an expert plan']").wait_for()
    # At 1400 px the results row runs across the whole form, below both the case and the form column.
    widths = page.evaluate("""() => {
        const f = document.querySelector('.bs-form'), r = f.querySelector('.bs-results');
        const button = Array.from(f.querySelectorAll('button')).find(b => b.textContent.includes('Check my plan'));
        return [r.getBoundingClientRect().width, f.getBoundingClientRect().width,
                r.getBoundingClientRect().top - button.getBoundingClientRect().bottom];
    }""")
    assert widths[0] >= widths[1] - 2, f"the results row is {widths[0]:.0f} px wide in a form of {widths[1]:.0f} px"
    assert 0 <= widths[2] < 200, f"the results start {widths[2]:.0f} px below the check button"
    problems = {}
    for dark in (False, True):
        set_theme(page, dark)
        open_sidebar(page)
        for width in (1400, 1000, 700):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            found = page.evaluate(UNREACHABLE) + page.evaluate(LAYOUT)
            if obstacle.evaluate("e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1"):
                found.append("the obstacle's name does not show whole")
            if found:
                problems[f"{width}px {'dark' if dark else 'light'}"] = found
            form.get_by_label("Confidence (0-10)", exact=True).scroll_into_view_if_needed()
            screenshot(page, f"reachable-confidence-{width}-{'dark' if dark else 'light'}")
            if width != 1000:
                results.locator(".bs-feedback").first.scroll_into_view_if_needed()
                screenshot(page, f"feedback-{width}-{'dark' if dark else 'light'}")
                results.locator("[aria-label='Your plan beside an expert plan']").scroll_into_view_if_needed()
                screenshot(page, f"expert-{width}-{'dark' if dark else 'light'}")
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def expanded(page, states: list[str]) -> None:
    """Wait until the case sections' aria-expanded read `states` (the toggle event comes after the key)."""
    page.wait_for_function(
        "want => JSON.stringify(Array.from(document.querySelectorAll('.bs-form')[0]"
        ".querySelectorAll('details.bs-case-section > summary')).map(s => s.getAttribute('aria-expanded'))) === want",
        arg=json.dumps(states, separators=(",", ":")), timeout=5_000)


def test_case_sections_open_by_keyboard_independently(trainee_lab, browser_page):
    from .test_browser import open_form

    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    sections = form.locator("details.bs-case-section > summary")
    assert sections.count() == 2
    form.locator(".bs-risk-screen").first.wait_for()
    sections.nth(0).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is the second section's heading
    assert page.evaluate("() => document.activeElement.textContent").startswith("The session's key moment")
    page.keyboard.press("Space")
    expanded(page, ["true", "true"])  # opening one leaves the other open
    screenshot(page, "case-sections-open")
    page.keyboard.press("Enter")
    expanded(page, ["true", "false"])


def test_a_privacy_warning_appears_within_one_screen_of_its_field(trainee_lab, browser_page):
    from .test_browser import open_form

    page, lab = browser_page, trainee_lab
    form = open_form(page, lab, NB03)
    field = form.get_by_label("Adaptations", exact=True)
    field.fill("Call her on 07700 900123")
    alert = form.locator(".bs-alert[role=alert]", has_text="phone number").first
    alert.wait_for()
    field.scroll_into_view_if_needed()
    gap = alert.bounding_box()["y"] - (field.bounding_box()["y"] + field.bounding_box()["height"])
    screenshot(page, "privacy-warning-next-to-field")
    assert 0 <= gap < page.viewport_size["height"] / 2, f"the warning is {gap:.0f} px below its field"
