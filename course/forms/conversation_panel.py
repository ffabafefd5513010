"""The conversation panel: the trainee talks the task through with the case's scripted client.

Sits beside the plan form (inside it, so the form's keyboard guard and live regions cover it).
Each move is chosen from a list and, where words matter, filled with the trainee's own words; the
client's reply appears next to the move and is announced to screen readers. The moves are saved
with the plan, in the same answers file, and replayed on restore (the client is deterministic)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from course.client.engine import MOVES, Reply, reply
from course.forms.common import esc, full_width, live_region, section, text_area
from course.plans import MAX_TEXT, ConversationTurn, Plan

MAX_TURNS = 200


class ConversationPanel:
    """The moves made with one case's client, their replies, and the controls to make the next one."""

    def __init__(self, vignette: Any, on_change: Callable[[], None], plan: Callable[[], Plan] | None = None):
        self.vignette = vignette
        self.on_change = on_change
        self.current_plan = plan
        self.moves: list[ConversationTurn] = []
        self.replies: list[Reply] = []
        name = vignette.client.name.split()[0]
        self.move = w.Dropdown(
            options=[(label, move_id) for move_id, (label, _, _) in MOVES.items()], value="options",
            description="Your move", layout=full_width(), style={"description_width": "14em"},
        )
        self.words = text_area("Your words", MOVES["options"][2], rows=3)
        self.say = w.Button(description=f"Say it to {name}", icon="comment", button_style="primary",
                            tooltip=f"Make this move; {name} answers below")
        self.latest = live_region()
        self.latest.add_class("bs-latest-reply")
        self.history = w.HTML(layout=full_width())
        self.move.observe(self._move_changed, names="value")
        self.say.on_click(lambda _: self.make_move())
        self.widget = w.VBox([
            section(f"Talk it through with {name}",
                    f"Design the task with {name}: offer options, explain why, ask about times, obstacles, a bad-day "
                    "version, a teach-back and confidence. The conversation is saved with your plan and graded: in this "
                    "exercise it, not the typed fields, shows the design with the client and the check of understanding "
                    "and confidence."),
            self.move, self.words, self.say, self.latest, self.history,
        ], layout=full_width())
        self.widget.add_class("bs-conversation")

    def _move_changed(self, change: dict) -> None:
        label, needs_words, placeholder = MOVES[change["new"]]
        self.words.placeholder = placeholder or "Optional: your own words"

    def make_move(self) -> Reply | None:
        """Make the chosen move with the words typed, show the client's reply, and save."""
        move_id, text = self.move.value, self.words.value.strip()
        label, needs_words, _ = MOVES[move_id]
        if needs_words and not text:
            self.latest.value = (f'<div class="bs-alert" role="status">“{esc(label)}” needs your own words: '
                                 "type them in “Your words”, then say it.</div>")
            return None
        if len(self.moves) >= MAX_TURNS:
            self.latest.value = '<div class="bs-alert" role="status">The conversation is as long as it can be.</div>'
            return None
        answer = reply(self.vignette, self.moves, {"move": move_id, "text": text}, self._plan())
        self.moves.append(ConversationTurn(move=move_id, text=text[:MAX_TEXT], reply=answer.text[:MAX_TEXT]))
        self.replies.append(answer)
        self.words.value = ""
        self._render()
        self.on_change()
        return answer

    def _plan(self) -> Plan | None:
        try:
            return self.current_plan() if self.current_plan is not None else None
        except ValueError:  # a plan that does not validate yet: the client judges the conversation alone
            return None

    def turns(self) -> list[dict[str, str]]:
        """The conversation as saved in the plan's `conversation` field."""
        return [turn.model_dump(mode="json") for turn in self.moves]

    def restore(self, turns: list[ConversationTurn]) -> None:
        """Bring back a saved conversation (after a restart), replaying it for the replies."""
        from course.client.engine import replay

        self.moves = list(turns)
        self.replies = replay(self.vignette, self.moves, self._plan())[1] if self.moves else []  # as the grader replays it
        self._render()

    def _render(self) -> None:
        if not self.moves:
            self.latest.value = ""
            self.history.value = ""
            return
        turn, answer = self.moves[-1], self.replies[-1]
        latest = (f'<div class="bs-case" role="status"><p><strong>You ({esc(MOVES[turn.move][0].lower())}):</strong> '
                  f"{esc(turn.text)}</p>{_said(answer)}</div>")
        self.latest.value = latest
        earlier = "".join(
            f"<li><strong>{esc(MOVES[t.move][0])}</strong>{': ' + esc(t.text) if t.text else ''}{_said(a)}</li>"
            for t, a in zip(self.moves[:-1], self.replies[:-1], strict=True)
        )
        count = len(self.moves) - 1
        self.history.value = (f'<details class="bs-case-section"><summary aria-expanded="false">Earlier in the '
                              f"conversation ({count} move{'s' if count > 1 else ''})</summary><ol>{earlier}</ol></details>"
                              if earlier else "")


def _said(answer: Reply) -> str:
    return "".join(f"<p><strong>{esc(u.speaker)}:</strong> {esc(u.text)}</p>" for u in answer.said)
