"""The "I think this is wrong" box under a form's feedback: pick one behaviour, say why in one
sentence, save it with `course.disputes.dispute` (submitted with the work, seen by the instructor).

Plain ipywidgets controls with visible labels, so it works from the keyboard and screen readers name
every control; the result is announced in a live region.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import ipywidgets as w

from course.disputes import MAX_WORDS, dispute, load_disputes
from course.forms.common import esc, full_width, live_region, text_area

CHOOSE = "— choose the point —"


class DisputeBox:
    """A disclosure button that opens a point picker, a one-sentence field and a save button."""

    def __init__(self, exercise: str, folder: str | os.PathLike[str] | None = None):
        self.exercise = exercise
        self.folder = folder
        self.toggle = w.Button(description="I think a point is wrong…", icon="flag",
                               tooltip="Tell your instructor which point you think was graded wrongly, and why")
        self.point = w.Dropdown(options=[(CHOOSE, "")], value="", description="Which point",
                                layout=full_width(), style={"description_width": "14em"})
        self.sentence = text_area("Why, in one sentence", f"e.g. My plan names her goal in the task (at most "
                                  f"{MAX_WORDS} words)")
        self.save_button = w.Button(description="Save my dispute", button_style="warning", icon="save",
                                    tooltip="Saved beside your answers; submit the assignment again to send it")
        self.result = live_region()
        self.panel = w.VBox([self.point, self.sentence, self.save_button], layout=full_width())
        self.panel.layout.display = "none"
        self.toggle.on_click(lambda _: self.open(not self.is_open))
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.toggle, self.panel, self.result], layout=full_width())
        self.widget.layout.display = "none"

    @property
    def is_open(self) -> bool:
        return self.panel.layout.display != "none"

    def offer(self, points: Iterable[tuple[str, str]]) -> None:
        """Show the button, for these (behaviour id, name) points (called after the feedback is shown).

        Stays hidden for a form that is not one of the course's exercises (nobody grades it)."""
        if not _graded_exercise(self.exercise):
            return
        chosen = self.point.value
        options = [(CHOOSE, ""), *[(name, behaviour) for behaviour, name in points]]
        self.point.options = options
        self.point.value = chosen if any(chosen == v for _, v in options) else ""
        self.widget.layout.display = "flex"
        saved = [d for d in load_disputes(self.folder) if d["exercise"] == self.exercise]
        if saved and not self.result.value:
            self._say(f"You have {len(saved)} saved dispute{'s' if len(saved) != 1 else ''} for this exercise; "
                      "saving one for the same point again replaces it.")

    def open(self, yes: bool = True) -> None:
        """Show or hide the picker and sentence field."""
        self.panel.layout.display = "flex" if yes else "none"
        self.toggle.description = "Close the dispute" if yes else "I think a point is wrong…"

    def save(self) -> bool:
        """Save the dispute for the chosen point; says what happened either way. True when saved."""
        if not self.point.value:
            self._say("Choose the point you think is wrong first.", alert=True)
            return False
        try:
            said = dispute(self.exercise, self.point.value, self.sentence.value, self.folder)
        except ValueError as exc:
            self._say(f"Not saved: {exc}.", alert=True)
            return False
        except OSError as exc:
            self._say(f"Not saved ({exc.strerror or exc}); check the folder is writable and try again.", alert=True)
            return False
        self._say(said)
        self.sentence.value = ""
        self.open(False)
        return True

    def _say(self, text: str, alert: bool = False) -> None:
        cls, role = ("bs-alert", "alert") if alert else ("bs-status", "status")
        self.result.value = f'<div class="{cls}" role="{role}">{esc(text)}</div>'


def _graded_exercise(exercise: str) -> bool:
    from course.assignments import load_course

    return any(e.id == exercise for a in load_course().assignments for e in a.exercises)
