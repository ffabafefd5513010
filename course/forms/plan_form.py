"""`draft_plan`: the homework-plan form, beside the case, with autosave and instant feedback."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from course.answers import AnswersFile, answers_path, headless, read_saved
from course.assignments import exercise_has_conversation
from course.catalogue import load_task_types
from course.client.transcript import session_turns
from course.forms.common import (
    Autosave,
    combo_line,
    esc,
    form_head,
    full_width,
    live_region,
    long_words,
    points,
    quotation,
    section,
    show,
    status_cell,
    text_area,
    text_line,
)
from course.forms.conversation_panel import ConversationPanel
from course.forms.dispute_box import DisputeBox
from course.plans import PLAN_SCHEMA_VERSION, Plan, PlanError, plan_from_data
from course.privacy import privacy_message, privacy_warnings
from course.scoring import PlanReport, score_plan
from course.vignettes import Vignette, get_vignette

NOT_RATED = "— not rated yet —"
FRAMING_WORDS = ["practice", "experiment", "try-out", "mission", "challenge", "exercise"]
# (field, label, kind, placeholder) in the order a clinician works.
LAYOUT: list[tuple[str, str, list[tuple[str, str, str, str]]]] = [
    ("Goal and takeaway", "Start from the client: which of their goals does this serve, and what did they take from today?", [
        ("goal", "Goal (client's words)", "combo", "Pick or type one of the client's goals"),
        ("goal_link", "How the task serves it", "area", "How does doing this move the client toward that goal?"),
        ("takeaway", "Session takeaway", "combo", "What the client took from today, in their words"),
        ("takeaway_link", "How it builds on it", "area", "How does the task extend or test that takeaway?"),
    ]),
    ("Task and rationale", "What the client will do, and why it should help this client.", [
        ("task_type", "Task type", "type", ""),
        ("task", "The task", "area", "Start with a verb: what exactly will the client do?"),
        ("rationale", "Rationale", "area", "In plain words: what keeps the problem going, and how does this task act on it?"),
    ]),
    ("How the client was involved", "Collaboration shows in the options, the client's choice and their own words.", [
        ("collaboration.options_offered", "Options offered", "area", "Which options did you offer?"),
        ("collaboration.client_choice", "Client's choice or change", "area", "What did the client choose, change or add?"),
        ("collaboration.client_words", "Client's own words", "area", 'Quote the client, e.g. "I could do that after lunch."'),
    ]),
    ("When, where, how often, how long", "Concrete details make the task easy to start; plan a bad-day version too.", [
        ("when", "When (day, time or trigger)", "line", "e.g. weekdays at 13:00, straight after lunch"),
        ("where", "Where", "line", "e.g. at the kitchen sink"),
        ("frequency", "How often", "line", "e.g. every weekday"),
        ("duration", "How long", "line", "e.g. 10 minutes"),
        ("minimum_version", "Minimum version", "area", "The smallest version that still counts on a bad day"),
        ("hierarchy_step", "Hierarchy step (exposure)", "line", "Exposure or experiments: the step and its rating"),
    ]),
    ("Obstacles and if-then plans", "Name realistic obstacles for this client and a concrete plan for each.", []),
    ("Understanding and confidence", "Ask the client to say the task back, then rate their confidence.", [
        ("teach_back", "Client's teach-back", "area", "The client's explanation in their own words"),
        ("confidence", "Confidence (0-10)", "confidence", ""),
        ("confidence_change", "What changed (if below 7)", "area", "If confidence was under 7, what did you change?"),
    ]),
    ("Framing, format and adaptations", "A low-stakes word for the task, and how it fits this client's life.", [
        ("framing_word", "Word for the task", "framing", "e.g. practice, experiment, the client's own word"),
        ("framing", "Framing", "area", "e.g. whatever happens, we will learn something"),
        ("format", "Format and reminders", "line", "e.g. card on the fridge, phone alarm, audio"),
        ("adaptations", "Adaptations", "area", "Language, literacy, technology, family, culture, modality"),
    ]),
    ("Recording and review", "What the client brings back, and when you will look at it together.", [
        ("record", "What to record or bring", "area", "e.g. mood 0-10 before and after, one moment to talk about"),
        ("review", "Review plan", "area", "e.g. we look at it together at the start of next session"),
    ]),
    ("Risk", "Your risk judgement for this task and this client.", [
        ("risk", "Risk judgement", "area", "Each risk and the adjustment made, or what you screened for"),
    ]),
    ("Written summary", "A short note for the client in plain words: what, when, where, why.", [
        ("summary", "Summary for the client", "summary", "Write to the client: what, when, where and why"),
        ("summary_format", "Form it is given in", "line", "e.g. printed card, audio in Spanish, large print"),
    ]),
]


class PlanForm:
    """The plan form for one case; its answers live in one JSON file."""

    def __init__(self, vignette: Vignette, file: AnswersFile, exercise: str | None = None, conversation: bool = False):
        self.vignette = vignette
        self.file = file
        self.exercise = exercise
        self.conversation = ConversationPanel(vignette, lambda: self.autosave.save(), lambda: self.plan) if conversation else None
        self.controls: dict[str, w.Widget] = {}
        self.slots: dict[w.Widget, w.VBox] = {}
        self.obstacle_rows: list[tuple[w.Textarea, w.Textarea, w.Button]] = []
        self.obstacle_box = w.VBox(layout=full_width())
        self.checked = False
        self.report: PlanReport | None = None
        self._previous_summary: str | None = None
        self.autosave = Autosave(file, self._collect_data, self._apply)
        self._build()
        loaded = self.file.load(validate=self._validate)
        if loaded.data is not None:
            self._apply(loaded.data)
        if loaded.message:
            self.autosave.say(loaded.message, alert=True)
        elif loaded.data is not None:
            self.autosave.say(f"Your draft was loaded from {file.path.parent.name}/{file.path.name}.")
        else:
            self.autosave.say(f"New draft; it saves itself to {file.path.parent.name}/{file.path.name} as you type.")

    # -- building ---------------------------------------------------------------------------
    def _control(self, field: str, label: str, kind: str, placeholder: str) -> w.Widget:
        case = self.vignette
        if kind == "combo":
            options = [g.text for g in case.goals] if field == "goal" else [case.takeaway.text]
            control = combo_line(label, options, placeholder)
        elif kind == "type":
            types = sorted(load_task_types().values(), key=lambda t: t.name)
            control = w.Dropdown(options=[("— choose a task type —", "")] + [(t.name, t.id) for t in types],
                                 value="", description=label, layout=full_width(),
                                 style={"description_width": "14em"})
        elif kind == "confidence":
            # "" (not None) stands for "not rated": ipywidgets shows a None value as a blank select.
            control = w.Dropdown(options=[(NOT_RATED, "")] + [(str(n), n) for n in range(11)], value="",
                                 description=label, layout=full_width(), style={"description_width": "14em"})
        elif kind == "framing":
            control = combo_line(label, FRAMING_WORDS, placeholder)
        elif kind == "summary":
            control = text_area(label, placeholder, rows=6)
        elif kind == "line":
            control = text_line(label, placeholder)
        else:
            control = text_area(label, placeholder)
        control.observe(self._changed, names="value")
        self.controls[field] = control
        return control

    def _build(self) -> None:
        parts: list[w.Widget] = []
        for title, help_text, fields in LAYOUT:
            parts.append(section(title, help_text))
            if title.startswith("Obstacles"):
                add = w.Button(description="Add an obstacle", icon="plus", tooltip="Add another obstacle row")
                add.on_click(lambda _: self._add_obstacle(save=True))
                parts += [self.obstacle_box, add]
                continue
            for field, label, kind, placeholder in fields:
                control = self._control(field, label, kind, placeholder)
                self.slots[control] = w.VBox(layout=full_width())
                parts += [control, self.slots[control]]
            if title == "Written summary":
                parts.append(self._summary_tools())
        exam = self.vignette.answer_key is None  # an exam case: the form saves, the instructor's checks score
        self.check_button = w.Button(
            description="Save my plan for grading" if exam else "Check my plan", button_style="primary", icon="check",
            tooltip="Save the plan now; your instructor's checks score it" if exam
            else "Score this plan against the checklist and explain each point")
        self.expert_button = w.Button(description="Show an expert plan", icon="eye", disabled=True,
                                      tooltip="Available after you have checked your plan at least once")
        self.check_button.on_click(lambda _: self.check())
        self.expert_button.on_click(lambda _: self.show_expert())
        buttons = [self.check_button]
        if self.vignette.use == "practice" and self._expert_access().shown:
            buttons.append(self.expert_button)
        self.feedback = live_region()
        self.expert = live_region()
        self.dispute = DisputeBox(self.file.path.stem, self.file.path.parent.parent)
        self.privacy = w.HTML(layout=full_width())
        # Warnings, the save status and a two-tab conflict follow the field being edited.
        self.messages = w.VBox([self.privacy, self.autosave.widget], layout=full_width())
        self.bottom_slot = w.VBox([self.messages], layout=full_width())
        self.messages_slot = self.bottom_slot
        parts += [w.HBox(buttons), self.bottom_slot]
        self.form = w.VBox(parts, layout=w.Layout(flex="2 1 34em", min_width="0"))
        case = self._case_panel()
        case.layout = w.Layout(flex="1 1 24em", min_width="0", margin="0 1.5em 0 0")
        # Feedback, the dispute box and the expert comparison: a row of their own across the whole page,
        # just below the check button, so their tables are never squeezed into half the width.
        self.results = w.VBox([self.feedback, self.dispute.widget, self.expert],
                              layout=w.Layout(flex="1 1 100%", width="100%", min_width="0"))
        self.results.add_class("bs-results")
        # Case and form side by side on a wide screen; the case stacks above the form when narrow or zoomed in.
        self.widget = w.HBox([*form_head(), case, self.form, self.results],
                             layout=w.Layout(width="100%", flex_flow="row wrap", align_items="flex-start"))
        self.widget.add_class("bs-form")
        if not self.obstacle_rows:
            self._add_obstacle(save=False)

    def _case_panel(self) -> w.Widget:
        case = self.vignette
        goals = "".join(f"<li>{quotation(g.text)}</li>" for g in case.goals)
        constraints = "".join(f"<li>{esc(c.text)}</li>" for c in case.constraints)
        turns = "".join(
            f"<p><strong>{esc(t.speaker.capitalize())}:</strong> {esc(t.text)}</p>" for t in session_turns(case)
        )
        summary = (
            f'<div class="bs-case"><p><strong>{esc(case.title)}</strong> · {esc(case.modality.replace("_", " "))}'
            f' · {esc(case.delivery.replace("_", " "))}</p><p>{esc(case.presenting_problem)}</p>'
            f"<p><strong>Goals, in {esc(case.client.name)}'s words:</strong></p><ul>{goals}</ul>"
            f"<p><strong>What {esc(case.client.name)} took from the session:</strong> {quotation(case.takeaway.text)}</p></div>"
        )
        # <details> sections: each in the Tab order, opened with Enter or Space, independent of the other;
        # the keyboard guard keeps their aria-expanded in step.
        details = (
            _case_section("Life context and constraints",
                          f"<p>{esc(case.client.context)}</p><ul>{constraints}</ul>")
            + _case_section("The session's key moment (transcript)", turns)
        )
        return w.VBox([w.HTML(summary + risk_screen_html(case) + details)] + ([self.conversation.widget] if self.conversation else []))

    def _summary_tools(self) -> w.Widget:
        self.draft_button = w.Button(description="Draft the summary from my plan", icon="pencil",
                                     layout=w.Layout(width="auto"),
                                     tooltip="Fill the summary from your plan; you can then edit it")
        self.undo_button = w.Button(description="Bring back my previous summary", icon="undo",
                                    layout=w.Layout(width="auto", display="none"))
        self.reading_level = w.HTML()
        self.large_print = w.Checkbox(description="Large print", value=False, indent=False)
        self.preview_button = w.Button(description="Preview the handout", icon="print", layout=w.Layout(width="auto"),
                                       tooltip="Render a one-page printable handout and save it next to the notebook")
        self.handout = w.HTML(layout=full_width())
        self.draft_button.on_click(lambda _: self.draft_summary())
        self.undo_button.on_click(lambda _: self.undo_summary())
        self.preview_button.on_click(lambda _: self.preview_handout())
        self.controls["summary"].observe(lambda _: self._show_reading_level(), names="value")
        return w.VBox([
            w.HBox([self.draft_button, self.undo_button]), self.reading_level,
            w.HBox([self.preview_button, self.large_print]), self.handout,
        ], layout=full_width())

    def _add_obstacle(self, save: bool, obstacle: str = "", if_then: str = "") -> None:
        number = len(self.obstacle_rows) + 1
        # Two lines that wrap between words: a longer obstacle ("too tired to start after lunch") stays readable.
        name = text_area(f"Obstacle {number}", "e.g. too tired after work", rows=2)
        plan = text_area(f"If-then for obstacle {number}", "If ..., then I will ...")
        remove = w.Button(description=f"Remove obstacle {number}", icon="trash", layout=w.Layout(width="auto"))
        name.value, plan.value = obstacle, if_then
        row = (name, plan, remove)
        remove.on_click(lambda _: self._remove_obstacle(row))
        name.observe(self._changed, names="value")
        plan.observe(self._changed, names="value")
        self.obstacle_rows.append(row)
        self._render_obstacles()
        if save:  # the trainee pressed "Add an obstacle": carry on typing in the new row
            self.autosave.save()
            name.focus()

    def _remove_obstacle(self, row) -> None:
        self.obstacle_rows.remove(row)
        self._render_obstacles()
        self.autosave.save()

    def _render_obstacles(self) -> None:
        for i, (name, plan, remove) in enumerate(self.obstacle_rows, start=1):
            name.description, plan.description, remove.description = (
                f"Obstacle {i}", f"If-then for obstacle {i}", f"Remove obstacle {i}")
        self.obstacle_box.children = [w.VBox(list(row), layout=full_width()) for row in self.obstacle_rows]

    # -- data -------------------------------------------------------------------------------
    def _collect_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema_version": PLAN_SCHEMA_VERSION, "vignette_id": self.vignette.id, "collaboration": {}}
        for field, control in self.controls.items():
            value = control.value
            if field.startswith("collaboration."):
                data["collaboration"][field.split(".", 1)[1]] = value
            else:
                data[field] = None if field == "confidence" and value == "" else value
        data["obstacles"] = [
            {"obstacle": name.value, "if_then": plan.value}
            for name, plan, _ in self.obstacle_rows if name.value.strip() or plan.value.strip()
        ]
        if self.conversation is not None and self.conversation.moves:
            data["conversation"] = self.conversation.turns()
        return data

    def _validate(self, data: dict[str, Any]) -> None:
        try:
            plan = plan_from_data(data, self.file.path.name)
        except PlanError as exc:
            raise ValueError("; ".join(exc.problems[:3])) from None
        if plan.vignette_id and plan.vignette_id != self.vignette.id:
            raise ValueError(f"it holds a plan for another case ({plan.vignette_id})")

    def _apply(self, data: dict[str, Any]) -> None:
        self.autosave.enabled = False
        try:
            plan = plan_from_data(data) if data else Plan(vignette_id=self.vignette.id)
            for field, control in self.controls.items():
                if field.startswith("collaboration."):
                    value = getattr(plan.collaboration, field.split(".", 1)[1])
                else:
                    value = getattr(plan, field)
                if field == "task_type" and value not in {v for _, v in control.options}:
                    value = ""
                control.value = value if value is not None else ""
            self.obstacle_rows.clear()
            for item in plan.obstacles:
                self._add_obstacle(save=False, obstacle=item.obstacle, if_then=item.if_then)
            if not self.obstacle_rows:
                self._add_obstacle(save=False)
            if self.conversation is not None:
                self.conversation.restore(plan.conversation)
        finally:
            self.autosave.enabled = True

    @property
    def plan(self) -> Plan:
        """The plan as the form shows it now."""
        return plan_from_data(self._collect_data())

    def _changed(self, change: dict) -> None:
        if not self.autosave.enabled:
            return
        self._messages_under(self.slots.get(change.get("owner"), self.messages_slot))
        try:
            plan_from_data(self._collect_data())
        except PlanError as exc:
            self.autosave.say("Not saved: " + "; ".join(exc.problems) + ". Shorten that field and it will save again.",
                              alert=True)
            return
        self.autosave.save()
        if isinstance(change.get("new"), str):
            self._check_privacy(change["new"])

    def _messages_under(self, slot: w.VBox) -> None:
        """Move the warnings and save status just below the field being edited."""
        if slot is not self.messages_slot:
            self.messages_slot.children = ()
            slot.children = (self.messages,)
            self.messages_slot = slot

    def _check_privacy(self, text: str) -> None:
        message = privacy_message(privacy_warnings(text, self.vignette))
        self.privacy.value = f'<div class="bs-alert" role="alert">{esc(message)}</div>' if message else ""

    # -- actions ----------------------------------------------------------------------------
    def check(self) -> PlanReport | None:
        """Score the plan and show, for every behaviour, the status, feedback and next step."""
        self.autosave.save()
        if self.vignette.answer_key is None:
            self.feedback.value = (
                '<div class="bs-status" role="status">Saved for grading. This is an exam case: your instructor\'s checks '
                "score it, so no feedback is shown here. Use the self-rating to judge it yourself.</div>"
            )
            return None
        self.report = score_plan(self.plan, self.vignette, conversation_required=self.conversation is not None)
        self.feedback.value = render_feedback(self.report)
        self.dispute.offer((item.id, item.name) for item in self.report.items)
        self.checked = True
        self.expert_button.disabled = False
        return self.report

    def show_expert(self) -> None:
        """Show the case's reference plan beside the trainee's (practice cases, after a check)."""
        if self.vignette.use != "practice":
            self.expert.value = '<div class="bs-alert" role="status">This is an exam case: no expert plan is shown.</div>'
            return
        if not self.checked:
            self.expert.value = '<div class="bs-alert" role="status">Check your plan first; then the expert plan unlocks.</div>'
            return
        access = self._expert_access()
        if not access.allowed:
            self.expert.value = f'<div class="bs-alert" role="status">Not shown: {esc(access.reason)}.</div>'
            return
        self.expert.value = render_side_by_side(self.plan, self.vignette.key.reference_plan)

    def _expert_access(self):
        """The course setting for this exercise's expert plan (between-sessions.yaml; see course.settings)."""
        from course.settings import SettingsError, assignment_of, expert_access

        try:
            return expert_access(assignment_of(self.exercise or self.vignette.id), start=self.file.path.parent)
        except SettingsError as exc:  # a broken settings file hides the plan and says why
            from course.settings import ExpertAccess

            return ExpertAccess(allowed=False, shown=True, reason=f"the course settings file cannot be read ({exc})")

    def draft_summary(self) -> None:
        """Fill the summary from the plan; the previous text can be brought back."""
        from course.summaries import draft_summary

        current = self.controls["summary"].value
        self._previous_summary = current if current.strip() else None
        self.controls["summary"].value = draft_summary(self.plan, self.vignette)
        self.undo_button.layout.display = "inline-flex" if self._previous_summary else "none"

    def undo_summary(self) -> None:
        """Bring back the summary as it was before the last draft."""
        if self._previous_summary is not None:
            self.controls["summary"].value = self._previous_summary
            self._previous_summary = None
        self.undo_button.layout.display = "none"

    def _show_reading_level(self) -> None:
        from course.summaries import describe_grade, reading_grade

        text = self.controls["summary"].value
        self.reading_level.value = (
            f'<div class="bs-status" role="status">{esc(describe_grade(reading_grade(text)))}</div>' if text.strip() else ""
        )

    def preview_handout(self) -> None:
        """Render the printable handout, save it next to the notebook, show it, and offer to open it in a
        browser tab of its own, where the browser's Print command prints it (in JupyterLab, Ctrl+P prints
        the notebook)."""
        from course.handouts import handout_url, render_handout, save_handout

        exercise = self.file.path.stem
        folder = self.file.path.parent.parent
        path = save_handout(self.plan, self.vignette, exercise, folder, large_print=self.large_print.value)
        page = render_handout(self.plan, self.vignette, large_print=self.large_print.value, preview=True)
        where = f"{esc(path.parent.name)}/{esc(path.name)}"
        url = handout_url(path)
        if url:
            how = (f'<a class="bs-open-handout" href="{esc(url)}" target="_blank" rel="noopener">'
                   "Open the handout in a new browser tab</a> Saved to " + where + ". In the new tab, use "
                   "the browser's Print command (Ctrl+P, or Cmd+P on a Mac); here in the notebook, Ctrl+P "
                   "would print the notebook instead.")
        else:
            how = ("Saved to " + where + ". To print it, right-click it in the file browser, choose "
                   "<em>Open in New Browser Tab</em>, and use the browser's Print command there.")
        self.handout.value = (
            f'<div class="bs-status bs-print" role="status">{how}</div>'
            f'<iframe title="Handout preview" sandbox="" style="width:100%;height:38em;border:1px solid '
            f'var(--jp-border-color2);background:white" srcdoc="{esc(page)}"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<plan form for {self.vignette.id}, saving to {self.file.path.parent.name}/{self.file.path.name}>"


def _case_section(title: str, body: str) -> str:
    return (f'<details class="bs-case-section"><summary aria-expanded="false">{esc(title)}</summary>'
            f'<div class="bs-case">{body}</div></details>')


def risk_screen_html(case: Vignette) -> str:
    """The case's risk screen as its own always-visible section (or a plain statement that it has none)."""
    screen = case.risk_screen
    text = (f"<strong>Risk screen:</strong> asked {esc(screen.asked.rstrip('.'))}, "
            f"found {esc(screen.found.rstrip('.'))}." if screen
            else "<strong>Risk screen:</strong> This case file states no risk screen.")
    return f'<div class="bs-case bs-risk-screen" role="note"><p>{text}</p></div>'


def render_feedback(report: PlanReport) -> str:
    """The scorer's report as HTML: every item with icon and word, feedback, next step, and top gains."""
    rows = []
    for item in report.items:
        evidence = "".join(f"<li>{long_words(e)}</li>" for e in item.evidence[:3])
        evidence_html = f'<details><summary>Evidence found</summary><ul>{evidence}</ul></details>' if evidence else ""
        step = f"<br><em>Next step:</em> {long_words(item.next_step)}" if item.status != "met" else ""
        rows.append(
            f"<tr><th scope='row'>{esc(item.name)}</th><td data-label='Status'>{status_cell(item.status)}</td>"
            f"<td data-label='Points'>{points(item.points)}/{points(item.max_points)}</td>"
            f"<td>{long_words(item.feedback)}{step}{evidence_html}</td></tr>"
        )
    gains = report.biggest_gains(2)
    gains_html = "".join(
        f"<li><strong>{esc(g.name)}</strong> (+{points(g.max_points - g.points)}): {long_words(g.next_step)}</li>"
        for g in gains
    )
    top = f"<p><strong>The two changes that would gain the most:</strong></p><ol>{gains_html}</ol>" if gains else (
        "<p><strong>Every behaviour is met.</strong></p>")
    flags = "".join(
        f'<p class="bs-flag" role="alert"><strong>⚠ Needs review:</strong> {esc(flag.message)}</p>' for flag in report.flags
    )  # a gate or the safety cap leads the feedback
    capped = f" (capped; the behaviours add up to {points(report.raw_total)})" if report.capped else ""
    return (
        f'<div class="bs-feedback" role="region" aria-label="Feedback on your plan">{flags}'
        f"<p><strong>Total: {points(report.total)} of {points(report.max)}{capped}</strong></p>{top}"
        f"<table><thead><tr><th scope='col'>Behaviour</th><th scope='col'>Status</th><th scope='col'>Points</th>"
        f"<th scope='col'>Feedback</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_side_by_side(mine: Plan, expert: Plan) -> str:
    """The trainee's plan and the expert plan, field by field."""
    labels = {field: label for _, _, fields in LAYOUT for field, label, _, _ in fields}
    rows = []
    for field, label in labels.items():
        parent, _, child = field.partition(".")
        a = getattr(getattr(mine, parent), child) if child else getattr(mine, parent)
        b = getattr(getattr(expert, parent), child) if child else getattr(expert, parent)
        if field == "task_type":  # the task type's name, not its id
            a, b = task_type_name(a), task_type_name(b)
        rows.append(f"<tr><th scope='row'>{esc(label)}</th>"
                    f"<td data-label='Yours' style='white-space:pre-wrap'>{long_words(a if a is not None else '')}</td>"
                    f"<td data-label='Expert' style='white-space:pre-wrap'>{long_words(b if b is not None else '')}</td></tr>")
    rows.append(
        "<tr><th scope='row'>Obstacles</th><td data-label='Yours'>"
        + "<br>".join(long_words(f"{o.obstacle}: {o.if_then}") for o in mine.obstacles)
        + "</td><td data-label='Expert'>"
        + "<br>".join(long_words(f"{o.obstacle}: {o.if_then}") for o in expert.obstacles) + "</td></tr>"
    )
    return (
        '<div class="bs-feedback" role="region" aria-label="Your plan beside an expert plan">'
        "<p><strong>Your plan beside an expert plan.</strong> There is more than one good plan; compare the choices, "
        "not the words.</p><table><thead><tr><th scope='col'>Field</th><th scope='col'>Yours</th>"
        f"<th scope='col'>Expert</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def task_type_name(type_id: str | None) -> str:
    """The task type's name from the catalogue (the id itself if it is not there, "" if none)."""
    if not type_id:
        return ""
    task_type = load_task_types().get(type_id)
    return task_type.name if task_type else type_id


def draft_plan(vignette_id: str, exercise: str | None = None, folder: str | os.PathLike[str] | None = None):
    """Show the plan form for a case and return it; under nbgrader, show nothing and return the saved Plan.

    The answers file is `answers/<exercise>.json` in the notebook's folder (exercise defaults to the
    vignette id)."""
    vignette = get_vignette(vignette_id)
    path = answers_path(exercise or vignette.id, folder)
    if headless():
        return saved_plan(vignette.id, exercise, folder)
    form = PlanForm(vignette, AnswersFile(path), exercise=exercise, conversation=vignette.voice is not None
                    and exercise_has_conversation(exercise or vignette.id))
    show(form.widget)
    return form


def saved_plan(vignette_id: str, exercise: str | None = None, folder: str | os.PathLike[str] | None = None) -> Plan:
    """The plan saved for an exercise, read without writing anything (an empty plan if none or unreadable)."""
    path = answers_path(exercise or vignette_id, folder)
    return read_saved(path, lambda data: plan_from_data(data, str(path)), Plan(vignette_id=vignette_id))
