"""`rate_my_plan`: the trainee rates their own plan on every checklist behaviour."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from course.answers import AnswersFile, answers_path, headless, read_saved
from course.checklist import load_checklist
from course.forms.common import Autosave, form_head, full_width, section, show
from course.self_rating import SelfRating

# "" (not None) stands for "not rated yet": ipywidgets shows a None value as a blank select. Its label says
# what to do and cannot be mistaken for a rating; it is never saved.
NOT_RATED = "Choose: met, partly met or missing…"
CHOICES = [(NOT_RATED, ""), ("✔ met", "met"), ("◐ partly met", "partial"), ("✘ missing", "missing")]


class SelfRatingForm:
    """One dropdown per plan behaviour, saved as you choose."""

    def __init__(self, vignette_id: str, file: AnswersFile):
        self.vignette_id = vignette_id
        self.file = file
        self.autosave = Autosave(file, self._collect, self._apply)
        self.controls = {
            item.id: w.Dropdown(options=CHOICES, value="", description=item.name, layout=full_width(),
                                style={"description_width": "26em"})
            for item in load_checklist().plan_items
        }
        for control in self.controls.values():
            control.observe(lambda _: self.autosave.save() if self.autosave.enabled else None, names="value")
        self.widget = w.VBox([*form_head(), section("Rate your own plan",
                                                      "For each behaviour, how well does your plan show it?"),
                              *self.controls.values(), self.autosave.widget], layout=full_width())
        self.widget.add_class("bs-form")
        loaded = self.file.load(validate=lambda d: SelfRating.model_validate(d))
        if loaded.data is not None:
            self._apply(loaded.data)
        if loaded.message:
            self.autosave.say(loaded.message, alert=True)

    def _collect(self) -> dict[str, Any]:
        ratings = {k: c.value for k, c in self.controls.items() if c.value}
        return {"schema_version": 1, "vignette_id": self.vignette_id, "ratings": ratings}

    def _apply(self, data: dict[str, Any]) -> None:
        self.autosave.enabled = False
        try:
            rating = SelfRating.model_validate(data) if data else SelfRating()
            for item_id, control in self.controls.items():
                control.value = rating.ratings.get(item_id) or ""
        finally:
            self.autosave.enabled = True

    @property
    def answers(self) -> SelfRating:
        """The self-rating as the form shows it now."""
        return SelfRating.model_validate(self._collect())

    def __repr__(self) -> str:
        return f"<self-rating form, saving to {self.file.path.parent.name}/{self.file.path.name}>"


def rate_my_plan(vignette_id: str, exercise: str, folder: str | os.PathLike[str] | None = None):
    """Show the self-rating form and return it; under nbgrader, return the saved SelfRating."""
    path = answers_path(exercise, folder)
    if headless():
        return read_saved(path, SelfRating.model_validate, SelfRating(vignette_id=vignette_id))
    form = SelfRatingForm(vignette_id, AnswersFile(path))
    show(form.widget)
    return form
