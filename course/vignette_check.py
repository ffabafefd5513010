"""Checking a case file as its author needs: what the test suite enforces, the reference plan's full
report, and lint for data the grader reads differently from how an author means it.

Pure: a case in, findings out. `python -m course vignettes --check PATH` prints them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from course.language import (
    absence_positions,
    has_exact_phrase,
    has_phrase,
    read,
    shingles,
    split_sentences,
)
from course.vignettes import Vignette

Severity = Literal["error", "warning", "note"]
MIN_TURNS = 6
GIVEAWAY_SHARE = 0.6
"""A transcript turn that holds this share of a reference-plan sentence's word trigrams gives it away."""
GIVEAWAY_FIELDS = ("task", "when", "where", "frequency", "duration", "minimum_version", "teach_back",
                   "collaboration.options_offered", "collaboration.client_choice", "confidence_change", "framing_word")


@dataclass(frozen=True)
class Finding:
    """One problem or remark, with where it is in the file and what to do about it."""

    severity: Severity
    path: str
    message: str
    fix: str = ""


# -- what the test suite enforces -----------------------------------------------------------------------
def enforced(case: Vignette, file: Path | None = None) -> list[tuple[str, list[Finding]]]:
    """Each rule the test suite holds every shipped case to, with the findings that break it."""
    return [
        ("the file is named after the id", _file_name(case, file)),
        ("2 to 4 goals and at least 6 transcript turns", _sizes(case)),
        ("task-type ids are in the catalogue", _task_types(case)),
        ("behaviour ids are checklist ids", _behaviour_ids(case)),
        ("behaviours are labelled only on therapist turns", _therapist_only(case)),
        ("the transcript has spotting labels", _has_labels(case)),
        ("at least one key constraint", _key_constraint(case)),
        ("the reference plan is for this case", _plan_for_case(case)),
        ("the risk screen is stated and matches the risks", _risk_screen(case)),
    ]


def _file_name(case: Vignette, file: Path | None) -> list[Finding]:
    if file is None or file.stem == case.id or case.use == "exam":
        return []
    return [Finding("error", "id", f"the id is {case.id!r} but the file is {file.name}",
                    f"rename the file to {case.id}.yaml or change the id to {file.stem!r}")]


def _sizes(case: Vignette) -> list[Finding]:
    found = []
    if not 2 <= len(case.goals) <= 4:
        found.append(Finding("error", "goals", f"{len(case.goals)} goal(s)", "give 2 to 4 goals in the client's words"))
    if len(case.transcript) < MIN_TURNS:
        found.append(Finding("error", "transcript", f"{len(case.transcript)} turns",
                             f"write at least {MIN_TURNS} turns of the session's key moment"))
    return found


def _task_types(case: Vignette) -> list[Finding]:
    from course.catalogue import load_task_types

    known = load_task_types()
    hint = "see `python -m course task-types` for the ids"
    found = [Finding("error", f"answer_key.task_types[{i}]", f"{t!r} is not a task-type id", hint)
             for i, t in enumerate(case.answer_key.task_types if case.answer_key else []) if t not in known]
    if case.answer_key and case.key.reference_plan.task_type not in known:
        found.append(Finding("error", "answer_key.reference_plan.task_type",
                             f"{case.key.reference_plan.task_type!r} is not a task-type id", hint))
    return found


def _checklist_ids() -> set[str]:
    from course.checklist import load_checklist

    return {item.id for item in load_checklist().items}


def _labels(case: Vignette) -> Iterator[tuple[str, int, list[str]]]:
    for i, turn in enumerate(case.transcript):
        if turn.behaviours:
            yield f"transcript[{i}].behaviours", i, turn.behaviours
    for j, label in enumerate(case.answer_key.spotting if case.answer_key else []):
        yield f"answer_key.spotting[{j}].behaviours", label.turn, label.behaviours


def _behaviour_ids(case: Vignette) -> list[Finding]:
    known = _checklist_ids()
    return [Finding("error", path, f"{b!r} is not a checklist id", "use an id from `python -m course checklist`")
            for path, _, ids in _labels(case) for b in ids if b not in known]


def _therapist_only(case: Vignette) -> list[Finding]:
    return [Finding("error", path, f"turn {i} is spoken by {case.transcript[i].speaker!r}, not the therapist",
                    "label behaviours only on the therapist's turns")
            for path, i, _ in _labels(case) if case.transcript[i].speaker.lower() != "therapist"]


def _has_labels(case: Vignette) -> list[Finding]:
    if case.spotting_labels() or case.use == "exam":  # an exam case needs labels only if it is used for spotting
        return []
    return [Finding("error", "transcript", "no therapist turn is labelled with the behaviours it shows",
                    "add `behaviours: [...]` to the therapist turns (answer_key.spotting for an exam case)")]


def _key_constraint(case: Vignette) -> list[Finding]:
    if any(c.key for c in case.constraints):
        return []
    return [Finding("error", "constraints", "no constraint has `key: true`",
                    "mark the constraint a plan must address to earn `fit` with key: true")]


def _plan_for_case(case: Vignette) -> list[Finding]:
    if case.answer_key is None or case.key.reference_plan.vignette_id == case.id:
        return []
    return [Finding("error", "answer_key.reference_plan.vignette_id", "the reference plan names no case or another one",
                    f"set it to {case.id!r}")]


def _risk_screen(case: Vignette) -> list[Finding]:
    if case.risk_screen is None:
        return [Finding("error", "risk_screen", "no risk screen", "add risk_screen: {asked: ..., found: ...}")]
    if case.risks and "none identified" in case.risk_screen.found.lower():
        return [Finding("error", "risk_screen.found", "says 'none identified' but the case lists risks",
                        "say what the screen found, or remove the risks")]
    return []


# -- lint -----------------------------------------------------------------------------------------------
def cue_lists(case: Vignette) -> Iterator[tuple[str, str, bool]]:
    """Every phrase the grader matches against a plan: (field path, phrase, matched word for word)."""
    for i, c in enumerate(case.constraints):
        for name, exact in (("addressed_by", False), ("breaks", True), ("applies_when", False)):
            for j, phrase in enumerate(getattr(c, name)):
                yield f"constraints[{i}].{name}[{j}]", phrase, exact
        if c.rota:
            for k, phase in enumerate(c.rota.phases):
                for j, phrase in enumerate(phase.cues):
                    yield f"constraints[{i}].rota.phases[{k}].cues[{j}]", phrase, False
    for i, o in enumerate(case.obstacles):
        for j, phrase in enumerate(o.cues):
            yield f"obstacles[{i}].cues[{j}]", phrase, False
    for i, r in enumerate(case.risks):
        for name in ("cues", "adjustments"):
            for j, phrase in enumerate(getattr(r, name)):
                yield f"risks[{i}].{name}[{j}]", phrase, False
    for i, step in enumerate(case.exposure_hierarchy):
        for j, phrase in enumerate(step.cues):
            yield f"exposure_hierarchy[{i}].cues[{j}]", phrase, False
    if case.answer_key is None:
        return
    key = case.answer_key
    for j, phrase in enumerate(key.mechanism_cues):
        yield f"answer_key.mechanism_cues[{j}]", phrase, False
    for j, entry in enumerate(key.summary_access.all_of):
        for k, phrase in enumerate([entry] if isinstance(entry, str) else entry):
            yield f"answer_key.summary_access.all_of[{j}]" + ("" if isinstance(entry, str) else f"[{k}]"), phrase, False
    for j, phrase in enumerate(key.summary_access.any_of):
        yield f"answer_key.summary_access.any_of[{j}]", phrase, False
    for name in ("modality_avoid", "unsafe"):
        for j, phrase in enumerate(getattr(key, name)):
            yield f"answer_key.{name}[{j}]", phrase, True


TIME_WORDS = frozenset({"after", "before", "until", "while", "during", "when"})
"""Stopwords that place a cue in time ("after her feed"). The grader drops them, so it cannot tell "after
her feed" from "before her feed". Lint only: the grader drops every stopword alike."""
BROAD_LISTS = (".addressed_by[", ".adjustments[")
"""Cue lists looked for in every field of a plan (or around a risk), where a cue read as one word of the
case's own story is met by plans that never meant it."""
STOPWORD_ONLY_SPECIFIC = 3
"""A cue of this many words or more made only of stopwords ("as many as she can") is specific enough to
match word for word; a shorter one ("get out", "done") occurs by chance."""


def lint_cues(case: Vignette) -> list[Finding]:
    """Cue phrases the grader can never match, or matches differently from how they read."""
    found = []
    story = story_keys(case)
    cues = list(cue_lists(case))
    by_list: dict[str, set[str]] = {}
    for path, phrase, _ in cues:
        by_list.setdefault(path.rsplit("[", 1)[0], set()).add(phrase.lower())
    for path, phrase, exact in cues:
        words = read(phrase)
        if not words.tokens:
            found.append(Finding("error", path, f"{phrase!r} has no words the grader reads (punctuation only)",
                                 "write the words a plan would use"))
            continue
        accented = re.findall(r"\w*[^\x00-\x7f]\w*", phrase)
        if accented and _unaccented(phrase).lower() not in by_list[path.rsplit("[", 1)[0]]:
            plain = " ".join(read(accented[0]).tokens)
            found.append(Finding("warning", path, f"{phrase!r}: letters outside a-z are not read, so "
                                 f"{accented[0]!r} is read as {plain!r}",
                                 f"add {_unaccented(phrase)!r} to the same list (a spelling without accents)"))
        matches = has_exact_phrase(phrase, words) if exact else has_phrase(phrase, words)
        if not matches:
            found.append(Finding("error", path, f"{phrase!r} cannot match even its own words "
                                 "(its words are negated inside the phrase)",
                                 "write the phrase as a plan would say it, without a negating word"))
            continue
        finding = _cue_reading(path, phrase, words, exact, story - _guarded(case, path), _timed(case, path))
        if finding is not None:
            found.append(finding)
    return found


def _unaccented(text: str) -> str:
    """A text with its accents taken off ("Seán" -> "Sean")."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _cue_reading(path: str, phrase: str, words, exact: bool, story: frozenset[str], timed: bool = False
                 ) -> Finding | None:
    """How the grader reads one cue phrase, when that differs from how it reads to its author."""
    absent = absence_positions(words.tokens)
    if absent and not [k for i, k in enumerate(words.keys) if k and i not in absent]:
        return Finding("warning", path, f"{phrase!r} has nothing for its negation to apply to, so it "
                       "matches word for word wherever a plan says it",
                       "name what is absent (e.g. 'no reply' rather than 'not')")
    if absent:
        return Finding("note", path, f"{phrase!r} is an absence phrase: it matches only where a plan "
                       "negates its other words (no, not, without, never...)", "")
    if not words.content:
        if len(words.tokens) >= STOPWORD_ONLY_SPECIFIC:
            return Finding("note", path, f"{phrase!r} is made only of stopwords: it matches word for word only "
                           "(no stems or synonyms)", "")
        return Finding("warning", path, f"{phrase!r} is made only of stopwords, so it matches word for "
                       "word only (no stems or synonyms) and wherever those words occur",
                       "use a content word (a noun or verb the plan would use); "
                       "`python -m course lexicon stopwords` lists the words the grader drops")
    if exact or len(words.content) != 1:
        return None
    content = [t for t, k in zip(words.tokens, words.keys, strict=True) if k]
    dropped = [t for t, k in zip(words.tokens, words.keys, strict=True) if not k]
    key = next(iter(words.content))
    timing = [t for t in dropped if t in TIME_WORDS]
    if timing and timed:
        return Finding("note", path, f"{phrase!r} is read as just {content[0]!r} (the grader drops "
                       f"{', '.join(repr(t) for t in dropped)}); the constraint's `unavailable` hours or rota catch "
                       "a plan whose clock time is wrong", "")
    if key in _weak():
        if not dropped:
            return Finding("warning", path, f"{phrase!r} is a common word: it matches any plan that uses it",
                           "add a telling word only this case's plans would use")
        return Finding("warning", path, f"{phrase!r} is read as just {content[0]!r} (the grader drops "
                       f"{', '.join(repr(t) for t in dropped)}), a common word: it matches any plan that uses it",
                       "add a telling word only this case's plans would use; `python -m course lexicon stopwords` "
                       "lists the words the grader drops")
    if timing and key in story and any(part in path for part in BROAD_LISTS):
        return Finding("warning", path, f"{phrase!r} is read as just {content[0]!r}: the grader drops "
                       f"{', '.join(repr(t) for t in dropped)}, so it cannot tell {phrase!r} from any other mention "
                       f"of {content[0]!r}, a word this case's own text uses (plans will too)",
                       f"say the time with content words (e.g. 'between feeds' or 'once fed and settled' rather "
                       f"than 'after her feed'; 'afternoon' rather than 'after lunch'), or write {content[0]!r} "
                       "alone if any mention should count; `python -m course lexicon stopwords` lists the words "
                       "the grader drops")
    return None


def _timed(case: Vignette, path: str) -> bool:
    """True for an `addressed_by` phrase of a constraint with `unavailable` hours or a rota: the grader checks
    the plan's clock times against those, so a time word the phrase loses ("after work") is not lost."""
    found = re.match(r"constraints\[(\d+)\]\.addressed_by\[", path)
    if not found:
        return False
    constraint = case.constraints[int(found.group(1))]
    return bool(constraint.unavailable or constraint.rota)


def _guarded(case: Vignette, path: str) -> frozenset[str]:
    """Words an `addressed_by` phrase may be read down to without harm: those its own constraint's `breaks`
    also use, so a plan at the wrong time ("after dark" for "before dark") goes against the constraint first."""
    found = re.match(r"constraints\[(\d+)\]\.addressed_by\[", path)
    if not found:
        return frozenset()
    breaks = case.constraints[int(found.group(1))].breaks
    return read(" ".join(breaks)).content if breaks else frozenset()


def story_keys(case: Vignette) -> frozenset[str]:
    """Content keys of the case's own text (context, problem, goals, takeaway, transcript, and the texts of
    its constraints, obstacles and risks): words any plan for this case is likely to use anyway."""
    parts = [case.client.context, case.presenting_problem, case.takeaway.text, *(g.text for g in case.goals),
             *(t.text for t in case.transcript), *(c.text for c in case.constraints),
             *(o.text for o in case.obstacles), *(r.text for r in case.risks)]
    return read(" ".join(parts)).content


def _weak() -> frozenset[str]:
    from course.language import weak_keys

    return weak_keys()


def lint_kind_defaults(case: Vignette) -> list[Finding]:
    """For each key constraint: the lexicon's default phrases for its kind that also count, those left
    out because the case contradicts them, and those the author switched off."""
    from course.language import lexicon
    from course.scoring.rules import kind_defaults

    found = []
    for i, constraint in enumerate(case.constraints):
        where = f"constraints[{i}] ({constraint.kind})"
        known = {" ".join(p.lower().split()) for p in lexicon().constraint_defaults.get(constraint.kind, ())}
        for j, phrase in enumerate(constraint.defaults_not_counted):
            if " ".join(phrase.lower().split()) not in known:
                found.append(Finding("warning", f"constraints[{i}].defaults_not_counted[{j}]",
                                     f"{phrase!r} is not a default phrase of kind {constraint.kind!r}, so listing it "
                                     "changes nothing", "list only phrases `--check` names as this kind's defaults "
                                     "(`python -m course lexicon defaults` prints them)"))
        if not constraint.key:
            continue
        defaults = kind_defaults(case, constraint)
        if not constraint.defaults:
            found.append(Finding("note", where, "`defaults: false`: none of the general phrases of its kind "
                                 "count here; only `addressed_by` (and a named rota phase) addresses it", ""))
        elif defaults.usable:
            found.append(Finding("note", where,
                                 "these general phrases also count as addressing it when a plan's format, "
                                 "adaptations or summary_format uses them: " + ", ".join(defaults.usable),
                                 "if one would be wrong for this client, list it in this constraint's "
                                 "`defaults_not_counted`, or set `defaults: false` to count only `addressed_by` "
                                 "(`breaks` is for phrases that go against the constraint: a plan using one "
                                 "loses `fit`)"))
        if defaults.switched_off and constraint.defaults:
            found.append(Finding("note", where, "switched off here (defaults_not_counted): "
                                 + ", ".join(defaults.switched_off), ""))
        for phrase, source in defaults.contradicted:
            found.append(Finding("note", where,
                                 f"the default {phrase!r} contradicts this case ({source} names it), so it does not "
                                 "count here", "nothing to do unless a plan should earn it: then add it to addressed_by"))
    return found


def lint_unsafe(case: Vignette) -> list[Finding]:
    """`unsafe` phrases that also match the reference plan (anywhere), or are a single word."""
    from course.scoring.reading import plan_fields
    from course.scoring.safety import DESCRIPTIVE_FIELDS

    if case.answer_key is None:
        return []
    found = []
    fields = plan_fields(case.key.reference_plan)
    for j, phrase in enumerate(case.key.unsafe):
        path = f"answer_key.unsafe[{j}]"
        for name, text in fields.items():
            if any(has_exact_phrase(phrase, s) for s in split_sentences(text)):
                ignored = name.startswith(DESCRIPTIVE_FIELDS) or name.endswith(".obstacle")
                where = f"the reference plan's {name}" + (" (a field that describes, so it is not counted there)"
                                                          if ignored else "")
                found.append(Finding("error" if not ignored else "warning", path,
                                     f"{phrase!r} also matches {where}: a correct plan saying this would be capped",
                                     "make the phrase say the unsafe instruction itself, word for word"))
                break
        words = read(phrase)
        if len(words.tokens) == 1 and _general_word(words.tokens[0]):
            found.append(Finding("warning", path, f"{phrase!r} is one common word: any plan that uses it as an "
                                 "instruction is capped", "write the unsafe instruction as a phrase "
                                 "('stop her tablets', not 'stop')"))
    return found


def _general_word(token: str) -> bool:
    """A word too general to be an unsafe instruction by itself: a stopword, a common word, or a verb of
    everyday tasks ("stop", "go", "drive")."""
    from course.language import key_of, lexicon

    lex = lexicon()
    general = set(lex.words("action_verbs")) | set(lex.words("avoid_care_verbs"))
    return token in lex.stopwords or key_of(token) in _weak() or token in general


def visible_turns(case: Vignette) -> tuple[list[int], bool]:
    """The turns a trainee sees before planning, and whether the case marks where the transcript is cut
    (`homework_discussion_from`: the index of the first turn of the homework discussion)."""
    turns = list(range(len(case.transcript)))
    cut = case.homework_discussion_from
    if cut is None:
        return turns, False
    return turns[:cut], True


def suggested_cut(case: Vignette) -> int | None:
    """Where the homework discussion probably starts: the first therapist turn after the client's turn that
    holds the most of the takeaway (None when no client turn holds half of it)."""
    from course.language import coverage

    client = [(coverage(case.takeaway.text, t.text), i) for i, t in enumerate(case.transcript)
              if t.speaker.lower() != "therapist"]
    share, at = max(client, default=(0.0, -1))
    if share < 0.5:
        return None
    return next((i for i in range(at + 1, len(case.transcript))
                 if case.transcript[i].speaker.lower() == "therapist"), None)


def lint_giveaways(case: Vignette) -> list[Finding]:
    """Transcript turns a trainee sees that already hold the reference plan's wording."""
    if case.answer_key is None:
        return []
    from course.scoring.reading import plan_fields
    from course.scoring.rules import _stated_rating

    turns, cut_known = visible_turns(case)
    fields = plan_fields(case.key.reference_plan)
    found = []
    if not cut_known:
        guess = suggested_cut(case)
        found.append(Finding("note", "homework_discussion_from", "not set: the whole transcript was checked, as a "
                             "trainee sees all of it",
                             "add `homework_discussion_from: N` at the top level of the case: N is the index, "
                             "counting from 0, of the first transcript turn of the homework discussion (usually the "
                             "therapist's first turn after the client's takeaway)"
                             + (f"; here probably {guess} (transcript[{guess}])" if guess is not None else "")
                             + ". Trainees then see only the turns before it"))
    for i in turns:
        turn = case.transcript[i]
        said = shingles(turn.text)
        for name in GIVEAWAY_FIELDS:
            for sentence in split_sentences(fields.get(name, "")):
                grams = shingles(sentence)
                if len(grams) >= 3 and len(grams & said) / len(grams) >= GIVEAWAY_SHARE:
                    found.append(Finding("warning", f"transcript[{i}]",
                                         f"gives away the reference plan's {name}: “{sentence[:80]}”",
                                         "set `homework_discussion_from` to this turn's index or earlier, or "
                                         "reword the plan"))
                    break
        rating = _stated_rating(turn.text) if turn.speaker.lower() != "therapist" else None
        if rating is not None and rating == case.key.reference_plan.confidence:
            found.append(Finding("warning", f"transcript[{i}]", f"gives away the confidence rating ({rating}/10)",
                                 "set `homework_discussion_from` to the index of the confidence question or earlier"))
    return found


def lint_risk_names(case: Vignette) -> list[Finding]:
    """How feedback names each risk, and a warning when that name is cut short (give the risk a `name`)."""
    from course.scoring.safety import risk_label

    found = []
    for i, risk in enumerate(case.risks):
        label = risk_label(risk)
        if risk.name:
            continue
        if label.endswith("…"):
            found.append(Finding("warning", f"risks[{i}]", f"feedback calls this risk {label!r} (its text's opening "
                                 "words, cut short)", "give it a short `name` as it should read in a sentence, "
                                 "e.g. name: \"thoughts of not waking up\""))
        else:
            found.append(Finding("note", f"risks[{i}]", f"feedback calls this risk {label!r} (its text's opening "
                                 "words)", "give it a `name` if that does not read well in a sentence"))
    return found


def lint(case: Vignette) -> list[Finding]:
    """Every lint finding for a case."""
    return (lint_cues(case) + lint_kind_defaults(case) + lint_unsafe(case) + lint_risk_names(case)
            + lint_giveaways(case))
