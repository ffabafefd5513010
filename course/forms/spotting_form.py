"""Behaviour spotting: read a session transcript turn by turn and tick the checklist behaviours
each therapist turn shows; "Check my coding" scores the ticks per behaviour and explains them."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from course.answers import AnswersFile, answers_path, headless, read_saved
from course.forms.common import STATUS_MARK, Autosave, esc, form_head, full_width, section, show
from course.spotting import (
    BehaviourResult,
    SpottingAnswers,
    SpottingReport,
    is_therapist_turn,
    score_spotting,
    spottable_items,
    turn_label,
)
from course.vignettes import Vignette, get_vignette

# Words that go with the status icons for a spotting result (never colour alone).
SPOT_WORDS = {"met": "all spotted", "partial": "partly spotted", "missing": "not spotted"}
NOT_IN_TRANSCRIPT = "not in this transcript"

SPOTTING_STYLE = """
<style>
.bs-form .bs-turn { margin: 0.9em 0 0.2em; line-height: 1.45; }
.bs-form .bs-speaker { font-weight: 600; }
.bs-form .bs-ticks { margin: 0.2em 0 0.6em 1em; }
.bs-form .bs-explain li { margin-bottom: 0.45em; }
</style>
"""


def default_exercise(vignette_id: str) -> str:
    """The answers file name used when the notebook does not give one."""
    return f"spot-{vignette_id}"


def spot_behaviours(vignette_id: str, exercise: str | None = None, folder: str | os.PathLike[str] | None = None):
    """Show the spotting exercise for a case and return the form; under nbgrader return the saved answers."""
    vignette = get_vignette(vignette_id)
    file = AnswersFile(answers_path(exercise or default_exercise(vignette.id), folder))
    if headless():
        return read_saved(file.path, SpottingAnswers.model_validate, SpottingAnswers(vignette_id=vignette.id), _validator(vignette))
    form = SpottingForm(vignette, file)
    show(form.widget)
    return form


def _validator(vignette: Vignette):
    def validate(data: dict[str, Any]) -> None:
        answers = SpottingAnswers.model_validate(data)
        if answers.vignette_id and answers.vignette_id != vignette.id:
            raise ValueError(f"these answers are for the case {answers.vignette_id!r}, not {vignette.id!r}")

    return validate


class SpottingForm:
    """The transcript with a row of labelled checkboxes under every therapist turn."""

    def __init__(self, vignette: Vignette, file: AnswersFile):
        self.vignette = vignette
        self.file = file
        self.items = spottable_items(vignette)
        self.boxes: dict[tuple[int, str], w.Checkbox] = {}
        self.check_button = w.Button(
            description="Check my coding", button_style="primary", icon="check",
            tooltip="Compare your ticks with the expert coding of this transcript",
        )
        self.feedback = w.HTML(layout=full_width())
        self.autosave = Autosave(file, self._collect, self._apply)
        rows = [self._turn_row(index) for index in range(len(vignette.transcript))]
        self._restore(file)
        for box in self.boxes.values():
            box.observe(self._changed, names="value")
        self.check_button.on_click(lambda _: self.check())
        self.widget = w.VBox(
            [*form_head(SPOTTING_STYLE), self._header(), *rows, self.check_button, self.feedback,
             self.autosave.widget],
            layout=full_width(),
        )
        self.widget.add_class("bs-form")

    # -- building --------------------------------------------------------------------------------
    def _header(self) -> w.HTML:
        return section(
            f"Spot the behaviours: {self.vignette.title}",
            "Read the session turn by turn. Under each therapist turn, tick every checklist behaviour "
            "that turn shows (a turn can show several, or none). Then press \"Check my coding\".",
        )

    def _turn_row(self, index: int) -> w.Widget:
        turn = self.vignette.transcript[index]
        text = w.HTML(
            f'<div class="bs-turn"><span class="bs-speaker">{esc(turn_label(index))}, '
            f"{esc(turn.speaker)}:</span> {esc(turn.text)}</div>",
            layout=full_width(),
        )
        if not is_therapist_turn(turn):
            return text
        boxes = [self._box(index, item.id, item.name) for item in self.items]
        grid = w.GridBox(
            boxes, layout=w.Layout(width="100%", grid_template_columns="repeat(auto-fill, minmax(17em, 1fr))"),
        )
        grid.add_class("bs-ticks")
        return w.VBox([text, grid], layout=full_width())

    def _box(self, index: int, item_id: str, name: str) -> w.Checkbox:
        box = w.Checkbox(
            value=False, description=name, indent=False, tooltip=f"{turn_label(index)}: {name}",
            layout=w.Layout(width="auto"),
        )
        self.boxes[(index, item_id)] = box
        return box

    # -- answers ---------------------------------------------------------------------------------
    @property
    def answers(self) -> SpottingAnswers:
        """The ticks as they stand in the form."""
        ticks: dict[str, list[str]] = {}
        for (index, item_id), box in self.boxes.items():
            if box.value:
                ticks.setdefault(str(index), []).append(item_id)
        return SpottingAnswers(vignette_id=self.vignette.id, ticks=ticks)

    def _collect(self) -> dict[str, Any]:
        return self.answers.model_dump(mode="json")

    def _apply(self, data: dict[str, Any]) -> None:
        try:
            answers = SpottingAnswers.model_validate(data) if data else SpottingAnswers()
        except ValueError:
            answers = SpottingAnswers()
            self.autosave.say("The saved version could not be read, so the form was cleared.", alert=True)
        for (index, item_id), box in self.boxes.items():
            box.value = item_id in answers.ticked(index)

    def _restore(self, file: AnswersFile) -> None:
        result = file.load(_validator(self.vignette))
        where = f"{file.path.parent.name}/{file.path.name}"
        if result.data is not None:
            self._apply(result.data)
        if result.message:
            self.autosave.say(result.message, alert=True)
        elif result.data is not None:
            self.autosave.say(f"Your ticks were loaded from {where}.")
        else:
            self.autosave.say(f"Your ticks save themselves to {where} as you go.")

    def _changed(self, _change: Any) -> None:
        if self.feedback.value:
            self.feedback.value = (
                '<div class="bs-status" role="status">Your ticks changed since the last check; '
                "press \"Check my coding\" again to see the new result.</div>"
            )
        self.autosave.save()

    def __repr__(self) -> str:
        return f"<behaviour spotting for {self.vignette.id}, saved in {self.file.path.parent.name}/{self.file.path.name}>"

    # -- checking --------------------------------------------------------------------------------
    def check(self) -> SpottingReport:
        """Score the current ticks and show the result per behaviour with explanations."""
        report = score_spotting(self.answers, self.vignette)
        self.feedback.value = render_report(report)
        return report


def spot_mark(result: BehaviourResult) -> str:
    """An icon and a word for one behaviour's result, as HTML."""
    word = SPOT_WORDS[result.status] if result.max_points else NOT_IN_TRANSCRIPT
    icon = STATUS_MARK[result.status][0]
    return f'<span class="bs-{result.status}"><span aria-hidden="true">{icon}</span> {esc(word)}</span>'


def _turns(indices: tuple[int, ...]) -> str:
    if not indices:
        return "0"
    return f"{len(indices)} ({', '.join(str(i + 1) for i in indices)})"


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def render_report(report: SpottingReport) -> str:
    """The spotting result as HTML: a table per behaviour, then the explanations."""
    if not report.behaviours:
        return '<div class="bs-status" role="status">Nothing to score yet.</div>'
    rows = "".join(
        f"<tr><th scope=\"row\">{esc(r.name)}</th><td>{spot_mark(r)}</td><td>{_turns(r.hits)}</td>"
        f"<td>{_turns(r.false_alarms)}</td><td>{_turns(r.misses)}</td>"
        f"<td>{_number(r.points)} of {_number(r.max_points)}</td></tr>"
        for r in report.behaviours
    )
    why = "".join(
        f"<h4>{esc(r.name)}</h4><ul>" + "".join(f"<li>{esc(text)}</li>" for text in r.explanations) + "</ul>"
        for r in report.behaviours
    )
    return (
        '<div class="bs-feedback" role="region" aria-label="Your coding results">'
        f"<p><strong>Score: {_number(report.total)} of {_number(report.max)}</strong>. Each behaviour coded in "
        "this transcript is worth one point: you earn the share of its turns you spotted, and each false "
        "alarm takes away half a turn. Turn numbers are in brackets.</p>"
        '<table><thead><tr><th scope="col">Behaviour</th><th scope="col">Result</th><th scope="col">Hits</th>'
        '<th scope="col">False alarms</th><th scope="col">Misses</th><th scope="col">Points</th></tr></thead>'
        f'<tbody>{rows}</tbody></table><div class="bs-explain">{why}</div></div>'
    )
