"""The conversation with the scripted client as evidence (BRIEF §3, conversation evidence).

The grader never trusts the replies saved in a plan: it replays the trainee's moves through the
client (course/client/engine.py) and reads what they established.
- `collaboration`: options offered in the conversation, and the client's choice carried into the plan;
- `commitment_check`: a teach-back and a confidence asked, with a revision after a rating below 7;
- `obstacles`: an obstacle the client raised that the plan ignores counts against it.
In an exercise with the panel (`conversation_required`), a plan with no conversation cannot earn
`collaboration` or `commitment_check` from typed text alone; elsewhere the conversation can only add."""

from __future__ import annotations

from course.client.engine import LOW, ConversationState, Move, replay
from course.language import coverage, excerpt, matching_phrases, read
from course.scoring.reading import PlanReading
from course.scoring.rules import PARAPHRASE, Outcome, _case_obstacle

CONVERSATION_ITEMS = ("collaboration", "commitment_check", "obstacles")
_RANK = {"missing": 0, "partial": 1, "met": 2}
CARRY_FIELDS = ["task", "when", "where", "minimum_version", "summary", "collaboration"]


def conversation_state(reading: PlanReading) -> ConversationState | None:
    """What the plan's conversation established (replayed once per plan), or None without one."""
    if "conversation" not in reading.memo:
        moves = [Move(turn.move, turn.text) for turn in reading.plan.conversation]
        reading.memo["conversation"] = replay(reading.vignette, moves, reading.plan)[0] if moves else None
    return reading.memo["conversation"]  # type: ignore[return-value]


def with_conversation(item_id: str, outcome: Outcome, reading: PlanReading, required: bool) -> Outcome:
    """The item's outcome once the conversation is taken into account."""
    if item_id not in CONVERSATION_ITEMS:
        return outcome
    state = conversation_state(reading)
    if item_id == "obstacles":
        return _obstacles(outcome, reading, state, required)
    if state is None:
        return Outcome("missing", "no_conversation", [], {}) if required else outcome
    talk = _collaboration(reading, state) if item_id == "collaboration" else _commitment(state, _name(reading))
    if required or _RANK[talk.status] > _RANK[outcome.status]:
        return talk
    return outcome


def _name(reading: PlanReading) -> str:
    return reading.vignette.client.name.split()[0]


def _collaboration(reading: PlanReading, state: ConversationState) -> Outcome:
    name = _name(reading)
    offered = state.most_options >= 2
    carried = [c for c in state.chosen if _carried(reading, c)]
    evidence = []
    if state.most_options:
        evidence.append(f"conversation: {state.most_options} option{'s' if state.most_options > 1 else ''} offered")
    if state.chosen:
        evidence.append(f"conversation: {name} chose " + "; ".join(excerpt(c.text, 60) for c in state.chosen))
    if carried:
        evidence.append("the plan carries the choice: " + excerpt(carried[0].text, 60))
    gaps, fixes = [], []
    if not offered:
        gaps.append(f"you never offered {name} two or three options")
        fixes.append(f"Offer {name} two or three options in the panel and let {name} choose.")
    if state.chosen and not carried:
        gaps.append(f"the plan does not carry {name}'s choice ({excerpt(state.chosen[0].text, 50)})")
        fixes.append(f"Build the plan's task around what {name} chose.")
    elif not state.chosen:
        gaps.append(f"{name} chose nothing you offered")
        fixes.append(f"Offer options that fit {name}'s life, and listen to why others were turned down.")
    values = {"talk_gap": " and ".join(gaps), "talk_fix": " ".join(fixes)}
    if offered and carried:
        return Outcome("met", "talked", evidence, values)
    if (offered and state.chosen) or carried:
        return Outcome("partial", "talk_partial", evidence, values)
    return Outcome("missing", "talk_missing", evidence, values)


def _carried(reading: PlanReading, choice) -> bool:
    """True if the plan's task (or another of its fields) takes up an option the client chose."""
    if choice.option is not None:
        return any(matching_phrases(choice.option.cues, s.words) for s in reading.valid(CARRY_FIELDS))
    return coverage(choice.text, reading.words(*CARRY_FIELDS)) >= 0.5


def _commitment(state: ConversationState, name: str) -> Outcome:
    rating = state.ratings[-1] if state.ratings else None
    evidence = []
    if state.taught_back:
        evidence.append("conversation: the client said the task back")
    if rating is not None:
        evidence.append(f"conversation: confidence {rating}/10" + (" after a revision" if state.revised_after_low else ""))
    values = {"confidence": str(rating) if rating is not None else "?"}
    gaps, fixes = [], []
    if not state.taught_back:
        gaps.append(f"you never asked {name} to say the task back")
        fixes.append(f"Ask {name} to say the task back in their own words.")
    if rating is None:
        gaps.append(f"you never asked {name} for a confidence rating (0-10)")
        fixes.append(f"Ask {name} for a confidence rating, 0 to 10.")
    values.update(talk_gap=" and ".join(gaps), talk_fix=" ".join(fixes))
    if rating is not None and rating < LOW:
        return Outcome("partial", "talk_low_unchanged", evidence, values)
    if state.taught_back and rating is not None:
        return Outcome("met", "talked", evidence, values)
    if state.taught_back or rating is not None:
        return Outcome("partial", "talk_partial", evidence, values)
    return Outcome("missing", "talk_missing", evidence, values)


def _obstacles(outcome: Outcome, reading: PlanReading, state: ConversationState | None, required: bool) -> Outcome:
    if state is None:
        never = required and outcome.status != "met"
        return Outcome(outcome.status, "never_asked", outcome.evidence, outcome.values) if never else outcome
    handled = set()
    for item in reading.plan.obstacles:
        handled |= {_named_obstacle(reading, item.obstacle), _case_obstacle(reading, f"{item.obstacle} {item.if_then}")}
    case = {o.id: o for o in reading.vignette.obstacles}
    ignored = [case[i].text for i in state.raised if i in case and i not in handled]
    if ignored and outcome.status == "met":
        values = {**outcome.values, "ignored": "; ".join(t.rstrip(".") for t in ignored[:2])}
        return Outcome("partial", "ignored_raised", outcome.evidence + ["raised in the conversation, not in the plan: "
                                                                        + excerpt(ignored[0], 60)], values)
    if required and "obstacles" not in state.asked and outcome.status != "met":
        return Outcome(outcome.status, "never_asked", outcome.evidence, outcome.values)
    return outcome


def _named_obstacle(reading: PlanReading, text: str) -> str:
    """The case obstacle a plan's obstacle names: of those its words match, the one whose own text it
    covers best ("Lying awake going over lesson plans" is lying awake, though "lie in" also matches)."""
    words = read(text)
    named = [o for o in reading.vignette.obstacles
             if coverage(o.text, words) >= PARAPHRASE or matching_phrases(o.cues, words, respect_negation=False)]
    return max(named, key=lambda o: coverage(o.text, words)).id if named else ""
