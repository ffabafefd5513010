"""Pieces every exercise form shares: labelled controls, status words and icons, styling, and
autosave with conflict handling."""

from __future__ import annotations

import html
import re
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from course.answers import AnswersFile, Conflict

# Status is never colour alone: an icon and a word always go with it.
STATUS_MARK = {"met": ("✔", "met"), "partial": ("◐", "partly met"), "missing": ("✘", "missing")}

STYLE = """
<style>
.bs-form { max-width: 72rem; font-size: var(--jp-content-font-size1, 14px); color: var(--jp-content-font-color1); }
.bs-form .widget-label, .bs-form label { color: var(--jp-content-font-color1); }
.bs-form .bs-section { font-weight: 600; font-size: 1.1em; margin: 1.2em 0 0.3em; color: var(--jp-content-font-color1); }
.bs-form .bs-help { color: var(--jp-content-font-color2); margin: 0 0 0.4em; }
.bs-form .bs-case { border-left: 4px solid var(--jp-brand-color1, #1976d2); padding: 0.2em 0.9em; background: var(--jp-layout-color1); color: var(--jp-content-font-color1); }
.bs-form .bs-status { color: var(--jp-content-font-color2); font-size: 0.95em; }
.bs-form .bs-alert { border: 2px solid var(--jp-warn-color1, #b35900); padding: 0.5em 0.8em; margin: 0.5em 0; color: var(--jp-content-font-color1); background: var(--jp-layout-color1); }
.bs-form .bs-feedback table { border-collapse: collapse; width: 100%; }
.bs-form .bs-feedback td, .bs-form .bs-feedback th { border-bottom: 1px solid var(--jp-border-color2); padding: 0.35em 0.5em; vertical-align: top; text-align: left; color: var(--jp-content-font-color1); }
/* Text wraps between words; only an unbroken run such as a long web address may break inside (see long_words). */
.bs-form .bs-feedback, .bs-form .bs-case { word-break: normal; overflow-wrap: normal; hyphens: manual; }
.bs-form .bs-long { overflow-wrap: anywhere; }
/* ipywidgets gives HTML the height of one control row as line height; running text reads better closer. */
.bs-form .widget-html-content { line-height: 1.45; }
.bs-form a.bs-open-handout { display: inline-block; margin: 0.3em 0.6em 0.3em 0; padding: 0.3em 0.8em; border: 1px solid var(--jp-brand-color1, #1976d2); border-radius: 3px; color: var(--jp-content-link-color, #1976d2); font-weight: 600; text-decoration: underline; }
.bs-form a.bs-open-handout:focus-visible { outline: 2px solid var(--jp-brand-color1, #1976d2); outline-offset: 2px; }
/* Feedback and the expert comparison take a row of their own below the case and the form, across the page. */
.bs-form .bs-results { container-type: inline-size; }
/* Where that row is narrow (a small window, the sidebar open, zoom), each table row becomes a block. */
@container (max-width: 40em) {
  .bs-form .bs-feedback table, .bs-form .bs-feedback tbody, .bs-form .bs-feedback tr,
  .bs-form .bs-feedback th, .bs-form .bs-feedback td { display: block; width: auto; }
  .bs-form .bs-feedback thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .bs-form .bs-feedback tr { border-bottom: 1px solid var(--jp-border-color2); padding: 0.3em 0; }
  .bs-form .bs-feedback td, .bs-form .bs-feedback th { border-bottom: none; padding: 0.15em 0.3em; }
  .bs-form .bs-feedback td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
.bs-form .bs-met { color: var(--jp-success-color1, #2e7d32); font-weight: 600; white-space: nowrap; }
.bs-form .bs-partial { color: var(--jp-warn-color1, #b35900); font-weight: 600; white-space: nowrap; }
.bs-form .bs-missing { color: var(--jp-error-color1, #c62828); font-weight: 600; white-space: nowrap; }
.bs-form textarea, .bs-form input { font-size: 1em; font-family: var(--jp-ui-font-family, sans-serif); }
.bs-form details.bs-case-section > summary { cursor: pointer; font-weight: 600; padding: 0.35em 0.2em; margin-top: 0.4em; }
.bs-form details.bs-case-section > summary:focus-visible { outline: 2px solid var(--jp-brand-color1, #1976d2); }
/* Buttons show their whole label; rows of buttons and checkboxes wrap instead of scrolling sideways. */
.bs-form .widget-button { width: auto; max-width: 100%; white-space: normal; height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.bs-form .widget-hbox { flex-wrap: wrap; overflow: visible; gap: 0.3em; }
.bs-form .widget-box { overflow: visible; }
/* ipywidgets gives each widget a 2 px side margin on top of width 100 %, which pushed fields past the edge. */
.bs-form .widget-inline-hbox, .bs-form .widget-html, .bs-form .widget-button { margin-left: 0; margin-right: 0; }
.bs-form .widget-text, .bs-form .widget-textarea, .bs-form .widget-dropdown { box-sizing: border-box; }
.bs-form .widget-textarea, .bs-form .widget-text, .bs-form .widget-dropdown { width: 100%; }
.bs-form .widget-textarea textarea { min-height: 3.2em; }
/* Long checkbox and radio labels wrap instead of being cut short. */
.bs-form .widget-checkbox { height: auto; }
.bs-form .widget-checkbox .widget-label-basic { white-space: normal; overflow: visible; text-overflow: clip; height: auto; line-height: 1.3; }
/* When space is short (narrow window, 200 % zoom) a control moves below its label instead of shrinking. */
.bs-form .widget-inline-hbox { flex-wrap: wrap; row-gap: 0.2em; height: auto; }
.bs-form .widget-inline-hbox > .widget-input, .bs-form .widget-inline-hbox > select,
.bs-form .widget-inline-hbox > textarea { flex: 1 1 18em; min-width: 0; }
.bs-form .widget-inline-hbox > .widget-label { max-width: 100%; }
/* A dropdown is as tall as the fields around it (ipywidgets lets it shrink to its text when rows wrap). */
.bs-form .widget-dropdown > select { height: var(--jp-widgets-inline-height, 28px); min-height: var(--jp-widgets-inline-height, 28px); }
/* In a narrow form the labels sit above their fields: there they line up on the left, like the fields. */
.bs-form { container: bsform / inline-size; }
@container bsform (max-width: 34em) {
  .bs-form .widget-inline-hbox > .widget-label { text-align: left; width: 100% !important; flex: 0 0 100%; }
}
</style>
"""


def form_head(extra_css: str = "") -> list[w.Widget]:
    """The first children of every form: its styles and the guard that keeps its keys from notebook shortcuts."""
    from course.forms.keyboard import KeyboardGuard

    return [w.HTML(STYLE + extra_css, layout=w.Layout(display="none")), KeyboardGuard()]


def live_region() -> w.HTML:
    """An HTML area whose new content screen readers announce (the keyboard guard sets aria-live on it)."""
    area = w.HTML(layout=full_width())
    area.add_class("bs-live")
    return area


def show(widget: w.Widget) -> None:
    """Display a widget in the notebook (outside IPython, e.g. in a test or a script, do nothing)."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
        display(widget)


def esc(text: Any) -> str:
    """Escape any text for HTML (trainee text is never trusted)."""
    return html.escape(str(text), quote=True)


LONG_RUN = re.compile(r"\S{30,}")


def long_words(text: Any) -> str:
    """Escape text for HTML and let only its unbroken runs of 30 or more characters (web addresses, file
    paths) break inside; everything else wraps between words."""
    text = str(text)
    parts, last = [], 0
    for match in LONG_RUN.finditer(text):
        parts += [esc(text[last:match.start()]), f'<span class="bs-long">{esc(match.group())}</span>']
        last = match.end()
    return "".join(parts) + esc(text[last:])


QUOTE_MARKS = "\"'“”‘’„«»"


def quotation(text: str) -> str:
    """The client's words in one pair of curly quotation marks (escaped), whether or not the text
    already has marks of its own."""
    inner = text.strip()
    if len(inner) > 1 and inner[0] in QUOTE_MARKS and inner[-1] in QUOTE_MARKS:
        inner = inner[1:-1].strip()
    return f"“{long_words(inner)}”"


def points(value: float) -> str:
    """A number of points as people write it: at most one decimal (3.8 rather than 3.8333)."""
    return f"{round(value, 1):g}"


def full_width(**extra: Any) -> w.Layout:
    """A layout that fills the form's width and scales with zoom."""
    return w.Layout(width="100%", **extra)


# Every text field of every form is one of these: the keyboard guard (keyboard.py) finds it in the page
# by its class and hands its text over when a button is pressed, before the button's own message.
TYPED_CLASS = "bs-typed"
# A field's text as the page sent it before a button press can still arrive after the press (ipywidgets
# holds it back while the kernel is busy); within this many seconds it is known not to be news.
LATE_SYNC_SECONDS = 10.0
_typed_fields: weakref.WeakValueDictionary[str, TypedField] = weakref.WeakValueDictionary()


class TypedField:
    """What the course's text fields share: the text in the page can be handed over by the keyboard guard.

    ipywidgets sends a field's keystrokes to the kernel one message at a time and holds later ones back
    while the kernel is busy, but a button's click is sent at once and can overtake them. The guard
    therefore sends the text shown in the page just before the click (see `take_typed_text`). The field's
    held-back message still arrives afterwards with that same text; if the button has since changed the
    field (cleared it after saving, drafted a summary into it), that late message must not undo it."""

    _handed_over: tuple[str, float] | None = None

    def take_text(self, text: str, now: float | None = None) -> bool:
        """Take the text the page shows; True when it differed from the value the kernel had."""
        self._handed_over = None
        changed = text != self.value
        if changed:
            # As if the page had sent it: the page is told it arrived, and observers (autosave) run.
            self.set_state({"value": text})
        self._handed_over = (text, time.monotonic() if now is None else now)
        return changed

    def set_state(self, sync_data: dict, now: float | None = None) -> None:
        """A state from the page; a held-back copy of the text already handed over is not news."""
        handed_over, self._handed_over = self._handed_over, None
        if handed_over is not None and "value" in sync_data:
            text, when = handed_over
            late = (time.monotonic() if now is None else now) - when <= LATE_SYNC_SECONDS
            if late and sync_data["value"] == text and self.value != text:
                # Answer with the field's present value, so the page shows what the button left there.
                sync_data = {**sync_data, "value": self.value}
        super().set_state(sync_data)


class TextArea(TypedField, w.Textarea):
    """A multi-line text field whose text the keyboard guard can hand over."""


class TextLine(TypedField, w.Text):
    """A one-line text field whose text the keyboard guard can hand over."""


class ComboLine(TypedField, w.Combobox):
    """A one-line text field with suggestions, whose text the keyboard guard can hand over."""


def typed_field(field: TypedField) -> Any:
    """Mark a text field so the keyboard guard finds it in the page (by class) and in the kernel (by id)."""
    field.add_class(TYPED_CLASS)
    field.add_class(f"{TYPED_CLASS}-{field.model_id}")
    _typed_fields[field.model_id] = field
    return field


def take_typed_text(content: Any) -> int:
    """Handle the keyboard guard's message `{"typed": {model id: text shown in the page}}`.

    Sets each known text field to its text; ids of no text field and texts that are not strings are
    ignored (the message comes from the page). Returns how many fields changed."""
    typed = content.get("typed") if isinstance(content, Mapping) else None
    if not isinstance(typed, Mapping):
        return 0
    changed = 0
    for model_id, text in typed.items():
        field = _typed_fields.get(model_id) if isinstance(model_id, str) else None
        if field is not None and isinstance(text, str):
            changed += field.take_text(text)
    return changed


def text_area(label: str, placeholder: str = "", rows: int = 2) -> TextArea:
    """A multi-line text field with its visible label linked to it."""
    return typed_field(TextArea(
        description=label, placeholder=placeholder, rows=rows, continuous_update=True,
        layout=full_width(), style={"description_width": "14em"},
    ))


def text_line(label: str, placeholder: str = "") -> TextLine:
    """A one-line text field with its visible label linked to it."""
    return typed_field(TextLine(
        description=label, placeholder=placeholder, continuous_update=True,
        layout=full_width(), style={"description_width": "14em"},
    ))


def combo_line(label: str, options: list[str], placeholder: str = "") -> ComboLine:
    """A one-line text field that suggests options but takes any text, with its visible label linked to it."""
    return typed_field(ComboLine(
        options=options, description=label, placeholder=placeholder, ensure_option=False, continuous_update=True,
        layout=full_width(), style={"description_width": "14em"},
    ))


def section(title: str, help_text: str = "") -> w.HTML:
    """A heading for a group of fields, with a line of help."""
    body = f'<div class="bs-section" role="heading" aria-level="3">{esc(title)}</div>'
    if help_text:
        body += f'<div class="bs-help">{esc(help_text)}</div>'
    return w.HTML(body)


def status_cell(status: str) -> str:
    """An icon and a word for a status, as HTML."""
    icon, word = STATUS_MARK[status]
    return f'<span class="bs-{status}"><span aria-hidden="true">{icon}</span> {word}</span>'


class Autosave:
    """Saves a form's answers on every change, atomically, and handles another tab's edits."""

    def __init__(self, file: AnswersFile, collect: Callable[[], dict], apply: Callable[[dict], None]):
        self.file = file
        self.collect = collect
        self.apply = apply
        self.enabled = True
        self.status = w.HTML(layout=full_width())
        self.keep_mine = w.Button(description="Keep my version", tooltip="Overwrite the file with what this form shows")
        self.load_theirs = w.Button(description="Load the saved version", tooltip="Replace this form with the file on disk")
        self.conflict_text = w.HTML()
        self.conflict_box = w.VBox([self.conflict_text, w.HBox([self.keep_mine, self.load_theirs])])
        self.conflict_box.layout.display = "none"
        self.keep_mine.on_click(lambda _: self.resolve(keep_mine=True))
        self.load_theirs.on_click(lambda _: self.resolve(keep_mine=False))
        self.in_conflict = False

    @property
    def widget(self) -> w.VBox:
        """The status line and, when needed, the conflict choice."""
        return w.VBox([self.status, self.conflict_box])

    def say(self, text: str, alert: bool = False) -> None:
        """Show a status message in words."""
        cls = "bs-alert" if alert else "bs-status"
        self.status.value = f'<div class="{cls}" role="status">{esc(text)}</div>'

    def save(self, *_: Any) -> None:
        """Save now (called on every change)."""
        # The form is read under the file's lock too: a change handled on another thread at the same
        # moment then saves after this one, with the newer values, never before it with older ones.
        with self.file.lock:
            if not self.enabled or self.in_conflict:
                return
            try:
                wrote = self.file.save(self.collect())
            except Conflict:
                self._show_conflict()
                return
            except OSError as exc:
                self.say(f"Could not save ({exc.strerror or exc}). Your text is still in the form; "
                         "check the folder is writable and try again.", alert=True)
                return
            if wrote:
                self.say(f"Saved to {self.file.path.parent.name}/{self.file.path.name}")

    def _show_conflict(self) -> None:
        self.in_conflict = True
        self.conflict_text.value = (
            '<div class="bs-alert" role="alert">These answers were changed somewhere else (another tab or '
            "kernel) since this form loaded them. Nothing has been overwritten. Choose which version to keep.</div>"
        )
        self.conflict_box.layout.display = "flex"
        self.say("Saving paused until you choose.", alert=True)

    def resolve(self, keep_mine: bool) -> None:
        """The trainee's choice after a conflict."""
        with self.file.lock:
            self._resolve(keep_mine)

    def _resolve(self, keep_mine: bool) -> None:
        self.in_conflict = False
        self.conflict_box.layout.display = "none"
        if keep_mine:
            self.file.save(self.collect(), force=True)
            self.say("Kept your version; the file now matches this form.")
        else:
            data = self.file.adopt_disk_version() or {}
            self.enabled = False
            try:
                self.apply(data)
            finally:
                self.enabled = True
            self.say("Loaded the saved version into this form.")
