"""The keyboard guard's kernel side: the text a form's fields show, handed over before a button press.

The page part (keyboard_guard.js) is tested in a real browser (tests/browser/test_typed_text.py)."""

from __future__ import annotations

import ipywidgets as w
import pytest

from course.forms.common import LATE_SYNC_SECONDS, TYPED_CLASS, TypedField, take_typed_text, text_area, text_line
from course.forms.keyboard import KeyboardGuard


def test_the_text_shown_in_the_page_becomes_the_field_value_and_observers_see_it():
    field = text_area("Why, in one sentence")
    field.value = "M"
    seen: list[str] = []
    field.observe(lambda change: seen.append(change["new"]), names="value")
    sentence = "My task is tied to her goal of feeling close to Tess."
    assert take_typed_text({"typed": {field.model_id: sentence}}) == 1
    assert field.value == sentence and seen == [sentence]


def test_a_field_already_holding_the_text_is_left_alone():
    field = text_line("Where")
    field.value = "at the kitchen sink"
    seen: list[str] = []
    field.observe(lambda change: seen.append(change["new"]), names="value")
    assert take_typed_text({"typed": {field.model_id: "at the kitchen sink"}}) == 0
    assert seen == []


def test_the_guard_widget_passes_its_messages_to_the_handler():
    guard, field = KeyboardGuard(), text_area("The task")
    guard._handle_custom_msg({"typed": {field.model_id: "Text Tess at 15:30"}}, [])
    assert field.value == "Text Tess at 15:30"


def test_ids_of_no_text_field_are_ignored():
    field = text_area("The task")
    button = w.Button(description="Check my plan")
    assert take_typed_text({"typed": {"no-such-widget": "x", button.model_id: "x", field.model_id: "Walk"}}) == 1
    assert field.value == "Walk" and button.description == "Check my plan"


@pytest.mark.parametrize("content", [
    None, "typed", 7, [], {}, {"typed": None}, {"typed": "text"}, {"typed": ["a"]}, {"other": {}},
])
def test_a_message_of_another_shape_changes_nothing(content):
    field = text_area("The task")
    field.value = "kept"
    assert take_typed_text(content) == 0
    assert field.value == "kept"


@pytest.mark.parametrize("text", [None, 5, 1.5, True, ["a"], {"a": "b"}])
def test_a_text_that_is_not_a_string_is_rejected_without_an_error(text):
    field, other = text_area("The task"), text_area("Rationale")
    field.value = "kept"
    assert take_typed_text({"typed": {field.model_id: text, other.model_id: "still taken"}}) == 1
    assert field.value == "kept" and other.value == "still taken"


def test_the_held_back_copy_arriving_after_the_press_does_not_undo_what_the_button_did():
    field = text_area("Your words")
    field.take_text("an early morning walk", now=100.0)
    field.value = ""  # the button's handler used the words and cleared the field
    field.set_state({"value": "an early morning walk"}, now=100.2)  # ipywidgets' held-back message
    assert field.value == ""


def test_new_typing_after_the_press_is_taken():
    field = text_area("Your words")
    field.take_text("an early morning walk", now=100.0)
    field.value = ""
    field.set_state({"value": "a walk"}, now=100.2)
    assert field.value == "a walk"


def test_only_the_first_message_after_the_press_and_only_soon_after_it_can_be_the_held_back_copy():
    field = text_area("Your words")
    field.take_text("a walk", now=100.0)
    field.value = ""
    field.set_state({"value": "a"}, now=100.1)
    field.set_state({"value": "a walk"}, now=100.2)  # typed again, key by key
    assert field.value == "a walk"
    field.take_text("a walk", now=200.0)
    field.value = ""
    field.set_state({"value": "a walk"}, now=200.0 + LATE_SYNC_SECONDS + 1)  # pasted again, much later
    assert field.value == "a walk"


def test_the_held_back_copy_is_harmless_when_the_button_left_the_field_as_it_was():
    field = text_area("The task")
    field.take_text("Walk at noon", now=100.0)
    field.set_state({"value": "Walk at noon"}, now=100.1)
    assert field.value == "Walk at noon"


def _widgets(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def _forms():
    from course.answers import AnswersFile, answers_path
    from course.forms.concept_form import concept_check
    from course.forms.plan_form import PlanForm
    from course.forms.review_form import review_script
    from course.forms.self_rating_form import rate_my_plan
    from course.forms.spotting_form import spot_behaviours
    from course.vignettes import get_vignette

    plan = PlanForm(get_vignette("maya-activation"), AnswersFile(answers_path("03-maya")), conversation=True)
    plan._add_obstacle(save=False)
    return {"plan (with the conversation panel and the dispute box)": plan, "review": review_script("jamal-review"),
            "spotting": spot_behaviours("aisha-panic"), "concept": concept_check("m01-homework-effect"),
            "self-rating": rate_my_plan("maya-activation", exercise="07-self")}


def test_every_text_field_of_every_form_can_be_handed_over(folder):
    for name, form in _forms().items():
        widgets = list(_widgets(form.widget))
        assert sum(isinstance(x, KeyboardGuard) for x in widgets) == 1, f"{name}: one keyboard guard"
        texts = [x for x in widgets if isinstance(x, w.Text | w.Textarea)]
        for text in texts:
            assert isinstance(text, TypedField), f"{name}: {text.description!r} is not made by text_area/text_line/combo_line"
            assert {TYPED_CLASS, f"{TYPED_CLASS}-{text.model_id}"} <= set(text._dom_classes), text.description
            assert take_typed_text({"typed": {text.model_id: "typed"}}) == 1 and text.value == "typed"
        if name.startswith("plan"):
            labels = {text.description for text in texts}
            assert {"Why, in one sentence", "Your words", "Goal (client's words)", "Word for the task",
                    "Obstacle 2", "When (day, time or trigger)"} <= labels
