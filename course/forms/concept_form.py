"""Concept check: one question with radio buttons (one answer) or checkboxes (several);
"Check my answer" says right or wrong and explains every option."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from course.answers import AnswersFile, answers_path, headless, read_saved
from course.concepts import (
    ConceptAnswers,
    ConceptQuestion,
    ConceptResult,
    OptionFeedback,
    check_selection,
    get_question,
    score_concept,
)
from course.forms.common import STATUS_MARK, Autosave, esc, form_head, full_width, section, show

# Words that go with the status icons (never colour alone).
RESULT_WORDS = {"met": "right", "partial": "partly right", "missing": "not right"}

CONCEPT_STYLE = """
<style>
.bs-form .widget-radio-box label { white-space: normal; line-height: 1.35; margin-bottom: 0.35em; }
.bs-form .bs-options li { margin-bottom: 0.5em; }
</style>
"""


def default_exercise(question_id: str) -> str:
    """The answers file name used when the notebook does not give one."""
    return f"concept-{question_id}"


def concept_check(question_id: str, exercise: str | None = None, folder: str | os.PathLike[str] | None = None):
    """Show one concept question and return the form; under nbgrader return the saved answers."""
    question = get_question(question_id)
    file = AnswersFile(answers_path(exercise or default_exercise(question.id), folder))
    if headless():
        return read_saved(file.path, ConceptAnswers.model_validate, ConceptAnswers(question_id=question.id), _validator(question))
    form = ConceptForm(question, file)
    show(form.widget)
    return form


def _validator(question: ConceptQuestion):
    def validate(data: dict[str, Any]) -> None:
        answers = ConceptAnswers.model_validate(data)
        if answers.question_id and answers.question_id != question.id:
            raise ValueError(f"this answer is for the question {answers.question_id!r}, not {question.id!r}")
        chosen = check_selection(question, answers.selected)
        if question.kind == "single" and len(chosen) > 1:
            raise ValueError("a one-answer question holds more than one answer")

    return validate


class ConceptForm:
    """One question: radio buttons for a single answer, labelled checkboxes for several."""

    def __init__(self, question: ConceptQuestion, file: AnswersFile):
        self.question = question
        self.file = file
        self.choice: w.RadioButtons | None = None
        self.boxes: dict[str, w.Checkbox] = {}
        self.check_button = w.Button(
            description="Check my answer", button_style="primary", icon="check",
            tooltip="See whether your answer is right, with an explanation for every option",
        )
        self.feedback = w.HTML(layout=full_width())
        self.autosave = Autosave(file, self._collect, self._apply)
        controls = self._controls()
        self._restore(file)
        for control in self._all_controls():
            control.observe(self._changed, names="value")
        self.check_button.on_click(lambda _: self.check())
        self.widget = w.VBox(
            [*form_head(CONCEPT_STYLE), self._header(), controls, self.check_button, self.feedback,
             self.autosave.widget],
            layout=full_width(),
        )
        self.widget.add_class("bs-form")

    # -- building --------------------------------------------------------------------------------
    def _header(self) -> w.HTML:
        how = "Choose one answer." if self.question.kind == "single" else "Choose every answer that applies."
        return section(self.question.prompt, how)

    def _controls(self) -> w.Widget:
        options = self.question.options
        if self.question.kind == "single":
            self.choice = w.RadioButtons(
                options=[(option.text, option.id) for option in options], value=None, description="Your answer",
                layout=full_width(), style={"description_width": "initial"},
            )
            return self.choice
        for option in options:
            self.boxes[option.id] = w.Checkbox(
                value=False, description=option.text, indent=False, layout=full_width(),
            )
        return w.VBox(list(self.boxes.values()), layout=full_width())

    def _all_controls(self) -> list[w.Widget]:
        return [self.choice] if self.choice is not None else list(self.boxes.values())

    # -- answers ---------------------------------------------------------------------------------
    @property
    def answers(self) -> ConceptAnswers:
        """The selection as it stands in the form."""
        if self.choice is not None:
            selected = [self.choice.value] if self.choice.value is not None else []
        else:
            selected = [option_id for option_id, box in self.boxes.items() if box.value]
        return ConceptAnswers(question_id=self.question.id, selected=selected)

    def _collect(self) -> dict[str, Any]:
        return self.answers.model_dump(mode="json")

    def _apply(self, data: dict[str, Any]) -> None:
        try:
            _validator(self.question)(data or {})
            selected = ConceptAnswers.model_validate(data or {}).selected
        except ValueError:
            selected = []
            self.autosave.say("The saved version could not be read, so the form was cleared.", alert=True)
        if self.choice is not None:
            self.choice.value = selected[0] if selected else None
        for option_id, box in self.boxes.items():
            box.value = option_id in selected

    def _restore(self, file: AnswersFile) -> None:
        result = file.load(_validator(self.question))
        if result.data is not None:
            self._apply(result.data)
        if result.message:
            self.autosave.say(result.message, alert=True)
        elif result.data is not None:
            self.autosave.say(f"Your answer was loaded from {file.path.parent.name}/{file.path.name}.")

    def _changed(self, _change: Any) -> None:
        if self.feedback.value:
            self.feedback.value = (
                '<div class="bs-status" role="status">Your answer changed since the last check; '
                "press \"Check my answer\" again to see the new result.</div>"
            )
        self.autosave.save()

    def __repr__(self) -> str:
        return f"<concept check {self.question.id}, saved in {self.file.path.parent.name}/{self.file.path.name}>"

    # -- checking --------------------------------------------------------------------------------
    def check(self) -> ConceptResult:
        """Score the current selection and show right or wrong with every option's explanation."""
        result = score_concept(self.question, self.answers.selected)
        self.feedback.value = render_result(result)
        return result


def _mark(status: str, word: str) -> str:
    icon = STATUS_MARK[status][0]
    return f'<span class="bs-{status}"><span aria-hidden="true">{icon}</span> {esc(word)}</span>'


def option_mark(option: OptionFeedback) -> str:
    """An icon and words for one option: right or wrong, and whether the trainee chose it."""
    if option.correct:
        return _mark("met", "right answer, you chose it") if option.selected else _mark(
            "missing", "right answer, you did not choose it"
        )
    if option.selected:
        return _mark("missing", "wrong answer, you chose it")
    return '<span class="bs-status"><span aria-hidden="true">–</span> wrong answer, not chosen</span>'


def render_result(result: ConceptResult) -> str:
    """The result as HTML: the verdict in an icon and a word, then every option explained."""
    if not result.answered:
        return '<div class="bs-alert" role="status">Choose an answer first, then press "Check my answer".</div>'
    score = f"{round(result.points, 2):g} of {result.max_points:g}"
    verdict = _mark(result.status, RESULT_WORDS[result.status])
    items = "".join(
        f"<li>{option_mark(option)}: <strong>{esc(option.text)}</strong><br>{esc(option.explanation)}</li>"
        for option in result.options
    )
    return (
        '<div class="bs-feedback" role="region" aria-label="Your answer checked">'
        f'<p>{verdict} ({score} points)</p><ul class="bs-options">{items}</ul></div>'
    )
