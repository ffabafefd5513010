"""The scripted client: answers each move the trainee makes, in character and deterministically.

`reply(case, conversation_so_far, move)` is a pure function of the case's data (its voice,
constraints, obstacles, risk screen and answer key), the moves made so far, the new move and,
optionally, the plan as it stands. It reads the trainee's words with the grader's own language
reading (course/language.py, course/scoring/timing.py): the client turns an option down for the
same words the grader would charge to `fit`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from course.catalogue import adds_time
from course.client.voice import Line, OptionVoice, Spoken, Voice
from course.datafiles import DATA_DIR, read_yaml
from course.language import coverage, exact_phrase_position, lexicon, matching_phrases, read
from course.scoring import timing

LINES_FILE = DATA_DIR / "client_lines.yaml"
LOW = 7
"""A rating below this asks for a change (the convention the checklist uses)."""

MOVES: dict[str, tuple[str, bool, str]] = {
    # id: (what the trainee does, whether the move needs the trainee's own words, placeholder)
    "options": ("Offer two or three options", True, "Your options, one per line or joined by 'or'"),
    "rationale": ("Give the rationale", True, "In plain words: what keeps the problem going and how the task helps"),
    "when": ("Ask when and where would suit", False, "Optional: a time or place you suggest"),
    "obstacles": ("Ask what might get in the way", False, ""),
    "name": ("Ask what the task should be called", False, ""),
    "smaller": ("Ask about a smaller version for a bad day", False, ""),
    "teach_back": ("Ask them to say the task back", False, ""),
    "confidence": ("Ask how confident they are, 0-10", False, ""),
    "risk": ("Ask about risk", False, "Optional: what you ask about"),
    "revise": ("Revise the plan after a low rating", True, "What you change, e.g. a shorter or easier version"),
}
MAX_OPTIONS = 6


@dataclass(frozen=True)
class Utterance:
    """One line the client (or one person of a couple or family) says."""

    speaker: str
    text: str


@dataclass(frozen=True)
class Reply:
    """The client's answer to one move: what was said, what happened (events), and any rating given."""

    move: str
    said: tuple[Utterance, ...]
    events: tuple[str, ...] = ()
    rating: int | None = None

    @property
    def text(self) -> str:
        """The reply as one line of text, each person named."""
        return " ".join(f"{u.speaker}: {u.text}" for u in self.said)

    def to_dict(self) -> dict[str, Any]:
        """The reply as JSON data (what `talk --json` prints)."""
        return {"move": self.move, "said": [{"speaker": u.speaker, "text": u.text} for u in self.said],
                "events": list(self.events), "rating": self.rating}


@dataclass(frozen=True)
class Choice:
    """An option the client picked: one of the voice's options, or the trainee's own idea."""

    id: str
    text: str
    option: OptionVoice | None = None


@dataclass
class ConversationState:
    """What the conversation has established so far (derived by replaying the moves)."""

    most_options: int = 0
    chosen: list[Choice] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    rationale: str = ""
    asked: list[str] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    low_cause: str = ""
    revised: bool = False
    revised_after_low: bool = False
    proposal: str = ""
    smaller: bool = False
    taught_back: bool = False
    word: str = ""


@dataclass(frozen=True)
class Move:
    """A move as the engine needs it (a plan's ConversationTurn has the same two fields)."""

    move: str
    text: str = ""


@lru_cache(maxsize=1)
def default_lines() -> dict[str, str]:
    """The client's default lines (data/client_lines.yaml)."""
    return {k: str(v) for k, v in read_yaml(LINES_FILE)["lines"].items()}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def reply(case: Any, conversation_so_far: Sequence[Any], move: Any, plan: Any = None) -> Reply:
    """The client's reply to `move` after `conversation_so_far` (moves with `.move` and `.text`)."""
    state = ConversationState()
    for earlier in conversation_so_far:
        _step(case, state, _as_move(earlier), plan)
    return _step(case, state, _as_move(move), plan)


def replay(case: Any, moves: Iterable[Any], plan: Any = None) -> tuple[ConversationState, list[Reply]]:
    """Every reply to a list of moves, and what the conversation established."""
    state = ConversationState()
    replies = [_step(case, state, _as_move(m), plan) for m in moves]
    return state, replies


def _as_move(move: Any) -> Move:
    if isinstance(move, dict):
        kind, text = move.get("move", ""), move.get("text", "") or ""
    elif isinstance(move, str):
        kind, text = move, ""
    else:
        kind, text = move.move, move.text or ""
    if kind not in MOVES:
        raise ValueError(f"unknown move {kind!r}; the moves are: {', '.join(MOVES)}")
    return Move(kind, str(text))


# -- speaking ---------------------------------------------------------------------------------
def voice_of(case: Any) -> Voice:
    """The case's voice (an empty one when the case has none: the client then uses default lines)."""
    return case.voice or Voice()


def first_speaker(case: Any) -> str:
    """Who answers when a line names no one: the voice's first speaker, else the client."""
    voice = voice_of(case)
    return voice.speakers[0] if voice.speakers else spoken_name(case.client.name)


_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof"}


def spoken_name(name: str) -> str:
    """How a person is named beside their line: the first name, or the whole name after an
    honorific ("Mrs. Okafor", not "Mrs.")."""
    words = name.split()
    if not words:
        return name
    return name if words[0].rstrip(".").lower() in _HONORIFICS and len(words) > 1 else words[0]


def _say(case: Any, line: Line, **values: object) -> list[Utterance]:
    items = line if isinstance(line, list) else [line]
    said = []
    for item in items:
        speaker, text = (item.speaker, item.text) if isinstance(item, Spoken) else (first_speaker(case), item)
        text = _fill(text, values).strip()
        if text:
            said.append(Utterance(speaker, text[:1].upper() + text[1:]))
    return said


def _fill(text: str, values: dict[str, object]) -> str:
    try:
        return text.format_map(_Blank({k: str(v) for k, v in values.items()}))
    except (ValueError, IndexError):  # a stray brace in a line: say it as written
        return text


def _line(case: Any, name: str) -> Line:
    return voice_of(case).lines.get(name) or default_lines()[name]


def _merge(said: list[Utterance]) -> tuple[Utterance, ...]:
    merged: list[Utterance] = []
    for utterance in said:
        if merged and merged[-1].speaker == utterance.speaker:
            merged[-1] = Utterance(utterance.speaker, f"{merged[-1].text} {utterance.text}")
        else:
            merged.append(utterance)
    return tuple(merged)


# -- reading the trainee's words ------------------------------------------------------------
_OR = re.compile(r"\bor\b(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twice|so|more|less)\b)",
                 re.IGNORECASE)
"""An 'or' between options; not one before a number or amount ("a tune or two", "ten minutes or so")."""


def split_options(text: str) -> list[str]:
    """The options in a move's text: one per line, or separated by ';', ',' or 'or' (except an 'or'
    that joins amounts: "a tune or two", "once or twice", "ten minutes or so")."""
    text = _OR.sub("\n", text or "")
    parts = re.split(r"\n|;|,|(?:^|\s)(?:\d[.)]|[-•*])\s", text, flags=re.IGNORECASE)
    options = [p.strip(" .:-•*\t") for p in parts]
    return [p for p in options if len(read(p).content) >= 1][:MAX_OPTIONS]


def broken_constraint(case: Any, text: str) -> tuple[Any, str] | None:
    """The first constraint a text goes against, and what in it does (as the grader's `fit` reads it)."""
    if not text.strip():
        return None
    words = read(text)
    for constraint in case.constraints:
        hit = next((b for b in constraint.breaks if exact_phrase_position(b, words) is not None), None)
        if hit:
            return constraint, hit
        clash = timing.conflicts_with(text, constraint.unavailable) if constraint.unavailable else None
        if clash:
            return constraint, clash
    return None


def _option_voice(case: Any, text: str) -> OptionVoice | None:
    words = read(text)
    return next((o for o in voice_of(case).options if matching_phrases(o.cues, words)), None)


def _rationale_kind(case: Any, text: str) -> str:
    words = read(text)
    if len(words.content) < 3:
        return ""
    cues = list(voice_of(case).why_cues)
    mechanism = ""
    if case.answer_key is not None:
        cues += case.answer_key.mechanism_cues
        mechanism = case.answer_key.mechanism
    if matching_phrases(cues, words) or (mechanism and coverage(mechanism, words) >= 0.25):
        return "personal"
    return "generic"


# A count: digits, the number words the grader reads (course/scoring/timing.py), or an amount in words.
_COUNT = (r"(?:\d+(?:\.\d+)?|" + "|".join(re.escape(w) for w in sorted(timing.NUMBER_WORDS, key=lambda w: (-len(w), w)))
          + r"|a\s+couple\s+of|a\s+few|couple\s+of|few|half(?:\s+an)?|(?:a\s+)?quarter(?:\s+of\s+an)?|an?)")
_SPAN = rf"{_COUNT}(?:\s*(?:-|to|or)\s*{_COUNT})?[\s-]*"
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|h\b)"
_INTERVAL = re.compile(
    rf"\b(?:(?:every|each)\s+(?:other\s+)?(?:{_SPAN})?{_UNIT}"  # every three to four hours, every hour
    rf"|{_SPAN}{_UNIT}\s+apart"  # three hours apart
    rf"|(?:at\s+)?{_SPAN}{_UNIT}\s+intervals?"  # at three-hour intervals
    rf"|(?:gaps?|no\s+more\s+than|not\s+more\s+than|at\s+most|up\s+to)\s+(?:of\s+)?(?:more\s+than\s+)?{_SPAN}{_UNIT}"
    rf"\s+(?:between|without)"  # no more than four hours between meals
    r"|hourly)",
    re.IGNORECASE,
)
_WAKING_MINUTES = 16 * 60


_INTERVAL_WORDS = re.compile(r"\b(?:every|each|apart|intervals?|hourly|between|without)\b", re.IGNORECASE)


def frequency_intervals(text: str) -> list[str]:
    """The phrases of a text that say how often by an interval ("every three to four hours",
    "three hours apart", "hourly"): a frequency, not how long the task takes."""
    if not _INTERVAL_WORDS.search(text or ""):
        return []
    return [m.group(0) for m in _INTERVAL.finditer(text)]


def _interval_minutes(phrase: str) -> float | None:
    """The longest interval a phrase names, in minutes ("every three to four hours" is 240)."""
    if phrase.strip().lower() == "hourly":
        return 60.0
    if re.fullmatch(r"(?:every|each)\s+(?:other\s+)?(?:minute|min|hour|hr|h)s?", phrase.strip(), re.IGNORECASE):
        return 120.0 if "other" in phrase.lower() else (1.0 if phrase.lower().rstrip("s").endswith(("minute", "min")) else 60.0)
    phrase = re.sub(r"-(?=(?:minute|min|hour|hr|h)s?\b)", " ", phrase, flags=re.IGNORECASE)  # three-hour
    if not re.search(r"\b(?:half|quarter)\b", phrase, re.IGNORECASE):
        phrase = re.sub(r"\ban?\b", "one", phrase, flags=re.IGNORECASE)  # every an hour → one hour
    return timing.duration_minutes(phrase)


@lru_cache(maxsize=4096)
def _minutes_a_day(text: str) -> float | None:
    """How many minutes a day a text asks for: its duration times how often a day it says.

    An interval ("every three to four hours") is a frequency, not a duration: it is taken out of the
    text before the duration is read, and counts as that many times in a waking day."""
    intervals = frequency_intervals(text)
    rest = _INTERVAL.sub(" ", text) if intervals else text
    minutes = timing.duration_minutes(rest)
    if minutes is None:
        return None
    times = timing.times_per_day(rest)
    for phrase in intervals:
        gap = _interval_minutes(phrase)
        if gap:
            times = max(times, max(1, int(_WAKING_MINUTES // gap)))
    return minutes * times


# -- the moves ------------------------------------------------------------------------------
def _step(case: Any, state: ConversationState, move: Move, plan: Any) -> Reply:
    state.asked.append(move.move)
    handler = _HANDLERS[move.move]
    said, events, rating = handler(case, state, move.text, plan)
    if not said:  # always answer
        said = _say(case, _line(case, "unclear"))
    return Reply(move.move, _merge(said), tuple(events), rating)


def _options(case: Any, state: ConversationState, text: str, plan: Any):
    parts = split_options(text)
    if not parts:
        return _say(case, _line(case, "options_empty")), ["offered:0"], None
    said: list[Utterance] = []
    events = [f"offered:{len(parts)}"]
    chosen: list[Choice] = []
    neutral: list[str] = []
    for part in parts:
        broken = broken_constraint(case, part)
        option = _option_voice(case, part)
        if broken:
            constraint, _ = broken
            line = voice_of(case).constraints.get(constraint.id) or _line(case, "breaks_option")
            said += _say(case, line, option=part)
            events.append(f"declined:{constraint.id}")
        elif option is not None and not option.accepts:
            said += _say(case, option.says, option=part)
            events.append(f"turned_down:{option.id}")
        elif option is not None:
            if all(c.id != option.id for c in chosen):
                chosen.append(Choice(option.id, part, option))
                said += _say(case, option.says, option=part)
                events.append(f"chose:{option.id}")
        else:
            neutral.append(part)
    if not chosen and neutral:
        chosen.append(Choice("own", neutral[0]))
        said += _say(case, _line(case, "custom_choice"), option=neutral[0])
        events.append("chose:own")
    if not chosen and len(parts) > 1:
        said += _say(case, _line(case, "none_fit"))
    if len(parts) == 1:
        said += _say(case, _line(case, "only_one_option"))
    state.most_options = max(state.most_options, len(parts))
    state.chosen = chosen
    state.declined += [e.split(":", 1)[1] for e in events if e.startswith(("declined:", "turned_down:"))]
    return _dedupe(said), events, None


def _rationale(case: Any, state: ConversationState, text: str, plan: Any):
    kind = _rationale_kind(case, text)
    if not kind:
        return _say(case, _line(case, "rationale_empty")), [], None
    if state.rationale != "personal":
        state.rationale = kind
    name = "rationale_personal" if kind == "personal" else "rationale_generic"
    return _say(case, _line(case, name)), [f"rationale:{kind}"], None


def _when(case: Any, state: ConversationState, text: str, plan: Any):
    if text.strip() and timing.has_time_or_trigger(text):
        broken = broken_constraint(case, text)
        if broken:
            constraint, _ = broken
            line = voice_of(case).constraints.get(constraint.id) or _line(case, "breaks_option")
            return _say(case, line, option=text.strip()), [f"declined:{constraint.id}"], None
        state.proposal = text
        return _say(case, _line(case, "when_fits"), option=text.strip().rstrip("?.")), ["time_agreed"], None
    line = voice_of(case).disclosures.when or _line(case, "when")
    return _say(case, line), ["told:when"], None


def _obstacles(case: Any, state: ConversationState, text: str, plan: Any):
    lines = voice_of(case).obstacles
    for obstacle_id, line in lines.items():
        if obstacle_id not in state.raised:
            state.raised.append(obstacle_id)
            return _say(case, line), [f"raised:{obstacle_id}"], None
    return _say(case, _line(case, "obstacles_done")), [], None


def _name(case: Any, state: ConversationState, text: str, plan: Any):
    disclosures = voice_of(case).disclosures
    said: list[Utterance] = []
    if re.search(r"\bhomework\b", text, re.IGNORECASE):
        said += _say(case, _line(case, "homework_word"))
    state.word = disclosures.name_word or state.word
    said += _say(case, disclosures.name or _line(case, "name"), word=state.word)
    return said, [f"word:{state.word}"] if state.word else [], None


def _smaller(case: Any, state: ConversationState, text: str, plan: Any):
    state.smaller = True
    line = voice_of(case).disclosures.smaller or _line(case, "smaller")
    return _say(case, line), ["told:smaller"], None


def _teach_back(case: Any, state: ConversationState, text: str, plan: Any):
    if not state.chosen:
        return _say(case, _line(case, "teach_back_nothing")), [], None
    voice = voice_of(case)
    said: list[Utterance] = []
    for choice in state.chosen:
        back = choice.option.says_back if choice.option is not None and choice.option.says_back else choice.text
        said += _say(case, back)
    if state.smaller and voice.disclosures.smaller_back:
        said += _say(case, voice.disclosures.smaller_back)
    events = ["teach_back"]
    if state.rationale == "personal" and voice.disclosures.why:
        said += _say(case, voice.disclosures.why)
    elif state.rationale:
        said += _say(case, _line(case, "teach_back_generic_why"))
    else:
        events.append("why_left_out")
    state.taught_back = True
    return [Utterance(u.speaker, _sentence(u.text)) for u in said], events, None


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "\"", "”")) else text + "."


def plan_as_it_stands(state: ConversationState, move_text: str, plan: Any) -> list[str]:
    """The texts that make up the plan now: the chosen options, the latest time agreed or
    revision, the move's own words and, when given, the plan's fields."""
    texts = [c.text for c in state.chosen] + [state.proposal, move_text]
    if plan is not None:
        texts += [plan.task, plan.when, plan.where, plan.format, plan.minimum_version, plan.record]
        texts.append(" ".join([plan.duration, plan.frequency]))
    return [t for t in texts if t and t.strip()]


def assess(case: Any, state: ConversationState, move_text: str, plan: Any) -> tuple[int, str, Any]:
    """The client's confidence in the plan as it stands, and why: 'breaks', 'too_big', 'base'."""
    voice = voice_of(case)
    base = max(voice.confidence, voice.revised_confidence) if state.revised else voice.confidence
    texts = plan_as_it_stands(state, move_text, plan)
    for text in texts:
        broken = broken_constraint(case, text)
        if broken:
            return min(base, 4), "breaks", broken[0]
    limit = case.answer_key.max_minutes_per_day if case.answer_key is not None else None
    if limit and adds_time(getattr(plan, "task_type", None)):  # meals or bedtime are not extra time, as the grader's doable_dose reads it
        for text in texts:
            minutes = _minutes_a_day(text)
            if minutes is not None and minutes > limit:
                return min(base, 5), "too_big", None
    return base, "base", None


def _confidence(case: Any, state: ConversationState, text: str, plan: Any):
    if not state.chosen:
        return _say(case, _line(case, "confidence_nothing")), [], None
    rating, cause, constraint = assess(case, state, text, plan)
    said: list[Utterance] = []
    if cause == "breaks":
        said += _say(case, voice_of(case).constraints.get(constraint.id) or _line(case, "breaks"), rating=rating)
        said += _say(case, _line(case, "breaks"), rating=rating)
    elif cause == "too_big":
        said += _say(case, _line(case, "too_big"), rating=rating)
    else:
        said += _say(case, _line(case, "confidence" if rating >= LOW else "low_confidence"), rating=rating)
    state.ratings.append(rating)
    state.low_cause = cause if rating < LOW else ""
    return _dedupe(said), [f"rating:{rating}"], rating


def _dedupe(said: list[Utterance]) -> list[Utterance]:
    seen, kept = set(), []
    for utterance in said:
        if utterance.text not in seen:
            seen.add(utterance.text)
            kept.append(utterance)
    return kept


def _revise(case: Any, state: ConversationState, text: str, plan: Any):
    if not read(text).content:
        return _say(case, _line(case, "unclear")), [], None
    if not state.ratings:
        return _say(case, _line(case, "revise_nothing_yet")), [], None
    last = state.ratings[-1]
    if last >= LOW:
        state.proposal = text
        return _say(case, _line(case, "revise_not_low")), ["revised"], None
    if not _meets_doubt(case, state, text):
        return _say(case, _line(case, "revise_not_enough"), rating=last), [], None
    state.revised = True
    state.proposal = text
    rating, cause, _ = assess(case, state, "", plan)
    state.ratings.append(rating)
    state.low_cause = cause if rating < LOW else ""
    if rating >= LOW:
        state.revised_after_low = True
    name = "revise_helps" if rating >= LOW else "revise_not_enough"
    return _say(case, _line(case, name), rating=rating), ["revised", f"rating:{rating}"], rating


def _meets_doubt(case: Any, state: ConversationState, text: str) -> bool:
    """True if a revision answers what made the client unsure."""
    words = read(text)
    if broken_constraint(case, text):
        return False
    lex = lexicon()
    smaller = matching_phrases(lex.words("minimum_cues") + lex.words("change_cues"), words, respect_negation=False)
    if state.low_cause == "breaks":
        return True  # the new proposal replaces the one that went against the client's life
    if state.low_cause == "too_big":
        return bool(smaller)
    cues = voice_of(case).revise_cues
    return bool(matching_phrases(cues, words)) if cues else bool(smaller)


def _risk(case: Any, state: ConversationState, text: str, plan: Any):
    voice = voice_of(case)
    said: list[Utterance] = []
    screen = case.risk_screen
    if voice.disclosures.risk:
        said += _say(case, voice.disclosures.risk)
    elif screen is not None:
        said += _say(case, _line(case, "risk_none"), found=screen.found, asked=screen.asked)
    else:
        said += _say(case, _line(case, "risk_unscreened"))
    events = ["told:risk"]
    for risk in case.risks:
        if risk.id in voice.risks:
            said += _say(case, voice.risks[risk.id])
            events.append(f"risk:{risk.id}")
    return said, events, None


_HANDLERS = {
    "options": _options, "rationale": _rationale, "when": _when, "obstacles": _obstacles, "name": _name,
    "smaller": _smaller, "teach_back": _teach_back, "confidence": _confidence, "risk": _risk, "revise": _revise,
}
