"""Reading times, days, frequencies and durations out of plan text."""

from __future__ import annotations

import re

from course.language import lexicon, matching_phrases, read, surface_matches

_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|o'?clock|h\b|hrs\b)?", re.IGNORECASE
)
_UNIT_MINUTES = {
    "minut": 1.0, "min": 1.0, "mins": 1.0, "hour": 60.0, "hr": 60.0, "hrs": 60.0, "h": 60.0,
    "second": 1 / 60, "sec": 1 / 60, "secs": 1 / 60,
}
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*(?:-|to|or)\s*(\d+(?:\.\d+)?))?\s*(minutes?|mins?|hours?|hrs?|h\b|seconds?|secs?)",
    re.IGNORECASE,
)
_WORD_DURATIONS = {
    "half an hour": 30.0, "half hour": 30.0, "quarter of an hour": 15.0, "quarter hour": 15.0,
    "an hour": 60.0, "one hour": 60.0, "a minute": 1.0, "a few minutes": 3.0, "couple of minutes": 2.0,
}
_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45", "sixty": "60", "ninety": "90",
}
NUMBER_WORDS = frozenset(_NUMBERS)
"""The number words read as numbers (also by the scripted client, course/client/engine.py)."""
_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_PERIODS = {
    "morning": (6 * 60, 12 * 60), "afternoon": (12 * 60, 17 * 60), "evening": (17 * 60, 21 * 60),
    "night": (21 * 60, 24 * 60), "noon": (12 * 60, 12 * 60 + 30), "midday": (12 * 60, 12 * 60 + 30),
    "lunchtime": (12 * 60, 14 * 60), "bedtime": (21 * 60, 24 * 60),
}
_DAY_KEYS = {
    "mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue", "wed": "wed",
    "wednesday": "wed", "thu": "thu", "thur": "thu", "thurs": "thu", "thursday": "thu",
    "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat", "sun": "sun", "sunday": "sun",
}
_UNIT_WORDS = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|single)\s+"
    r"(pages?|songs?|laps?|rounds?|breaths?|calls?|texts?|episodes?|blocks?|stops?|chapters?|"
    r"sessions?|times?|items?|minutes?|turns?|cycles?|exercises?|lines?|sentences?|sets?|messages?)\b",
    re.IGNORECASE,
)


def clock_minutes(text: str) -> list[int]:
    """Explicit clock times in a text, as minutes after midnight (only unambiguous ones)."""
    found = []
    text = _NUMBER_WORD.sub(lambda m: _NUMBERS[m.group(0).lower()], text or "")
    for match in _CLOCK.finditer(text):
        hour, minute, suffix = int(match.group(1)), match.group(2), (match.group(3) or "").lower()
        if hour > 23 or (not minute and not suffix):
            continue
        if suffix.startswith("h") and not minute:
            continue  # "2 h" or "2 hrs" is a duration, not a time
        if suffix.startswith("o") and 1 <= hour <= 6:
            hour += 12  # "two o'clock" in a plan means the afternoon
        if suffix.startswith("p") and hour < 12:
            hour += 12
        elif suffix.startswith("a") and hour == 12:
            hour = 0
        found.append(hour * 60 + int(minute or 0))
    return found


def period_ranges(text: str) -> list[tuple[int, int]]:
    """Parts of the day named in a text (morning, evening...), as minute ranges."""
    tokens = set(read(text).tokens)
    return [span for name, span in _PERIODS.items() if name in tokens]


def days_named(text: str) -> set[str]:
    """Days of the week named in a text ("mon" ... "sun"); weekday and weekend expand."""
    tokens = set(read(text).tokens)
    days = {_DAY_KEYS[t] for t in tokens if t in _DAY_KEYS}
    if tokens & {"weekday", "weekdays"}:
        days |= {"mon", "tue", "wed", "thu", "fri"}
    if tokens & {"weekend", "weekends"}:
        days |= {"sat", "sun"}
    return days


def has_time_or_trigger(text: str, *, frequency_counts: bool = True) -> bool:
    """True if the text gives a day, a time of day, or a trigger event.

    With `frequency_counts=False`, "every day" or "on weekdays" alone is how often, not when."""
    if not text:
        return False
    if clock_minutes(text) or period_ranges(text):
        return True
    tokens = set(read(text).tokens)
    if frequency_counts and (days_named(text) or tokens & {"daily", "weekday", "weekend"}):
        return True
    if not frequency_counts and {_DAY_KEYS[t] for t in tokens if t in _DAY_KEYS}:
        return True
    if tokens & {"tonight", "tomorrow"}:
        return True
    lex = lexicon()
    spoken = [d for d in surface_matches(lex.words("days"), text)
              if frequency_counts or d not in {"daily", "weekday", "weekend"}]
    if spoken:
        return True
    vague = surface_matches(lex.words("vague_when"), text)
    if vague:
        text = re.sub("|".join(re.escape(v) for v in vague), " ", text, flags=re.IGNORECASE)
    words = read(text)
    triggers = surface_matches(lex.words("triggers"), text)
    return bool(triggers) and len(words.content) >= 2


def is_vague(text: str, list_name: str, *, by_part: bool = False) -> bool:
    """True if the text is one of the lexicon's vague values and says nothing more definite. With
    `by_part`, a text of several parts ("her phone, wherever she is; the armchair in the evening") is
    vague only if every part is."""
    parts = [p for p in re.split(r"[;.]\s+|\n", text or "") if p.strip()]
    if by_part and len(parts) > 1:
        return all(_vague_part(p, list_name) for p in parts)
    return _vague_part(text, list_name)


def _vague_part(text: str, list_name: str) -> bool:
    lex = lexicon()
    hits = surface_matches(lex.words(list_name), text)
    if not hits:
        return False
    if re.search(r"\d", text) and list_name != "vague_when":
        return False
    return True


def duration_minutes(text: str) -> float | None:
    """The longest duration stated in a text, in minutes, or None."""
    values = []
    text = _NUMBER_WORD.sub(lambda m: _NUMBERS[m.group(0).lower()], text or "")
    for match in _DURATION.finditer(text):
        before = (text or "")[max(0, match.start() - 30) : match.start()].lower()
        if re.search(r"\b(usual|usually|already|normal|existing|regular)\b[\w ]*$", before):
            continue  # time the client spends anyway is not the task's demand
        high = float(match.group(2) or match.group(1))
        unit = match.group(3).lower().rstrip("s") or "min"
        factor = next((v for k, v in _UNIT_MINUTES.items() if unit.startswith(k)), 1.0)
        values.append(high * factor)
    lowered = (text or "").lower()
    for phrase in sorted(_WORD_DURATIONS, key=len, reverse=True):  # "quarter of an hour" before "an hour"
        if phrase in lowered:
            values.append(_WORD_DURATIONS[phrase])
            lowered = lowered.replace(phrase, " ")
    return max(values) if values else None


def has_duration(text: str) -> bool:
    """True if the text states how long (minutes, hours, or a countable unit like "one page")."""
    if not text or is_vague(text, "vague_duration"):
        return False
    if duration_minutes(text) is not None:
        return True
    if _UNIT_WORDS.search(text):
        return True
    return bool(re.search(r"\buntil\b.+\b(end|finish|done|drop|half|boils|falls)", text.lower()))


def has_frequency(text: str) -> bool:
    """True if the text says how often (a number of times, daily, every..., named days)."""
    if not text:
        return False
    words = read(text)
    tokens = set(words.tokens)
    if tokens & {"daily", "weekly", "nightly", "1x", "2x"} or re.search(r"\b(every|each|per)\s+\w+", text.lower()):
        return True
    if is_vague(text, "vague_frequency"):
        return False
    if tokens & {"times", "time"} and re.search(r"\d", text):
        return True
    if days_named(text):
        return True
    return bool(re.search(r"\b\d+\s*(x|times?)\b", text.lower())) or bool(
        matching_phrases(["a week", "a day"], words, respect_negation=False)
    )


def times_per_day(text: str) -> int:
    """How many times a day a frequency asks for (1 unless it says more)."""
    digits = _NUMBER_WORD.sub(lambda m: _NUMBERS[m.group(1).lower()], (text or "").lower())  # "six times" -> "6 times"
    match = re.search(r"\b(\d+)\s*(?:x|times?)\s*(?:a|per|each)\s*day\b", digits)
    if match:
        return int(match.group(1))
    if re.search(r"\btwice\s*(?:a|per|each)\s*day\b", (text or "").lower()):
        return 2
    return 1


def conflicts_with(when_text: str, windows: list) -> str | None:
    """The reason of an unavailable window that every stated time falls in, or None."""
    times = clock_minutes(when_text)
    if not times:
        return None
    days = days_named(when_text)
    for window in windows:
        start = _minutes(window.start)
        end = _minutes(window.end)
        if days and not days & set(window.days):
            continue
        if all(_inside(t, start, end) for t in times):
            return window.reason or f"{window.start}-{window.end}"
    return None


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def _inside(t: int, start: int, end: int) -> bool:
    if start <= end:
        return start <= t < end
    return t >= start or t < end


_RULED_OUT = re.compile(r"\b(?:except|excepting|apart\s+from|other\s+than|but\s+not|not\s+on|never\s+on|skip|skips|skipping|"
                        r"rest\s+on|off\s+on|outside|instead\s+of)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def rota_phases_named(text: str, rota) -> tuple[list, list]:
    """The phases of a rotating rota a plan names for the task, and those it rules out ("except on the
    recovery day", "not on nights")."""
    words = read(text or "")
    named, ruled_out = [], []
    for phase in rota.phases:
        cues = [phase.name, *phase.cues]
        mentioned = matching_phrases(cues, words, respect_negation=False)
        if not mentioned:
            continue
        if _only_ruled_out(text, mentioned) or not matching_phrases(cues, words):
            ruled_out.append(phase)
        else:
            named.append(phase)
    return named, ruled_out


def _only_ruled_out(text: str, cues: list[str]) -> bool:
    """True if every mention of the cues stands after "except", "apart from", "not on" or the like."""
    lowered = (text or "").lower()
    starts = [m.start() for cue in cues for m in re.finditer(re.escape(cue.lower()), lowered)]
    return bool(starts) and all(_RULED_OUT.search(lowered[:start]) for start in starts)


_EVERY_DAY = re.compile(r"\b(?:daily|every\s+(?:day|morning|afternoon|evening|night)|each\s+(?:day|morning|afternoon|evening|night)|"
                        r"nightly|seven\s+days|7\s+days)\b", re.IGNORECASE)


def rota_conflict(when_text: str, rota) -> str | None:
    """What clashes with a rotating rota: a phase when the client can do nothing that the plan names or
    runs on every day, or a phase whose unavailable hours hold every stated time. Unless the plan names
    phases, it runs on all of them (a fixed time recurs through the whole rota) but those it rules out."""
    if rota is None:
        return None
    named, ruled_out = rota_phases_named(when_text, rota)
    in_play = named or [p for p in rota.phases if p not in ruled_out]
    times = clock_minutes(when_text)
    every_day = bool(_EVERY_DAY.search(when_text or ""))
    for phase in in_play:
        if phase.whole_day and (phase in named or every_day):
            return f"the {phase.name}, when nothing else is possible"
        for window in phase.unavailable:
            start, end = _minutes(window.start), _minutes(window.end)
            if times and all(_inside(t, start, end) for t in times):
                return f"{window.reason or f'{window.start}-{window.end}'} during the {phase.name}"
    return None
