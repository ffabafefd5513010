"""`review_script`: the review of a task the client did not (or only partly) do, scored with the
`review` rubric; blaming language is flagged with the words that triggered it."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from course.answers import AnswersFile, answers_path, headless, read_saved
from course.forms.common import (
    Autosave,
    esc,
    form_head,
    full_width,
    points,
    quotation,
    section,
    show,
    status_cell,
    text_area,
)
from course.forms.dispute_box import DisputeBox
from course.privacy import privacy_message, privacy_warnings
from course.reviews import ReviewScript
from course.scoring.review import MoveResult, score_review
from course.vignettes import Vignette, get_vignette

FIELDS = [
    ("ask_openly", "1. Ask openly", "An open question about what happened, before any judgement"),
    ("credit_attempt", "2. Credit the attempt", "What the client did manage, and how you acknowledge it"),
    ("draw_out_learning", "3. Draw out learning", "How you help the client see what they learned"),
    ("explore_obstacles", "4. Explore obstacles", "What got in the way: environment, client, task, therapist"),
    ("revise_together", "5. Revise together", "How you and the client change the task"),
    ("words_to_client", "Your words to the client", "What you would actually say, in your own words"),
]


class ReviewForm:
    """The review-script form for a did-not-do-it case."""

    def __init__(self, vignette: Vignette, file: AnswersFile):
        self.vignette = vignette
        self.file = file
        self.autosave = Autosave(file, self._collect, self._apply)
        self.controls = {name: text_area(label, hint, rows=3) for name, label, hint in FIELDS}
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.check_button = w.Button(description="Check my review", button_style="primary", icon="check")
        self.check_button.on_click(lambda _: self.check())
        self.feedback = w.HTML(layout=full_width())
        self.privacy = w.HTML(layout=full_width())
        self.dispute = DisputeBox(self.file.path.stem, self.file.path.parent.parent)
        self.widget = w.VBox(
            [*form_head(), self._case_panel(), section("Your review", "Write each move, then the words you would say.")]
            + list(self.controls.values()) + [self.privacy, self.check_button, self.autosave.widget, self.feedback,
                                                 self.dispute.widget],
            layout=full_width(),
        )
        self.widget.add_class("bs-form")
        loaded = self.file.load(validate=self._validate)
        if loaded.data is not None:
            self._apply(loaded.data)
        if loaded.message:
            self.autosave.say(loaded.message, alert=True)

    def _case_panel(self) -> w.HTML:
        case = self.vignette
        review = case.review_case
        if review is None:
            body = "<p>This case has no review exercise.</p>"
        else:
            body = (
                f"<p><strong>{esc(case.title)}</strong></p><p><strong>Task set last session:</strong> "
                f"{esc(review.assigned_task)}</p><p><strong>What happened:</strong> {esc(review.what_happened)}</p>"
                f"<p><strong>{esc(case.client.name)} says:</strong> {quotation(review.client_words)}</p>"
            )
        return w.HTML(f'<div class="bs-case">{body}</div>')

    def _collect(self) -> dict[str, Any]:
        data = {name: control.value for name, control in self.controls.items()}
        return {"schema_version": 1, "vignette_id": self.vignette.id, **data}

    def _validate(self, data: dict[str, Any]) -> None:
        try:
            script = ReviewScript.model_validate(data)
        except ValidationError as exc:
            raise ValueError(str(exc.errors()[0]["msg"])) from None
        if script.vignette_id and script.vignette_id != self.vignette.id:
            raise ValueError(f"it holds a review for another case ({script.vignette_id})")

    def _apply(self, data: dict[str, Any]) -> None:
        self.autosave.enabled = False
        try:
            script = ReviewScript.model_validate(data) if data else ReviewScript(vignette_id=self.vignette.id)
            for name, control in self.controls.items():
                control.value = getattr(script, name)
        finally:
            self.autosave.enabled = True

    def _changed(self, change: dict) -> None:
        if not self.autosave.enabled:
            return
        try:
            ReviewScript.model_validate(self._collect())
        except ValidationError:
            self.autosave.say("Not saved: a field is longer than the limit of 10,000 characters; shorten it.", alert=True)
            return
        self.autosave.save()
        message = privacy_message(privacy_warnings(change.get("new") or "", self.vignette))
        self.privacy.value = f'<div class="bs-alert" role="alert">{esc(message)}</div>' if message else ""

    @property
    def answers(self) -> ReviewScript:
        """The review script as the form shows it now."""
        return ReviewScript.model_validate(self._collect())

    def check(self):
        """Score the review and show each move, the blaming words, and a next step."""
        self.autosave.save()
        result, moves, blame = score_review(self.answers, self.vignette)
        self.feedback.value = render_review_feedback(result, moves, blame)
        self.dispute.offer([(result.id, result.name)])
        return result


def render_review_feedback(result, moves: list[MoveResult], blame: list[str]) -> str:
    """The review rubric result as HTML with an icon and a word for every move."""
    rows = "".join(
        f"<tr><th scope='row'>{esc(m.name)}</th><td>{status_cell('met' if m.present else 'missing')}</td>"
        f"<td>{esc(m.evidence[:160]) if m.present else ''}</td></tr>"
        for m in moves
    )
    blame_html = ""
    if blame:
        words = ", ".join(f"“{esc(b)}”" for b in blame)
        blame_html = (f'<div class="bs-alert" role="alert"><strong>Blaming language:</strong> {words}. '
                      "Words like these make a missed week feel like a failure; describe what happened instead.</div>")
    return (
        f'<div class="bs-feedback" role="region" aria-label="Feedback on your review">'
        f"<p>{status_cell(result.status)} <strong>{points(result.points)} of {points(result.max_points)}</strong>: "
        f"{esc(result.feedback)}</p>{blame_html}"
        f"<table><thead><tr><th scope='col'>Move</th><th scope='col'>Status</th><th scope='col'>Where</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><p><em>Next step:</em> {esc(result.next_step)}</p></div>"
    )


def review_script(vignette_id: str, exercise: str | None = None, folder: str | os.PathLike[str] | None = None):
    """Show the review form for a did-not-do-it case and return it; under nbgrader, return the saved script."""
    vignette = get_vignette(vignette_id)
    name = exercise or f"{vignette.id}-review"
    path = answers_path(name, folder)
    if headless():
        return read_saved(path, ReviewScript.model_validate, ReviewScript(vignette_id=vignette.id))
    form = ReviewForm(vignette, AnswersFile(path))
    show(form.widget)
    return form
