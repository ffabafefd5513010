"""The printable client handout: every piece of trainee text escaped, one-page print styles, a
large-print version, the client's language, and atomic saving that never happens under nbgrader."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import pytest

import course.plans
from course.handouts import TEMPLATE, handout_path, render_handout, save_handout
from course.plans import Collaboration, ObstaclePlan, Plan
from course.summaries import client_text, if_then_plans
from course.templating import TEMPLATE_DIR

from conftest import CASES, ROOT, case_by_id

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;"
AISHA = case_by_id("aisha-panic")
REFERENCE = AISHA.answer_key.reference_plan

# Every text field of a plan, nested ones as "parent.child".
TEXT_FIELDS = (
    [name for name, value in Plan().model_dump().items() if isinstance(value, str)]
    + [f"collaboration.{name}" for name in Collaboration.model_fields]
    + [f"obstacles.{name}" for name in ObstaclePlan.model_fields]
)
# The fields the handout shows (in the title, the summary or the grid) for the reference plan.
SHOWN = {
    "summary", "task", "when", "where", "duration", "frequency", "minimum_version", "record", "review",
    "rationale", "takeaway", "goal", "framing_word", "obstacles.if_then",
}


def _with(plan: Plan, field: str, value: str) -> Plan:
    data = plan.model_dump()
    if field.startswith("collaboration."):
        data["collaboration"][field.split(".")[1]] = value
    elif field.startswith("obstacles."):
        data["obstacles"] = [{"obstacle": "A late bus", "if_then": "If it is late, then I take the next one."}]
        data["obstacles"][0][field.split(".")[1]] = value
    else:
        data[field] = value
    return Plan.model_validate(data)


def _no_raw_markup(page: str) -> None:
    assert "<script" not in page.lower()
    assert "alert(1)</" not in page
    assert "<img" not in page.lower()


def test_every_text_field_is_covered():
    assert "summary" in TEXT_FIELDS and "obstacles.if_then" in TEXT_FIELDS
    assert SHOWN <= set(TEXT_FIELDS)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_script_in_any_field_shows_as_text_and_never_runs(field):
    page = render_handout(_with(REFERENCE, field, SCRIPT), AISHA)
    _no_raw_markup(page)
    if field in SHOWN:
        assert ESCAPED in page


@pytest.mark.parametrize("large_print", [False, True])
def test_markup_everywhere_at_once_including_a_drafted_summary(large_print):
    data = {name: SCRIPT for name, value in Plan().model_dump().items() if isinstance(value, str)}
    data["collaboration"] = {name: SCRIPT for name in Collaboration.model_fields}
    data["obstacles"] = [{"obstacle": SCRIPT, "if_then": '"><img src=x onerror=alert(1)>'}]
    data["summary"] = ""  # the handout drafts one from the fields
    plan = Plan.model_validate(data)
    client = AISHA.client.model_copy(update={"name": SCRIPT})
    page = render_handout(plan, AISHA.model_copy(update={"client": client}), large_print=large_print)
    _no_raw_markup(page)
    assert page.count(ESCAPED) >= 8
    assert "&#34;&gt;&lt;img" in page or "&quot;&gt;&lt;img" in page


def test_the_page_has_no_scripts_or_event_handlers():
    page = render_handout(REFERENCE, AISHA)
    assert "<script" not in page and not re.search(r"\son\w+=", page)


# -- content -------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_each_reference_handout_has_title_name_summary_and_grid(case):
    plan = case.answer_key.reference_plan
    page = render_handout(plan, case)
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r"<h1>(Your .+ for this week|This week: .+)</h1>", page)
    assert "homework" not in page.lower()
    for label in ("What", "When", "Where", "How long", "How often", "On a hard day", "If ... then ...",
                  "Bring next time", "Why this helps"):
        assert f'<th scope="row" lang="en">{label}</th>' in page
    assert "None" not in page and not re.search(r"<td>\s*</td>", page)


def test_title_uses_the_framing_word_and_never_homework():
    assert "<h1>Your experiment for this week</h1>" in render_handout(REFERENCE, AISHA)
    plan = Plan(framing_word="homework", task="Fill in the homework sheet at 18:00.", when="18:00")
    page = render_handout(plan, AISHA)
    assert "<h1>Your practice for this week</h1>" in page
    assert "homework" not in page.lower()


def test_the_trainees_summary_is_used_and_a_draft_only_when_it_is_empty():
    page = render_handout(REFERENCE, AISHA)
    assert "Bring your card next time." in page and "here is your experiment" not in page
    drafted = render_handout(REFERENCE.model_copy(update={"summary": ""}), AISHA)
    assert "Aisha, here is your experiment for this week." in drafted


def test_an_empty_plan_renders_without_blank_rows():
    page = render_handout(Plan(), AISHA)
    assert "<table" not in page and "None" not in page
    assert "Aisha, here is your practice for this week." in page


def test_the_grid_speaks_to_the_client():
    page = render_handout(REFERENCE, AISHA)
    assert "after your shift" in page and "after her shift" not in page


# -- language, print, large print ----------------------------------------------------------------
def test_page_language_follows_the_client():
    assert '<html lang="en">' in render_handout(REFERENCE, AISHA)
    sofia = case_by_id("sofia-telephone")
    page = render_handout(sofia.answer_key.reference_plan, sofia)
    assert '<html lang="es">' in page
    assert '<th scope="row" lang="en">What</th>' in page  # the fixed labels are English


def test_print_styles_fit_one_page_and_hide_screen_chrome():
    page = render_handout(REFERENCE, AISHA)
    assert re.search(r"@page\s*\{[^}]*margin", page)
    media = page[page.index("@media print"):]
    assert re.search(r"\.screen-only\s*\{\s*display:\s*none", media)
    assert "break-inside: avoid" in media
    assert "one A4 or Letter page" in page
    assert 'class="screen-only"' in page


def test_large_print_is_bigger_with_more_line_spacing():
    normal = render_handout(REFERENCE, AISHA)
    large = render_handout(REFERENCE, AISHA, large_print=True)
    assert normal != large
    assert 'class="large-print"' in large and 'class="normal-print"' in normal

    def sizes(page):
        return [float(x) for x in re.findall(r"font-size:\s*([\d.]+)pt", page)]

    def spacing(page):
        return float(re.search(r"line-height:\s*([\d.]+);", page).group(1))

    assert min(sizes(large)) >= 18 and max(sizes(normal)) < 18
    assert spacing(large) >= 1.5


def test_colour_is_dark_on_white():
    page = render_handout(REFERENCE, AISHA)
    assert "background: #ffffff; color: #111111;" in page


# -- saving --------------------------------------------------------------------------------------
def test_save_writes_handouts_next_to_the_notebook(tmp_path):
    path = save_handout(REFERENCE, AISHA, "plan-aisha", tmp_path)
    assert path == tmp_path / "handouts" / "plan-aisha.html"
    assert path.read_text(encoding="utf-8") == render_handout(REFERENCE, AISHA)
    large = save_handout(REFERENCE, AISHA, "plan-aisha", tmp_path, large_print=True)
    assert large == tmp_path / "handouts" / "plan-aisha-large-print.html"
    assert large.read_text(encoding="utf-8") == render_handout(REFERENCE, AISHA, large_print=True)
    assert sorted(p.name for p in (tmp_path / "handouts").iterdir()) == [
        "plan-aisha-large-print.html", "plan-aisha.html"]


def test_save_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert save_handout(REFERENCE, AISHA, "plan-aisha") == tmp_path / "handouts" / "plan-aisha.html"
    assert handout_path("plan-aisha") == tmp_path / "handouts" / "plan-aisha.html"


def test_save_is_atomic_a_failed_write_keeps_the_old_handout(tmp_path, monkeypatch):
    path = save_handout(REFERENCE, AISHA, "plan-aisha", tmp_path)
    before = path.read_text(encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(course.plans.os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_handout(REFERENCE.model_copy(update={"summary": "Something else."}), AISHA, "plan-aisha", tmp_path)
    assert path.read_text(encoding="utf-8") == before
    assert os.listdir(path.parent) == ["plan-aisha.html"]  # no temporary file left behind


@pytest.mark.parametrize("variable", ["NBGRADER_EXECUTION", "NBGRADER_VALIDATING"])
def test_save_refuses_under_nbgrader_and_writes_nothing(tmp_path, monkeypatch, variable):
    monkeypatch.setenv(variable, "autograde")
    with pytest.raises(RuntimeError, match="nbgrader"):
        save_handout(REFERENCE, AISHA, "plan-aisha", tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("exercise", ["../escape", "Plan Aisha", "", "a/b"])
def test_a_bad_exercise_id_is_refused_before_writing(tmp_path, exercise):
    with pytest.raises(ValueError):
        save_handout(REFERENCE, AISHA, exercise, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_template_ships_in_the_package():
    assert (TEMPLATE_DIR / TEMPLATE).is_file()
    assert TEMPLATE_DIR.parent.name == "course"


def test_importing_handouts_does_not_import_jinja2_or_textstat():
    code = "import sys, course.handouts; print('jinja2' in sys.modules, 'textstat' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False False"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_a_drafted_summary_is_not_printed_again_in_the_grid(case):
    plan = case.answer_key.reference_plan.model_copy(update={"summary": ""})
    page = html.unescape(render_handout(plan, case))
    assert page.count(client_text(plan.task, case).rstrip(".")) == 1, "the task is printed once"
    for text in if_then_plans(plan):
        assert page.count(text.rstrip(".")) == 1


# -- opening the saved handout in a tab of its own, where the browser prints it ------------------
def _server(runtime, name: str, root, base_url: str = "/", pid: int = 1) -> None:
    import json

    runtime.mkdir(exist_ok=True)
    (runtime / f"jpserver-{name}.json").write_text(json.dumps(
        {"base_url": base_url, "root_dir": str(root), "pid": pid, "url": f"http://127.0.0.1:8888{base_url}"}))


def test_the_saved_handout_is_served_under_files_of_the_server_that_holds_it(tmp_path, monkeypatch):
    from course.handouts import handout_url

    runtime = tmp_path / "runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    course = tmp_path / "home" / "my course"
    path = save_handout(REFERENCE, AISHA, "plan-aisha", course / "03-designing-homework")
    assert handout_url(path) is None, "no server known: no address"
    _server(runtime, "other", tmp_path / "elsewhere")
    assert handout_url(path) is None, "a server whose root does not hold the file"
    _server(runtime, "hub", tmp_path / "home", base_url="/user/sam/")
    assert handout_url(path) == "/user/sam/files/my%20course/03-designing-homework/handouts/plan-aisha.html"
    _server(runtime, "mine", course, pid=os.getppid())
    assert handout_url(path) == "/files/03-designing-homework/handouts/plan-aisha.html", "the kernel's own server"


def test_the_preview_says_to_print_from_a_tab_of_its_own_and_the_saved_page_from_the_browser():
    preview = render_handout(REFERENCE, AISHA, preview=True)
    saved = render_handout(REFERENCE, AISHA)
    assert "browser tab of its own" in preview and "Ctrl+P prints the notebook instead" in preview
    assert "browser tab of its own" not in saved and "your browser's Print command (Ctrl+P" in saved


def test_the_plan_form_offers_the_saved_handout_in_a_new_tab(tmp_path, monkeypatch):
    from course.answers import AnswersFile, answers_path
    from course.forms.plan_form import PlanForm

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    form = PlanForm(AISHA, AnswersFile(answers_path("plan-aisha")))
    form.preview_handout()
    assert "Open in New Browser Tab" in form.handout.value and "href" not in form.handout.value, "no server: say how"
    _server(tmp_path / "runtime", "lab", tmp_path.parent, pid=os.getppid())
    form.preview_handout()
    link = re.search(r'<a class="bs-open-handout" href="([^"]+)" target="_blank" rel="noopener">', form.handout.value)
    assert link and link.group(1) == f"/files/{tmp_path.name}/handouts/plan-aisha.html"
    assert "new browser tab" in form.handout.value and "Ctrl+P" in form.handout.value
