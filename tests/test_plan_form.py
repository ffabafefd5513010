"""The plan form driven as a trainee drives it: set values, click buttons, check the file on disk."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading

import pytest

from course.answers import AnswersFile, answers_path
from course.catalogue import load_task_types
from course.forms.plan_form import PlanForm, draft_plan, saved_plan
from course.plans import Plan
from course.vignettes import get_vignette

CASE = "maya-activation"




def on_disk(folder, exercise=CASE) -> dict:
    return json.loads((folder / "answers" / f"{exercise}.json").read_text())


def fill_from_reference(form: PlanForm) -> Plan:
    ref = form.vignette.answer_key.reference_plan
    for field, control in form.controls.items():
        parent, _, child = field.partition(".")
        control.value = getattr(getattr(ref, parent), child) if child else getattr(ref, parent)
    for i, item in enumerate(ref.obstacles):
        if i >= len(form.obstacle_rows):
            form._add_obstacle(save=True)
        name, plan, _ = form.obstacle_rows[i]
        name.value, plan.value = item.obstacle, item.if_then
    return ref


def test_every_change_is_saved_atomically_and_comes_back_after_a_restart(folder):
    form = draft_plan(CASE)
    form.controls["goal"].value = "Feel close to my sister again"
    assert on_disk(folder)["goal"] == "Feel close to my sister again"
    form.controls["task"].value = "Text Tess at 15:30 every weekday."
    form.controls["confidence"].value = 6
    form.controls["collaboration.client_words"].value = '"Half three is good."'
    form.obstacle_rows[0][0].value = "Too tired"
    assert on_disk(folder)["collaboration"]["client_words"] == '"Half three is good."'
    assert [p.name for p in (folder / "answers").iterdir()] == [f"{CASE}.json"], "no temporary files left"
    restarted = draft_plan(CASE)  # a new kernel runs the cell again
    assert restarted.plan == form.plan
    assert restarted.controls["confidence"].value == 6
    assert restarted.obstacle_rows[0][0].value == "Too tired"
    assert "loaded" in restarted.autosave.status.value


def test_the_form_follows_the_clinical_order_and_labels_every_control(folder):
    form = draft_plan(CASE)
    order = list(form.controls)
    assert order.index("goal") < order.index("task_type") < order.index("collaboration.options_offered")
    assert order.index("when") < order.index("teach_back") < order.index("framing_word") < order.index("record")
    assert order.index("record") < order.index("risk") < order.index("summary")
    for control in form.controls.values():
        assert control.description.strip(), "every control has a visible label"
    goal_options = list(form.controls["goal"].options)
    assert goal_options == [g.text for g in form.vignette.goals]


def test_obstacles_can_be_added_and_removed(folder):
    form = draft_plan(CASE)
    form.obstacle_rows[0][0].value = "Too tired"
    form.obstacle_rows[0][1].value = "If I am too tired, then I will do two plates only."
    form._add_obstacle(save=True)
    form.obstacle_rows[1][0].value = "Tess does not answer"
    assert len(on_disk(folder)["obstacles"]) == 2
    form.obstacle_rows[0][2].click()
    saved = on_disk(folder)["obstacles"]
    assert [o["obstacle"] for o in saved] == ["Tess does not answer"]
    assert form.obstacle_rows[0][0].description == "Obstacle 1"


def test_unreadable_answers_are_kept_aside_and_the_form_says_so(folder):
    path = answers_path(CASE)
    path.parent.mkdir()
    path.write_text('{"goal": "half a file')
    form = draft_plan(CASE)
    kept = [p for p in path.parent.iterdir() if "unreadable" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == '{"goal": "half a file'
    message = form.autosave.status.value
    assert "could not be read" in message and kept[0].name in message
    form.controls["task"].value = "Wash up after lunch."
    assert on_disk(folder)["task"] == "Wash up after lunch."
    assert kept[0].read_text() == '{"goal": "half a file', "the unreadable file is never overwritten"


def test_a_plan_for_another_case_is_not_loaded_into_this_form(folder):
    path = answers_path(CASE)
    path.parent.mkdir()
    path.write_text(json.dumps({"vignette_id": "priya-erp", "goal": "x"}))
    form = draft_plan(CASE)
    assert form.plan.goal == ""
    assert "another case" in form.autosave.status.value


def test_a_draft_saved_by_another_tab_is_not_silently_overwritten(folder):
    first = draft_plan(CASE)
    second = draft_plan(CASE)
    first.controls["task"].value = "Wash up after lunch."
    second.controls["task"].value = "Text Tess."
    assert on_disk(folder)["task"] == "Wash up after lunch.", "the second tab did not overwrite"
    assert second.autosave.in_conflict
    assert second.autosave.conflict_box.layout.display == "flex"
    second.autosave.load_theirs.click()
    assert second.controls["task"].value == "Wash up after lunch."
    second.controls["where"].value = "At the kitchen sink"
    assert on_disk(folder)["where"] == "At the kitchen sink"
    first.controls["task"].value = "Wash up after lunch, ten minutes."
    assert first.autosave.in_conflict
    first.autosave.keep_mine.click()
    data = on_disk(folder)
    assert data["task"] == "Wash up after lunch, ten minutes." and data["where"] == ""


def test_changes_arriving_on_two_threads_are_one_tabs_saves_not_a_conflict(folder):
    """ipykernel 7 delivers one form's widget messages on the main thread and on a subshell thread
    (Notebook 7 does this); fast typing then raised a false "changed somewhere else" conflict."""
    form = draft_plan(CASE)
    fields = ["goal_link", "task", "rationale", "where", "framing", "record", "review", "risk"]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, as a busy kernel does
    try:
        def type_into(field: str) -> None:
            for n in range(1, 61):
                form.controls[field].value = f"{field} typed {n} letters"

        threads = [threading.Thread(target=type_into, args=(field,)) for field in fields]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not form.autosave.in_conflict, form.autosave.status.value
    saved = on_disk(folder)
    assert {field: saved[field] for field in fields} == {field: f"{field} typed 60 letters" for field in fields}
    other_tab = draft_plan(CASE)  # a real second tab is still caught
    other_tab.controls["when"].value = "weekdays at 15:30"
    form.controls["where"].value = "on the sofa"
    assert form.autosave.in_conflict and on_disk(folder)["when"] == "weekdays at 15:30"


def test_check_my_plan_shows_every_behaviour_with_icon_and_word(folder):
    form = draft_plan(CASE)
    assert form.expert_button.disabled
    form.controls["goal"].value = "Feel close to my sister again"
    form.check_button.click()
    html = form.feedback.value
    for item in form.report.items:
        assert item.name.replace("'", "&#x27;") in html
    assert "✘" in html and "missing" in html, "icon and word, not colour alone"
    assert "two changes that would gain the most" in html
    assert f"Total: {form.report.total:g} of 20" in html
    assert not form.expert_button.disabled


def test_full_plan_scores_full_marks_and_expert_plan_shows_side_by_side(folder):
    form = draft_plan(CASE)
    ref = fill_from_reference(form)
    assert form.check().total == 20
    form.expert_button.click()
    assert "Your plan beside an expert plan" in form.expert.value
    assert ref.rationale.split()[0] in form.expert.value
    assert Plan.model_validate(on_disk(folder)) == form.plan
    name = load_task_types()[ref.task_type].name
    assert f"<td data-label='Expert' style='white-space:pre-wrap'>{name}</td>" in form.expert.value.replace("&#x27;", "'")
    assert f">{ref.task_type}<" not in form.expert.value, "the task type's name, not its id"


def test_an_exam_case_without_checks_says_on_its_button_that_it_saves_for_grading(folder):
    case = get_vignette(CASE).model_copy(update={"use": "exam", "answer_key": None})
    form = PlanForm(case, AnswersFile(answers_path("exam-2")))
    assert form.check_button.description == "Save my plan for grading"
    form.controls["goal"].value = "Feel close to my sister again"
    assert form.check() is None and "Saved for grading" in form.feedback.value
    assert on_disk(folder, "exam-2")["goal"] == "Feel close to my sister again"


def test_no_expert_plan_for_exam_cases(folder, monkeypatch):
    case = get_vignette(CASE).model_copy(update={"use": "exam"})
    form = PlanForm(case, AnswersFile(answers_path("exam-1")))
    buttons = next(box for box in form.form.children if form.check_button in getattr(box, "children", ()))
    assert form.expert_button not in buttons.children
    form.check()
    form.show_expert()
    assert "exam case" in form.expert.value and case.answer_key.reference_plan.rationale[:30] not in form.expert.value


def test_trainee_text_is_escaped_in_feedback(folder):
    form = draft_plan(CASE)
    form.controls["goal"].value = "Feel close to my sister again <script>alert(1)</script>"
    form.controls["goal_link"].value = "<img src=x onerror=alert(1)> helps her feel close to Tess again"
    form.check()
    form.show_expert()
    for html in (form.feedback.value, form.expert.value):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html


def test_over_long_text_is_not_saved_and_the_form_says_why(folder):
    form = draft_plan(CASE)
    form.controls["task"].value = "Text Tess."
    form.controls["rationale"].value = "x" * 10_001
    assert "10,000" in form.autosave.status.value
    assert on_disk(folder)["rationale"] == ""
    form.controls["rationale"].value = "shorter"
    assert on_disk(folder)["rationale"] == "shorter"


def test_privacy_warning_for_what_looks_like_real_details(folder):
    form = draft_plan(CASE)
    form.controls["adaptations"].value = "Her number is 07700 900123, email jo.bloggs@example.com"
    assert "phone number" in form.privacy.value and "e-mail" in form.privacy.value
    form.controls["adaptations"].value = "A card on the fridge."
    assert form.privacy.value == ""


def test_headless_returns_the_saved_plan_and_writes_nothing(folder, monkeypatch):
    form = draft_plan(CASE)
    fill_from_reference(form)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (folder / "answers").iterdir()}
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    os.chmod(folder / "answers", stat.S_IRUSR | stat.S_IXUSR)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    try:
        plan = draft_plan(CASE)
        assert isinstance(plan, Plan) and plan == form.plan
        assert saved_plan(CASE) == plan
    finally:
        os.chmod(folder, 0o755)
        os.chmod(folder / "answers", 0o755)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (folder / "answers").iterdir()}
    assert after == before
    assert sorted(p.name for p in folder.iterdir()) == ["answers"]


def test_headless_with_nothing_saved_returns_an_empty_plan_and_creates_nothing(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    plan = draft_plan(CASE)
    assert plan == Plan(vignette_id=CASE)
    assert list(folder.iterdir()) == []


def test_headless_with_an_unreadable_file_leaves_it_in_place(folder, monkeypatch):
    path = answers_path(CASE)
    path.parent.mkdir()
    path.write_text("{broken")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert draft_plan(CASE) == Plan(vignette_id=CASE)
    assert [p.name for p in path.parent.iterdir()] == [f"{CASE}.json"]


def test_an_exam_case_without_its_key_saves_but_does_not_score(folder):
    case = get_vignette(CASE).model_copy(update={"use": "exam", "answer_key": None})
    form = PlanForm(case, AnswersFile(answers_path("exam-2")))
    form.controls["task"].value = "Wash up after lunch."
    assert form.check() is None
    assert "instructor" in form.feedback.value
    assert json.loads((folder / "answers" / "exam-2.json").read_text())["task"] == "Wash up after lunch."


def _case_panel_html(form: PlanForm) -> str:
    return form.widget.children[2].children[0].value


def test_the_case_panel_states_its_risk_screen_or_says_it_has_none(folder):
    from course.vignettes import RiskScreen

    unscreened = get_vignette(CASE).model_copy(update={"risk_screen": None})
    plain = PlanForm(unscreened, AnswersFile(answers_path("plain", folder)))
    assert "This case file states no risk screen" in _case_panel_html(plain)
    screened = get_vignette(CASE).model_copy(
        update={"risk_screen": RiskScreen(asked="suicidal thoughts and self-harm", found="none identified")})
    form = PlanForm(screened, AnswersFile(answers_path("screened", folder)))
    html = _case_panel_html(form)
    assert "Risk screen:</strong> asked suicidal thoughts and self-harm, found none identified." in html
    # Its own section, outside the collapsible ones, so it is always visible.
    assert html.index("Risk screen") < html.index("<details")


def test_case_sections_are_independent_details_in_the_tab_order(folder):
    html = _case_panel_html(draft_plan(CASE))
    assert html.count('<details class="bs-case-section"><summary aria-expanded="false">') == 2


def test_confidence_starts_on_not_rated_and_saves_as_no_rating(folder):
    form = draft_plan(CASE)
    confidence = form.controls["confidence"]
    assert confidence.index == 0 and confidence.label == "— not rated yet —"
    form.controls["goal"].value = "Feel close to my sister again"
    assert on_disk(folder)["confidence"] is None
    confidence.value = 8
    assert on_disk(folder)["confidence"] == 8


def test_adding_an_obstacle_moves_focus_to_its_name(folder, monkeypatch):
    form = draft_plan(CASE)
    focused = []
    monkeypatch.setattr("ipywidgets.Textarea.focus", lambda self: focused.append(self.description), raising=False)
    form._add_obstacle(save=True)
    assert focused == ["Obstacle 2"]


def test_warnings_and_save_status_appear_just_below_the_field_being_edited(folder):
    form = draft_plan(CASE)
    form.controls["adaptations"].value = "Her number is 07700 900123"
    slot = form.slots[form.controls["adaptations"]]
    assert slot.children == (form.messages,) and "phone number" in form.privacy.value
    assert form.bottom_slot.children == ()
    form.controls["goal"].value = "Feel close"
    assert form.slots[form.controls["goal"]].children == (form.messages,) and slot.children == ()


def test_feedback_and_the_expert_plan_take_a_full_width_row_below_case_and_form(folder):
    form = draft_plan(CASE)
    fill_from_reference(form)
    form.check()
    form.expert_button.click()
    assert form.widget.children[-1] is form.results, "the results row comes after the case and the form"
    assert form.results.layout.flex == "1 1 100%" and form.results.layout.width == "100%"
    assert {form.feedback, form.expert, form.dispute.widget} <= set(form.results.children)
    assert not {form.feedback, form.expert, form.dispute.widget} & set(form.form.children)
    assert "Total:" in form.feedback.value and "Your plan beside an expert plan" in form.expert.value


def test_only_long_unbroken_runs_may_break_inside_and_text_is_escaped():
    from course.forms.common import long_words

    url = "https://example.org/a/very/long/address/that/never/has/a/space/in/it"
    html = long_words(f"See <b>this</b> at {url} later")
    assert html == f'See &lt;b&gt;this&lt;/b&gt; at <span class="bs-long">{url}</span> later'
    assert long_words("start after lunch on a bad day") == "start after lunch on a bad day", "ordinary words stay whole"


@pytest.mark.parametrize("text", ['"I forgot. I am useless."', "“I forgot. I am useless.”", "I forgot. I am useless."])
def test_a_client_quote_gets_one_pair_of_quotation_marks(text):
    from course.forms.common import quotation

    assert quotation(text) == "“I forgot. I am useless.”"


def test_jamals_words_are_quoted_once_in_the_review_form(folder):
    from course.forms.review_form import ReviewForm

    form = ReviewForm(get_vignette("jamal-review"), AnswersFile(answers_path("04-jamal")))
    html = form.widget.children[2].value
    assert "“I forgot." in html and "“&quot;" not in html and '“"' not in html and "sheet.”" in html


@pytest.mark.parametrize(("value", "shown"), [(3.8333, "3.8"), (4.0, "4"), (0.25, "0.2"), (20, "20")])
def test_points_show_at_most_one_decimal(value, shown):
    from course.forms.common import points

    assert points(value) == shown


def test_an_obstacle_name_wraps_between_words_instead_of_being_cut(folder):
    form = draft_plan(CASE)
    name = form.obstacle_rows[0][0]
    assert isinstance(name, __import__("ipywidgets").Textarea) and name.rows == 2
    name.value = "Too tired to start after lunch on a bad day"
    assert on_disk(folder)["obstacles"][0]["obstacle"] == "Too tired to start after lunch on a bad day"


def test_self_ratings_start_on_a_choose_prompt_that_is_never_saved_as_a_rating(folder):
    from course.forms.self_rating_form import NOT_RATED, rate_my_plan

    form = rate_my_plan(CASE, exercise="07-self")
    assert all(c.index == 0 and c.label == NOT_RATED for c in form.controls.values()), "no blank dropdown"
    assert NOT_RATED.startswith("Choose") and form.answers.ratings == {}
    first, second = list(form.controls.values())[:2]
    first.value = "partial"
    assert on_disk(folder, "07-self")["ratings"] == {next(iter(form.controls)): "partial"}
    second.value = "met"
    second.value = ""  # back to the prompt: no rating for that behaviour
    assert on_disk(folder, "07-self")["ratings"] == {next(iter(form.controls)): "partial"}
