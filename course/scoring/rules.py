"""One rule per checklist item: each reads the plan against the case and returns an Outcome.

Rules only judge; wording of feedback lives in `data/checklist.yaml` and is chosen by the
outcome code each rule returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from course.catalogue import adds_time, load_task_types
from course.language import (
    Words,
    coverage,
    excerpt,
    has_exact_phrase,
    has_phrase,
    jargon_in,
    lexicon,
    matching_phrases,
    may_hold_exact_phrase,
    read,
    surface_matches,
    weak_keys,
)
from course.scoring import timing
from course.scoring.reading import PlanReading, Sentence, name_parts
from course.scoring.safety import read_safety, risk_label, states_screen
from course.vignettes import Constraint, HierarchyStep, Person, Vignette, modality_label

Status = Literal["met", "partial", "missing"]
PARAPHRASE = 0.5
RESTATED = 0.5


@dataclass
class Outcome:
    """What a rule concluded: status, which feedback to give, the evidence, and template values."""

    status: Status
    code: str
    evidence: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


def quote(sentence: Sentence | None, note: str = "", limit: int = 90) -> str:
    """Evidence text: the field and an excerpt of the sentence, with a note."""
    if sentence is None:
        return note
    text = excerpt(sentence.text, limit)
    label = sentence.field.replace("collaboration.", "").replace(".", " ")
    return f'{label}: "{text}"' + (f" ({note})" if note else "")


def _words(name: str) -> tuple[str, ...]:
    return lexicon().words(name)


def _links(sentence: Sentence) -> bool:
    return bool(matching_phrases(_words("link_cues"), sentence.words, respect_negation=False))


def _task_keys(reading: PlanReading) -> frozenset[str]:
    keys = set(read(reading.text("task")).content)
    task_type = load_task_types().get(reading.plan.task_type)
    if task_type:
        keys |= read(task_type.name).content
    return frozenset(keys)


def _refers_to_task(sentence: Sentence, reading: PlanReading) -> bool:
    tokens = set(sentence.words.tokens)
    if tokens & {"this", "it", "task", "these", "practice", "experiment", "plan"}:
        return True
    return bool(sentence.words.content & _task_keys(reading))


def _first_person_or_quoted(text: str) -> bool:
    if re.search(r"[\"“”]|(^|\s)'[^']{3,}'", text):
        return True
    tokens = set(read(text).tokens)
    return bool(tokens & set(_words("first_person")))


def _client_names(case: Vignette) -> set[str]:
    """The parts of the client's name and of the others the case counts as the client (couples, families)."""
    return {p for n in [case.client.name, *case.client.others] for p in name_parts(n)}


def _mentions_case(reading: PlanReading, sentence_text: str) -> bool:
    """True if a text is tied to this client: their name, goals, takeaway or case specifics."""
    case = reading.vignette
    words = read(sentence_text)
    from course.scoring.reading import distinctive_keys, general_keys

    names = _client_names(case)
    named = names & set(words.tokens)
    others = {p for n in [*case.client.others, *(person.name for person in case.people)] for p in name_parts(n)}
    if others & set(words.tokens):  # someone in the client's life: the client's name alone may just address them
        return True
    if len((words.content & distinctive_keys(case)) | named) >= 2:
        return True
    general = general_keys()
    for text in [g.text for g in case.goals] + [case.takeaway.text]:
        specific = read(text).content - general
        if specific and coverage(" ".join(sorted(specific)), words) >= PARAPHRASE:
            return True
        if specific & words.content and coverage(text, words) >= RESTATED:  # the client's own words, restated
            return True
    return False


# -- goal_link --------------------------------------------------------------------------------
def goal_link(reading: PlanReading) -> Outcome:
    case = reading.vignette
    best_goal, best_score, best_sentence = None, 0.0, None
    for goal in case.goals:
        score, sentence = reading.best(goal.text, ["goal", "goal_link"])
        if score < PARAPHRASE:
            score, sentence = reading.best(goal.text)
        if score > best_score:
            best_goal, best_score, best_sentence = goal, score, sentence
    values = {"case_goal": case.goals[0].text}
    clinical = _clinical_goal(reading)
    if clinical is not None:
        return Outcome("partial", "clinical_terms", [quote(clinical, "goal in clinical terms")], values)
    if best_goal is not None and best_score >= PARAPHRASE:
        values["goal"] = best_goal.text
        evidence = [quote(best_sentence, "a goal of this case")]
        link = _goal_link_sentence(reading, best_goal.text)
        if link is not None:
            evidence.append(quote(link, "links the task to it"))
            return Outcome("met", "met", evidence, values)
        return Outcome("partial", "no_link", evidence, values)
    generic = reading.find(_words("generic_goals"), ["goal", "goal_link"])
    if generic:
        return Outcome("missing", "generic", [quote(generic[1], "a general aim")], values)
    return Outcome("missing", "missing", [], values)


_CLINICAL_REGISTER = re.compile(
    r"^\s*(reduce|reducing|increase|increasing|improve|improving|decrease|decreasing|enhance|enhancing|"
    r"build|develop|manage|managing|promote|promoting|target|targeting|lower|lowering|alleviate|"
    r"alleviating|minimi[sz]e|maximi[sz]e|establish|restore|restoring|regulate|normali[sz]e)\b",
    re.IGNORECASE,
)


def _clinical_goal(reading: PlanReading) -> Sentence | None:
    """The goal field names a case goal in clinical terms rather than the client's words."""
    case = reading.vignette
    for sentence in reading.valid(["goal"]):
        own = max(coverage(g.text, sentence.words) for g in case.goals)
        clinical = max((coverage(g.clinical, sentence.words) for g in case.goals if g.clinical), default=0.0)
        if clinical >= 0.5 and clinical > own:
            return sentence
        related = max(
            max(coverage(g.text, sentence.words), coverage(g.clinical, sentence.words) if g.clinical else 0.0)
            for g in case.goals
        )
        registered = _CLINICAL_REGISTER.search(sentence.text) or jargon_in(sentence.text)
        if registered and own < PARAPHRASE and (related >= 0.25 or len(sentence.words.content & _case_goal_keys(case)) >= 1):
            return sentence
    return None


def _case_goal_keys(case) -> frozenset[str]:
    from course.scoring.reading import general_keys

    keys: set[str] = set()
    for goal in case.goals:
        keys |= read(goal.text).content | read(goal.clinical).content
    return frozenset(keys - general_keys() - _generic_goal_keys())


@lru_cache(maxsize=1)
def _generic_goal_keys() -> frozenset[str]:
    return frozenset(k for g in _words("generic_goals") for k in read(g).content)


@lru_cache(maxsize=1)
def action_verb_keys() -> frozenset[str]:
    """Keys of the lexicon's action verbs (a task or summary should have one)."""
    return frozenset(read(v).keys[0] for v in _words("action_verbs") if read(v).keys and read(v).keys[0])


def _beyond_quote(reading: PlanReading, field_name: str, quote_text: str) -> list[Sentence]:
    """Sentences of the goal or takeaway field that say more than the quote itself (a link written there)."""
    quote_words = read(quote_text)
    quoted = len(quote_words.tokens)
    return [s for s in reading.valid([field_name])
            if coverage(s.text, quote_words) < 0.8 or len(s.words) > quoted + 4]  # a piece of the quote is no link


def _goal_link_sentence(reading: PlanReading, goal_text: str) -> Sentence | None:
    for sentence in reading.valid(["goal_link"]) + _beyond_quote(reading, "goal", goal_text):
        if len(sentence.words) >= 5 and _links(sentence) and _refers_to_task(sentence, reading):
            return sentence
    for sentence in reading.valid():
        if sentence.field == "goal":
            continue
        if coverage(goal_text, sentence.words) >= 0.4 and len(sentence.words) >= 7 and _links(sentence):
            return sentence
    return None


# -- session_link -----------------------------------------------------------------------------
def session_link(reading: PlanReading) -> Outcome:
    case = reading.vignette
    values = {"case_takeaway": case.takeaway.text}
    therapist_voice = next(((hit, s) for s in reading.valid(["takeaway"]) for hit in _therapist_voice(s, case)), None)
    if therapist_voice:  # the takeaway field speaks for the therapist: other fields cannot rescue it
        score, sentence = reading.best(case.takeaway.text, ["takeaway"])
    else:
        score, sentence = reading.best(case.takeaway.text, ["takeaway", "takeaway_link"])
        if score < PARAPHRASE:
            score, sentence = reading.best(case.takeaway.text)
        told = reading.valid(["takeaway"])
        if score < PARAPHRASE and told and coverage(case.takeaway.text, reading.words("takeaway")) >= PARAPHRASE:
            score, sentence = PARAPHRASE, told[0]  # a takeaway quoted whole, split at its semicolons
    if score >= PARAPHRASE and not therapist_voice:
        values["takeaway"] = case.takeaway.text
        evidence = [quote(sentence, "the client's takeaway")]
        link = _takeaway_link_sentence(reading, case.takeaway.text)
        if link is not None:
            evidence.append(quote(link, "builds on it"))
            return Outcome("met", "met", evidence, values)
        return Outcome("partial", "no_link", evidence, values)
    if therapist_voice:
        said = therapist_voice[1]
        told = reading.words("takeaway")
        about_moment = coverage(case.takeaway.text, told) >= 0.25 or (
            case.takeaway.therapist_view and coverage(case.takeaway.therapist_view, told) >= 0.4
        )
        if about_moment and len(told) >= 7:
            return Outcome("partial", "therapist_view", [quote(said, "told from the therapist's side")], values)
        return Outcome("missing", "missing", [quote(said, "a topic, not a takeaway")], values)
    return Outcome("missing", "missing", [], values)


_THERAPIST_ACTS_ON = re.compile(
    r"\b(i|we)\s+(?!felt|noticed|realised|realized|learned|learnt|found|saw|understood|think|thought|remembered|"
    r"recalled|pictured|imagined|missed|miss)"
    r"\w+\s+(?:\w+\s+)?(her|him|them|his|their|the client|the couple|the family|the parents)\b",
    re.IGNORECASE,
)


_THERAPIST_SUBJECT = re.compile(r"\b(?:the|this)\s+(?:therapist|trainee|clinician)\b|^\s*(?:therapist|trainee|clinician)\b",
                                re.IGNORECASE)
# A therapist's note with no subject: "Showed her that...", "Went through his diary with him".
_SUBJECTLESS_ACT = re.compile(r"^\s*(?:\w+ed|showed|taught|led|went|gave|drew|made|had|got|took|brought|told|saw)\b"
                              r"(?=.*\b(?:her|him|them|his|their|the client)\b)", re.IGNORECASE)
_SUBJECTLESS_ON_CLIENT = re.compile(r"^\s*(?:\w+ed|showed|taught|led|went|gave|drew|made|had|got|took|brought|told|saw)"
                                    r"(?:\s+\w+){0,2}?\s+(?:her|him|them|his|their|the client)\b", re.IGNORECASE)
_QUOTED_SPAN = re.compile(r"[\"“][^\"”]*[\"”]")
_CLIENT_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|my|me)\b", re.IGNORECASE)


def _therapist_voice(sentence: Sentence, case: Vignette) -> list[str]:
    """Signs that a takeaway is told from the therapist's side: the lexicon's therapist phrases, the
    therapist acting on the client ("I showed her", "the therapist pointed out", "Showed him that..."),
    or the case's own therapist-side account of the moment restated. Words inside quotation marks are the
    client's own and are not read for these signs."""
    text = _QUOTED_SPAN.sub(" ", sentence.text)
    hits = surface_matches(_words("therapist_view"), text)
    for pattern in (_THERAPIST_ACTS_ON, _THERAPIST_SUBJECT):
        match = pattern.search(text)
        if match:
            hits.append(match.group(0))
    match = _SUBJECTLESS_ON_CLIENT.search(text) or (None if _CLIENT_FIRST_PERSON.search(text) else _SUBJECTLESS_ACT.search(text))
    if match:
        hits.append(match.group(0))
    view = case.takeaway.therapist_view
    if view and coverage(view, sentence.words) >= PARAPHRASE > coverage(case.takeaway.text, sentence.words):
        hits.append("the therapist's account of the moment")
    return hits


def _takeaway_link_sentence(reading: PlanReading, takeaway: str) -> Sentence | None:
    for sentence in reading.valid(["takeaway_link"]) + _beyond_quote(reading, "takeaway", takeaway):
        if len(sentence.words) >= 5 and _links(sentence) and _refers_to_task(sentence, reading):
            return sentence
    for sentence in reading.valid():
        if sentence.field == "takeaway":
            continue
        if coverage(takeaway, sentence.words) >= 0.4 and len(sentence.words) >= 7 and _links(sentence):
            return sentence
    return None


# -- rationale --------------------------------------------------------------------------------
RATIONALE_FIELDS = ["rationale", "goal_link", "takeaway_link"]


def rationale(reading: PlanReading) -> Outcome:
    case = reading.vignette
    values = {
        "name": case.client.name,
        "mechanism_hint": _mechanism_hint(reading),
    }
    sentences = reading.valid(["rationale"]) or reading.valid(RATIONALE_FIELDS)
    if not sentences:
        return Outcome("missing", "missing", [], values)
    text = " ".join(s.text for s in sentences)
    words = read(text)
    groups = _mechanism_groups(reading, words)
    case_cues = matching_phrases(case.key.mechanism_cues, words, respect_negation=False)
    case_cover = coverage(case.key.mechanism, words)
    cycle = surface_matches(_words("maintenance_cues"), text)  # what keeps it going, in plain words
    mechanism = (len(groups) >= 2 or (case_cues and groups) or len(case_cues) >= 2 or case_cover >= 0.35
                 or len(cycle) >= 2 or (cycle and (groups or case_cues or case_cover >= 0.2)))
    personal = _mentions_case(reading, text) or _names_client_cycle(reading, words, case_cues)
    jargon = [j for j in jargon_in(text) if j not in _words("generic_rationale")]  # "evidence-based" is no reason, not jargon
    heavy_jargon = len(jargon) >= 2 or (jargon and len(words) <= 15)
    evidence = [quote(sentences[0], "rationale")]
    if mechanism:
        evidence.append("names the mechanism: " + ", ".join(sorted({*case_cues, *groups, *cycle}))[:120])
    if personal:
        evidence.append("tied to this client's situation")
    if jargon:
        values["jargon"] = ", ".join(jargon)
    if mechanism and personal and not heavy_jargon:
        return Outcome("met", "met", evidence, values)
    if mechanism and heavy_jargon:
        return Outcome("partial", "jargon", evidence, values)
    if mechanism:
        return Outcome("partial", "generic", evidence, values)
    if heavy_jargon and personal:
        return Outcome("partial", "jargon", evidence, values)
    generic = matching_phrases(_words("generic_rationale"), words, respect_negation=False)
    if personal and len(words) >= 8 and any(_links(s) for s in sentences) and not (generic and len(words) < 15):
        return Outcome("partial", "no_mechanism", evidence, values)
    return Outcome("missing", "missing", evidence if generic else [], values)


def _names_client_cycle(reading: PlanReading, words, case_cues: list[str]) -> bool:
    """True if a rationale names the client and their own cycle as the case describes it: two of the case's
    mechanism cues, or one of two content words or more ("lie on his bed")."""
    if not _client_names(reading.vignette) & set(words.tokens):
        return False
    return len(case_cues) >= 2 or any(len(read(cue).content) >= 2 for cue in case_cues)


def _mechanism_groups(reading: PlanReading, words) -> list[str]:
    types = load_task_types()
    ids = [reading.plan.task_type, *reading.vignette.key.task_types]
    found: list[str] = []
    seen: set[str] = set()
    for task_id in ids:
        task_type = types.get(task_id)
        if task_type is None or task_id in seen:
            continue
        seen.add(task_id)
        hits = []
        for group in task_type.mechanism_cues:
            hit = matching_phrases(group, words, respect_negation=False)
            if hit:
                hits.append(hit[0])
        if len(hits) > len(found):
            found = hits
    return found


def _mechanism_hint(reading: PlanReading) -> str:
    cues = reading.vignette.key.mechanism_cues
    if cues:
        return " / ".join(cues[:2])
    task_type = load_task_types().get(reading.vignette.key.task_types[0])
    return task_type.mechanism.split(";")[0].lower() if task_type else "what keeps the problem going"


# -- collaboration ----------------------------------------------------------------------------
def collaboration(reading: PlanReading) -> Outcome:
    evidence: list[str] = []
    options = _options(reading)
    choice = _choice(reading)
    words = _client_words(reading)
    parts = {"the options offered": options, "the client's choice or change": choice, "the client's own words": words}
    for label, sentence in parts.items():
        if sentence is not None:
            evidence.append(quote(sentence, label))
    lacking = [label for label, sentence in parts.items() if sentence is None]
    values = {"lacking": " and ".join(lacking)}
    if not lacking:
        return Outcome("met", "met", evidence, values)
    if len(lacking) == 1 and (choice is not None or words is not None):
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def _options(reading: PlanReading) -> Sentence | None:
    offered = reading.valid(["collaboration.options_offered"])
    if len(offered) >= 2 and all(len(s.words) >= 2 for s in offered):  # options listed one per line or after ";"
        return offered[0]
    for sentence in offered:
        tokens = sentence.words.tokens
        if len(tokens) >= 3 and (
            "or" in tokens
            or surface_matches(_words("options_cues"), sentence.text)
            or sentence.text.count(",") >= 1
        ):
            return sentence
    for sentence in reading.valid():
        if surface_matches(["offered", "options", "choice between", "either"], sentence.text) and " or " in f" {sentence.text.lower()} ":
            return sentence
    return None


def _choice(reading: PlanReading) -> Sentence | None:
    bare = _words("bare_agreement")
    for sentence in reading.valid(["collaboration.client_choice"]):
        cues = surface_matches(_words("choice_cues"), sentence.text)
        if cues and not (surface_matches(bare, sentence.text) and len(sentence.words.content) <= 3):
            return sentence
    for sentence in reading.valid():
        if sentence.field.startswith("collaboration.options"):
            continue
        if surface_matches(["chose", "picked", "preferred", "decided", "changed it", "swapped", "her idea", "his idea", "came up with", "asked to", "asked for", "took", "went for", "went with", "opted"], sentence.text):
            return sentence
    return None


def _client_words(reading: PlanReading) -> Sentence | None:
    for sentence in reading.valid(["collaboration.client_words", "collaboration.client_choice"]):
        if len(sentence.words) >= 3 and _first_person_or_quoted(sentence.text):
            if surface_matches(_words("bare_agreement"), sentence.text) and not re.search(r"[\"“”]", sentence.text):
                continue
            return sentence
    return None


# -- specificity ------------------------------------------------------------------------------
ELEMENT_NAMES = {"action": "what exactly", "when": "when", "where": "where", "frequency": "how often", "duration": "how long"}


def specificity(reading: PlanReading) -> Outcome:
    elements = _specific_elements(reading)
    evidence = [f"{ELEMENT_NAMES[k]}: {v}" for k, v in elements.items() if v]
    lacking = [ELEMENT_NAMES[k] for k, v in elements.items() if not v]
    values = {"lacking": ", ".join(lacking)}
    have = 5 - len(lacking)
    if have == 5:
        return Outcome("met", "met", evidence, values)
    if have >= 3:
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def _specific_elements(reading: PlanReading) -> dict[str, str]:
    task = reading.text("task")
    fallback = " ".join([task, reading.text("summary")])
    verbs = action_verb_keys()
    action = ""
    task_words = reading.words("task").content
    for sentence in reading.valid(["task"]):
        modal = re.search(r"\b(will|to|I'll|she'll|he'll|they'll)\s+[a-z]+", sentence.text)
        said = sentence.words.content
        if ((said & verbs or modal) and len(said) >= 2) or len(task_words) >= 6:
            action = sentence.text[:60]
            break
    when = reading.text("when")
    when = when if timing.has_time_or_trigger(when) else ""
    if not when and timing.has_time_or_trigger(task) and (timing.clock_minutes(task) or timing.days_named(task)):
        when = "(in the task)"
    where = reading.text("where")
    where = where if where and not timing.is_vague(where, "vague_where", by_part=True) and read(where).content else ""
    frequency = reading.text("frequency")
    frequency = frequency if timing.has_frequency(frequency) else ""
    if not frequency and timing.has_frequency(fallback) and re.search(r"\b(daily|every|each|twice|times)\b", fallback.lower()):
        frequency = "(in the task)"
    duration = reading.text("duration")
    duration = duration if timing.has_duration(duration) else ""
    if not duration and timing.duration_minutes(task) is not None:
        duration = "(in the task)"
    return {"action": action, "when": when[:50], "where": where[:50], "frequency": frequency[:50], "duration": duration[:50]}


# -- doable_dose ------------------------------------------------------------------------------
def doable_dose(reading: PlanReading) -> Outcome:
    key = reading.vignette.key
    evidence, lacking, fixes = [], [], []
    minutes = timing.duration_minutes(reading.text("duration")) or timing.duration_minutes(reading.text("task"))
    per_day = timing.times_per_day(reading.text("frequency"))
    if minutes is None:
        pass  # a missing duration is charged to `specificity`, not here (one flaw, one item)
    elif not adds_time(reading.plan.task_type):
        name = load_task_types()[reading.plan.task_type].name.lower()
        evidence.append(f"time demand: part of the client's day already ({name}), not extra time")
    elif key.max_minutes_per_day and minutes * per_day > key.max_minutes_per_day:
        lacking.append(f"about {minutes * per_day:.0f} minutes a day is more than this client's week allows (about {key.max_minutes_per_day})")
        fixes.append(f"a smaller daily dose (up to about {key.max_minutes_per_day} minutes)")
    else:
        evidence.append(f"time demand: about {minutes * per_day:.0f} minutes a day")
    minimum = _minimum_version(reading)
    if minimum is None:
        lacking.append("there is no minimum version for a bad day")
        fixes.append("a minimum version for a bad day")
    else:
        evidence.append(quote(minimum, "minimum version"))
    values = {"step_note": "", "step_fix": ""}
    ladder = reading.vignette.exposure_hierarchy
    if step_required(reading.vignette, reading.plan.task_type):
        step = _hierarchy_step(reading)
        values["step_fix"] = " and name the hierarchy step"
        on_ladder = _ladder_step(reading, step) if ladder and step is not None else None
        if step is None:
            lacking.append("no step of the hierarchy is named")
            fixes.append("which hierarchy step this is")
        elif ladder and on_ladder is None:
            lacking.append("the step named is not one of the hierarchy built in session")
            fixes.append("a step from this client's hierarchy (" + "; ".join(_step_label(s) for s in ladder[:3]) + ")")
        elif ladder and key.suitable_steps and on_ladder.id not in key.suitable_steps:
            suits = [s for s in ladder if s.id in key.suitable_steps]
            lacking.append(f"{_step_label(on_ladder)} is not a step for this week")
            fixes.append("a step that suits this week (" + "; ".join(_step_label(s) for s in suits) + ")")
        else:
            evidence.append(quote(step, "hierarchy step" + (f": {_step_label(on_ladder)}" if on_ladder else "")))
            values["step_note"] = " and a named hierarchy step"
    values["lacking"] = "; ".join(lacking)
    values["lacking_fix"] = " and ".join(fixes)
    if not evidence:
        values["lacking"] = "no time demand, minimum version or step is given"
        return Outcome("missing", "missing", evidence, values)
    if not lacking:
        return Outcome("met", "met", evidence, values)
    if len(lacking) == 1:
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


_NO_MINIMUM = re.compile(
    r"^\W*(?:none|nil|n/?a|nothing|not (?:needed|applicable|this time)|no (?:minimum|smaller|lesser|reduced|backup|bad[- ]day)"
    r"|there (?:is|will be) no|there isn't)\b", re.IGNORECASE)


def _minimum_version(reading: PlanReading) -> Sentence | None:
    task_text = reading.text("task")
    if _NO_MINIMUM.match(reading.text("minimum_version")):  # "None; the rules only work if followed every night."
        return None
    for sentence in reading.valid(["minimum_version"]):
        if len(sentence.words.content) >= 2 and coverage(sentence.text, task_text) < 0.95:
            return sentence
    for sentence in reading.valid():
        if surface_matches(["bad day", "minimum", "low day", "tough day", "hard day", "smallest version", "backup"], sentence.text) and len(sentence.words.content) >= 3:
            return sentence
    return None


def step_required(case: Vignette, task_type: str) -> bool:
    """True if a plan of this task type must name a hierarchy step for this case.

    Only a case that calls for a hierarchy (`needs_hierarchy: true` or an `exposure_hierarchy`) asks for a
    step, and only of an exposure-type plan: one whose task type the catalogue marks `needs_hierarchy`. A
    plan whose task type is another catalogue type that the case lists in `answer_key.task_types` (a letter,
    activity scheduling) needs none. A plan with no task type, an unknown one, or another type the case
    does not list is held to the case's hierarchy."""
    if not (case.key.needs_hierarchy or case.exposure_hierarchy):
        return False
    chosen = load_task_types().get(task_type)
    if chosen is None or chosen.needs_hierarchy:
        return True
    return task_type not in case.key.task_types


def _ladder_step(reading: PlanReading, step: Sentence) -> HierarchyStep | None:
    """Which step of the case's exposure hierarchy a plan names: in the step it names (else in the task),
    by the step's cues, else by most of its words. When the text names more than one step by their cues
    (not negated), the highest is taken: the one with the highest SUDS (when every one named has SUDS),
    else the later one in the list ("the bench, after a few minutes at the gate" names the bench)."""
    ladder = reading.vignette.exposure_hierarchy
    for named in (" ".join([reading.text("hierarchy_step"), step.text]), reading.text("task")):
        words = read(named)
        cued = [(i, rung) for i, rung in enumerate(ladder) if matching_phrases(rung.cues, words)]
        if cued:
            with_suds = all(rung.suds is not None for _, rung in cued)
            return max(cued, key=lambda pair: (pair[1].suds if with_suds else 0, pair[0]))[1]
        score, best = max(((coverage(rung.text, words), i) for i, rung in enumerate(ladder)), default=(0.0, -1))
        if score >= PARAPHRASE:
            return ladder[best]
    return None


def _step_label(step: HierarchyStep) -> str:
    return f"“{step.text}”" + (f" (SUDS {step.suds})" if step.suds is not None else "")


def _hierarchy_step(reading: PlanReading) -> Sentence | None:
    for sentence in reading.valid(["hierarchy_step"]):
        if len(sentence.words.content) >= 2:
            return sentence
    for sentence in reading.valid():
        if surface_matches(["hierarchy", "ladder", "suds", "rung", "out of 100", "/100"], sentence.text) or re.search(r"\bstep\s+\d", sentence.text.lower()):
            return sentence
    return None


# -- obstacles --------------------------------------------------------------------------------
def obstacles(reading: PlanReading) -> Outcome:
    case = reading.vignette
    values = {"case_obstacle": quoted(case.obstacles[0].text)}
    listed = []
    for i, item in enumerate(reading.plan.obstacles):
        name = reading.valid([f"obstacles.{i}.obstacle"])
        plan = reading.valid([f"obstacles.{i}.if_then"])
        name_text = " ".join(s.text for s in name)
        if not name_text and not plan:
            continue
        matched = _case_obstacle(reading, name_text or " ".join(s.text for s in plan))
        concrete = any(_concrete_response(s) for s in plan)
        listed.append((name_text or item.obstacle, matched, concrete, plan[0] if plan else None))
    listed += _obstacles_elsewhere(reading, bool(listed))
    if not listed:
        return Outcome("missing", "missing", [], values)
    evidence = [
        f"obstacle: {quoted(name, 60)}" + (f" (this case: {matched})" if matched else " (generic)")
        + ("; concrete if-then" if concrete else "; no concrete if-then")
        for name, matched, concrete, _ in listed
    ]
    case_concrete = [x for x in listed if x[1] and x[2]]
    all_concrete = all(x[2] for x in listed)
    values["obstacle_names"] = ", ".join(quoted(x[0], 45) for x in listed if x[1]) or "obstacles"
    vague = [x[0] for x in listed if not x[2]]
    values["vague"] = ", ".join(quoted(v, 45) for v in vague) or "an obstacle"
    if case_concrete and all_concrete:
        return Outcome("met", "met", evidence, values)
    if any(x[1] for x in listed):
        return Outcome("partial", "vague_response", evidence, values)
    if any(x[2] for x in listed):
        return Outcome("partial", "generic_obstacle", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def _case_obstacle(reading: PlanReading, text: str) -> str:
    case = reading.vignette
    words = read(text)
    for obstacle in case.obstacles:
        if coverage(obstacle.text, words) >= PARAPHRASE or matching_phrases(obstacle.cues, words, respect_negation=False):
            return obstacle.id
    for constraint in case.constraints:
        if coverage(constraint.text, words) >= 0.6:
            return constraint.id
    for risk in case.risks:
        if matching_phrases(risk.cues, words, respect_negation=False):
            return risk_label(risk)
    return ""


def _concrete_response(sentence: Sentence) -> bool:
    """True if an if-then response says what the client will actually do: a concrete step, not a
    resolve ("push through", "try harder") and not a bare restatement."""
    if len(sentence.words) < 4:
        return False
    content = set(sentence.words.content) - weak_keys()
    vague = matching_phrases(_words("vague_responses"), sentence.words, respect_negation=False)
    if vague:
        content -= read(" ".join(vague)).content
        return len(content) >= 3
    return len(content) >= 2 or bool(re.search(r"\d", sentence.text))


def _obstacles_elsewhere(reading: PlanReading, have_list: bool) -> list[tuple[str, str, bool, Sentence]]:
    if have_list:
        return []
    found = []
    for sentence in reading.valid(["task", "minimum_version", "adaptations", "framing", "summary", "risk"]):
        lowered = sentence.text.lower()
        if not re.search(r"\bif\b.+(\bthen\b|\b(i|she|he|they|we|you)\s*(will|'ll|can)\b)", lowered):
            continue
        matched = _case_obstacle(reading, sentence.text)
        if matched and _concrete_response(sentence):
            found.append((sentence.text, matched, True, sentence))
            break
    return found


# -- commitment_check -------------------------------------------------------------------------
def commitment_check(reading: PlanReading) -> Outcome:
    plan = reading.plan
    teach = None
    told = [s for s in reading.valid(["teach_back"]) if not _reported(s.text, reading)]  # "Kim agreed." is no teach-back
    if sum(len(s.words) for s in told) >= 4:
        teach = next((s for s in told if _first_person_or_quoted(s.text)), told[0])
    rating = plan.confidence
    if rating is None:
        rating = _stated_rating(" ".join(s.text for s in reading.valid()))
    evidence = []
    if teach:
        evidence.append(quote(teach, "teach-back in the client's words"))
    ratings = person_ratings(reading, rating)
    unrated = [name for name, value in ratings.items() if value is None]
    if len(ratings) > 1:
        given = [value for value in ratings.values() if value is not None]
        rating = min(given) if given else None  # the least confident person decides whether the task changes
        evidence += [f"{name}'s confidence: {value}/10" for name, value in ratings.items() if value is not None]
    elif rating is not None:
        evidence.append(f"confidence: {rating}/10")
    values = {"confidence": str(rating) if rating is not None else "?"}
    if rating is not None and rating < 7:
        change = [
            s for s in reading.valid(["confidence_change"])
            if len(s.words.content) >= 2
        ]
        if not change:
            return Outcome("partial", "low_unchanged", evidence, values)
        evidence.append(quote(change[0], "what was changed"))
    if teach and rating is not None and not unrated:
        return Outcome("met", "met", evidence, values)
    if teach or rating is not None:
        lacking = [] if teach else ["a teach-back in the client's own words"]
        if rating is None:
            lacking.append("a confidence rating (0-10)")
        elif unrated:
            lacking.append(f"{_join(unrated)}'s own confidence rating (0-10)")
        values["lacking"] = " and ".join(lacking)
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def person_ratings(reading: PlanReading, client_rating: int | None) -> dict[str, int | None]:
    """Each rater's 0-10 confidence (None when not given), for a case whose `people` rate their own:
    from the plan's `confidences`, else from the text ("Alex: 6/10", "Kim rated it 8 out of 10").
    The plan's single `confidence` counts as the client's. One entry, the client's, otherwise."""
    case = reading.vignette
    raters = [case.client.name] + [p.name for p in case.people if p.rates_confidence]
    if len(raters) == 1:
        return {case.client.name: client_rating}
    given = {name.strip().lower(): value for name, value in reading.plan.confidences.items()}
    text = " ".join(s.text for s in reading.valid())
    ratings: dict[str, int | None] = {}
    for name in raters:
        first = name.split()[0].lower()
        value = given.get(name.lower(), given.get(first))
        if value is None:
            value = _rating_after_name(text, name.split()[0])
        if value is None and name == case.client.name:
            value = client_rating
        ratings[name] = value
    return ratings


def _rating_after_name(text: str, name: str) -> int | None:
    """A 0-10 rating written soon after a person's name ("Alex: 6/10", "Alex rated it six out of ten")."""
    for match in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
        after = re.split(r"[.;]", text[match.end(): match.end() + 50])[0]
        bare = re.match(r"\W{0,3}(10|[0-9])\b(?!\s*(?:min|hour|am|pm|:))", after)
        rating = _stated_rating(after) if bare is None else int(bare.group(1))
        if rating is not None:
            return rating
    return None


_REPORTED = re.compile(
    r"^\s*(?:the\s+client|client|(?:she|he|they)|{name})\s+(?:\w+\s+)?(?:understood|understands|repeated|repeats|"
    r"said\s+it\s+back|explained|explains|summarised|summarized|was\s+able|could|agreed|knows|confirmed|got\s+it|"
    r"said\s+(?:that\s+)?(?:she|he|they)\s+(?:understood|would|will|could|got|knew))\b",
    re.IGNORECASE,
)
_RATING_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}


def _reported(text: str, reading: PlanReading) -> bool:
    """True if a teach-back is the therapist's report ("client understood", "she repeated it back"),
    not the client's own words. The client's words need no quotation marks or first person."""
    name = re.escape(reading.vignette.client.name.split()[0])
    return bool(re.search(_REPORTED.pattern.replace("{name}", name), text, re.IGNORECASE))


def _stated_rating(text: str) -> int | None:
    """A 0-10 confidence rating written in the plan's text ("7/10", "eight out of ten", "I'd say eight")."""
    number = r"(10|[0-9]|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
    match = re.search(rf"\b{number}\s*(?:/|out\s+of)\s*(?:10|ten)\b", text, re.IGNORECASE) or re.search(
        rf"\b(?:i'd|i\s+would|i'll)\s+(?:say|give\s+it|put\s+it\s+at)\s+(?:a\s+|an\s+|about\s+)?{number}\b", text, re.IGNORECASE)
    if not match:
        return None
    value = match.group(1).lower()
    return int(value) if value.isdigit() else _RATING_WORDS[value]


# -- written_summary --------------------------------------------------------------------------
def written_summary(reading: PlanReading) -> Outcome:
    case = reading.vignette
    needs = case.key.summary_access.needs()
    values = {"access_fix": f", in a form the client can use ({_needs_text(needs, ', ')})" if needs else ""}
    sentences = reading.valid(["summary"])
    if not sentences:
        values["faults"] = "there is no client-facing summary"
        return Outcome("missing", "missing", [], values)
    text = " ".join(s.text for s in sentences)
    words = read(text)
    faults, fixes, evidence = [], [], [quote(sentences[0], "summary")]
    # As first written, any function word satisfied the verb test (a stopword verb's key is None), so in
    # practice a summary of six or more content words counts as naming a task. Kept as graded so far.
    has_verb = None in words.keys or bool(words.content & action_verb_keys())
    if not (len(words.content & _task_keys(reading)) >= 2 or (has_verb and len(words.content) >= 6)):
        faults.append("it does not say what the task is")
        fixes.append("say what the task is")
    if not timing.has_time_or_trigger(text, frequency_counts=False):
        faults.append("it does not say when")
        fixes.append("say when (a day and time or a trigger)")
    # reason words are matched as written: "to stop" in "stop if it hurts" is no reason
    why_at = [i for i, s in enumerate(sentences) if surface_matches(_words("why_cues"), s.text)
              or (coverage(case.takeaway.text, s.words) >= PARAPHRASE and _PAST.search(s.text))]
    # recalling what they noticed ("you noticed on Wednesday that ...") is a reason
    if not why_at:
        faults.append("it does not say why")
        fixes.append("add why it helps this client")
    elif not any(_personal_reason(reading, sentences, i) for i in why_at):
        faults.append("the why is generic")
        fixes.append("tie the why to the client's own goal or what they noticed")
    jargon = jargon_in(text)
    third = surface_matches(_words("third_person_client"), text)
    if jargon or third:
        faults.append("it uses clinical language" + (f" ({', '.join(jargon + third)})" if jargon or third else ""))
        fixes.append("use everyday words, written to the client")
    if needs:
        where = " ".join([reading.text("summary_format"), reading.text("format"), reading.text("adaptations"), text])
        hits = [matching_phrases(need, where) for need in needs]
        unmet = [need for need, hit in zip(needs, hits, strict=True) if not hit]
        if unmet:
            faults.append(f"it is not in a form this client can use ({_needs_text(unmet)})")
            fixes.append(f"give it as {_needs_text(unmet)}")
        else:
            evidence.append("accessible form: " + ", ".join(hit[0] for hit in hits))
    values["faults"] = "; ".join(faults)
    values["fix"] = "; ".join(fixes)
    if not faults:
        return Outcome("met", "met", evidence, values)
    if len(faults) == 1:
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def _needs_text(needs: list[tuple[str, ...]], alternatives: str = " or ") -> str:
    """Summary-access needs in words: alternatives within a need, "and" between needs."""
    return " and ".join(alternatives.join(need) if len(needs) == 1 else "/".join(need) for need in needs)


_RECALLS_SESSION = re.compile(
    r"\b(you|we|it|this|that|your \w+(?: \w+)?) (noticed|found|saw|said|told me|felt|discovered|learned|learnt|"
    r"realised|realized|showed|proved|helped|worked)\b"
    r"|\b(today|in session|last week|this session),? you\b|\b(helped|worked|showed) (today|in session|last week)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(r"\b(this|that|it) (tests|checks|shows|builds on|tries)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(\w{3,}ed|made|felt|was|were|did|went|saw|took|had|said|told|found|got|came|gave|thought|knew)\b",
                   re.IGNORECASE)


def _personal_reason(reading: PlanReading, sentences: list[Sentence], index: int) -> bool:
    """A reason is personal if its own sentence is tied to the client or names this client's own cycle,
    or if it points back ("this tests that") to a sentence before it that is tied to the client."""
    sentence = sentences[index]
    if _mentions_case(reading, sentence.text) or _RECALLS_SESSION.search(sentence.text):
        return True
    following = sentences[index + 1].text if index + 1 < len(sentences) else ""  # a reason split at ";"
    cues = matching_phrases(reading.vignette.key.mechanism_cues, f"{sentence.text} {following}", respect_negation=False)
    if len(cues) >= 2:  # this client's own cycle, in plain words
        return True
    if index == 0 or not _POINTS_BACK.search(sentence.text):
        return False
    previous = sentences[index - 1].text
    return _mentions_case(reading, previous) or bool(_RECALLS_SESSION.search(previous))


# -- review_plan ------------------------------------------------------------------------------
def review_plan(reading: PlanReading) -> Outcome:
    record = None
    for sentence in reading.valid(["record"]):
        if len(sentence.words.content) >= 2:
            record = sentence
            break
    if record is None:
        found = reading.find(["bring", "write down", "record", "note", "rate"], ["review", "summary", "task"])
        record = found[1] if found else None
    early = None
    for sentence in reading.valid(["review", "record", "summary", "framing"]):
        if surface_matches(_words("review_early_cues"), sentence.text) or (
                sentence.field == "review" and re.search(r"\b(first|start|begin|opening)\b", sentence.text, re.I)):
            early = sentence
            break
    later = next((s for s in reading.valid(["review"]) if re.search(r"\bnext\s+(session|time|week|appointment)\b",
                                                                     s.text, re.I)), None)
    evidence = [quote(s, note) for s, note in ((record, "what to record or bring"), (early, "reviewed early next session")) if s]
    lacking = []
    if record is None:
        lacking.append("what the client will record or bring")
    if early is None:
        lacking.append("that it is reviewed at the start of next session")
    values = {"lacking": " and ".join(lacking)}
    if not lacking:
        return Outcome("met", "met", evidence, values)
    if len(lacking) == 1 or later is not None:  # reviewed next session, if not first, is half the plan
        if later is not None and early is None:
            evidence.append(quote(later, "reviewed next session, not said to be early"))
        return Outcome("partial", "partial", evidence, values)
    return Outcome("missing", "missing", evidence, values)


# -- framing ----------------------------------------------------------------------------------
def framing(reading: PlanReading) -> Outcome:
    word_text = reading.text("framing_word")
    framing_text = reading.text("framing")
    school = surface_matches(_words("school_words"), _unquoted(word_text))  # "he said 'homework' felt like school" names the word he rejected
    own_word = surface_matches(_words("client_word_cues"), " ".join([framing_text, word_text])) or _POSSESSIVE_WORD.findall(
        " ".join([framing_text, word_text]))
    values = {"word": word_text or "practice"}
    word_ok = bool(word_text) and (not school or own_word)
    if not word_text:
        nonschool = surface_matches(_words("nonschool_words"), framing_text)
        word_ok = bool(nonschool) and not surface_matches(_words("school_words"), framing_text)
        values["word"] = nonschool[0] if nonschool else "practice"
    client_facing = " ".join([framing_text, reading.text("summary"), reading.text("task")])
    must = _must_language(client_facing)
    outcome_sentence = None
    for sentence in reading.valid(["framing", "summary"]):
        if surface_matches(_words("any_outcome_cues"), sentence.text):
            outcome_sentence = sentence
            break
    evidence = []
    if word_ok:
        evidence.append(f'word: "{values["word"]}"' + (" (the client's choice)" if own_word else ""))
    if outcome_sentence is not None:
        evidence.append(quote(outcome_sentence, "any outcome is useful"))
    if must:
        evidence.append("must-complete language: " + ", ".join(must))
        values["must"] = ", ".join(f'"{m}"' for m in must)
        outcome_sentence = None
    if word_ok and outcome_sentence is not None:
        return Outcome("met", "met", evidence, values)
    if word_ok or outcome_sentence is not None:
        values["lacking"] = (
            "nothing says that any outcome, done or not, is useful" if word_ok else "the task is still called homework"
            if school else "there is no non-school word for the task"
        )
        values["lacking_fix"] = (
            "a sentence saying that whatever happens, done or not, you will learn something from it"
            if word_ok else "a word such as practice or experiment, or the client's own word"
        )
        return Outcome("partial", "partial", evidence, values)
    if must:
        return Outcome("missing", "must_complete", evidence, values)
    return Outcome("missing", "missing", evidence, values)


def _must_language(text: str) -> list[str]:
    """Must-complete phrases in a text, leaving out negated ones: "you don't have to finish it" frees the
    client, it does not oblige them."""
    found = []
    for cue in surface_matches(_words("must_cues"), text):
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in read(cue).tokens) + r"\b"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            before = re.findall(r"[a-z']+", re.split(r"[,;:.!?]", text[: match.start()])[-1].lower().replace("’", "'"))[-2:]
            if not set(before) & set(lexicon().negators):
                found.append(cue)
                break
    return found


_POSSESSIVE_WORD = re.compile(r"\b[^\W\d_a-z]\w+(?:'s|’s)\s+(?:own\s+)?(?:word|choice|name|term|idea)\b")


def _unquoted(text: str) -> str:
    """A text without what it quotes."""
    return re.sub(r"[\"“'‘][^\"“”'’]*[\"”'’]", " ", text)


# -- fit --------------------------------------------------------------------------------------
FIT_FIELDS = ["format", "adaptations", "summary_format"]
PLAN_FIELDS_FOR_BREAKS = ["task", "when", "where", "format", "record", "summary_format", "adaptations", "minimum_version"]


def fit(reading: PlanReading) -> Outcome:
    case = reading.vignette
    all_words = reading.words()
    fit_words = reading.words(*FIT_FIELDS)
    when = " ".join([reading.text("when") or reading.text("task"), reading.text("frequency")])
    addressed, unaddressed, problems, hard = [], [], [], []
    evidence = []
    constraints = [c for c in case.constraints if applies(c, all_words)]
    break_words = reading.words(*PLAN_FIELDS_FOR_BREAKS)
    for constraint in constraints:
        breaks = [
            b for b in constraint.breaks
            if may_hold_exact_phrase(b, break_words)
            and any(has_exact_phrase(b, s.words) for s in reading.valid(PLAN_FIELDS_FOR_BREAKS))
        ]
        clash = timing.conflicts_with(reading.text("when") or reading.text("task"), constraint.unavailable)
        clash = clash or timing.rota_conflict(when, constraint.rota)
        if clash:
            breaks.append(f"a time when the client is unavailable ({clash})")
        if breaks:
            (hard if constraint.hard or clash else problems).append(
                (f"it goes against {quoted(constraint.text)} (the plan uses {breaks[0]})", quoted(constraint.text)))
            evidence.append(f"goes against: {constraint.id} ({breaks[0]})")
            continue
        if not constraint.key:
            continue
        hits = matching_phrases(constraint.addressed_by, all_words) or matching_phrases(
            kind_defaults(case, constraint).usable, fit_words
        ) or _rota_named(when, constraint)
        if hits:
            addressed.append(quoted(constraint.text))
            evidence.append(f"addresses {constraint.id}: {hits[0]}")
        else:
            unaddressed.append(quoted(constraint.text))
    for person, clash in _people_unavailable(reading, when):
        hard.append((f"it sets a time when {person.name} cannot take part ({clash})",
                     f"a time {person.name} can make"))
        evidence.append(f"goes against {person.name}'s availability ({clash})")
    avoid = [
        a for a in case.key.modality_avoid
        if any(has_exact_phrase(a, s.words) for s in reading.valid(["task", "record", "format", "summary_format"]))
    ]
    if avoid:
        modality = modality_label(case.modality)
        problems.append((f"“{avoid[0]}” does not suit {modality} work", f"{modality} work (no {avoid[0]})"))
        evidence.append(f"does not suit the modality: {avoid[0]}")
    values = {
        "addressed": "; ".join(addressed) or "its constraints",
        "unaddressed": "; ".join(unaddressed) or "the case's constraints",
        "problems": "; ".join([said for said, _ in hard + problems] + [f"it does not address {u}" for u in unaddressed]),
        "problems_fix": "; ".join([fix for _, fix in hard + problems] + unaddressed),
    }
    if hard:
        return Outcome("missing", "breaks_hard", evidence, values)
    key_count = sum(1 for c in constraints if c.key)
    if key_count and not addressed:
        return Outcome("missing", "missing", evidence, values)
    if unaddressed or problems:
        return Outcome("partial", "partial", evidence, values)
    return Outcome("met", "met", evidence, values)


def applies(constraint: Constraint, plan_words: Words) -> bool:
    """True if a constraint counts for this plan: always, unless it names people or activities in
    `applies_when` and the plan involves none of them (a negated mention, "without Samira", is none)."""
    return not constraint.applies_when or bool(matching_phrases(constraint.applies_when, plan_words))


@dataclass(frozen=True)
class KindDefaults:
    """The lexicon's default phrases for a constraint's kind: those that count, those left out because
    the case contradicts them (with where), and those the author switched off for this constraint."""

    usable: tuple[str, ...]
    contradicted: tuple[tuple[str, str], ...]
    switched_off: tuple[str, ...] = ()


def kind_defaults(case: Vignette, constraint: Constraint) -> KindDefaults:
    """The kind defaults that count as addressing a constraint in this case.

    None count when the constraint says `defaults: false`, and none of those it lists in
    `defaults_not_counted`. Nor does a default the case itself holds against the plan: one that names a
    risk (its text or cues: "alone" for a client for whom being alone is the risk) or that a
    constraint's `breaks` list names."""
    defaults = lexicon().constraint_defaults.get(constraint.kind, ())
    if not constraint.defaults:
        return KindDefaults((), (), tuple(defaults))
    not_counted = {_surface(p) for p in constraint.defaults_not_counted}
    against = [(f"risks.{r.id}", t) for r in case.risks for t in [r.text, *r.cues]]
    against += [(f"constraints.{c.id}.breaks", b) for c in case.constraints for b in c.breaks]
    usable, contradicted, switched_off = [], [], []
    for phrase in defaults:
        where = next((field for field, text in against if has_phrase(phrase, text)), None)
        if _surface(phrase) in not_counted:
            switched_off.append(phrase)
        elif where is None:
            usable.append(phrase)
        else:
            contradicted.append((phrase, where))
    return KindDefaults(tuple(usable), tuple(contradicted), tuple(switched_off))


def _surface(phrase: str) -> str:
    """A phrase as written, for comparing list entries: lower case, single spaces."""
    return " ".join(phrase.lower().split())


def _rota_named(when: str, constraint: Constraint) -> list[str]:
    """A rota's phases the plan names for the task: planning around the rota addresses it."""
    if constraint.rota is None:
        return []
    named, _ = timing.rota_phases_named(when, constraint.rota)
    return [f"plans around the rota ({', '.join(p.name for p in named)})"] if named else []


_JOINT = re.compile(r"\b(together|both of (?:us|them|you)|the two of|each of (?:us|them|you)|as a (?:family|couple)|"
                    r"the (?:whole )?family|the couple|both)\b", re.IGNORECASE)


def _people_unavailable(reading: PlanReading, when: str) -> list[tuple[Person, str]]:
    """The people taking part (named in the plan, or all of them for a joint task) whose own hours or
    rota the plan's time clashes with."""
    case = reading.vignette
    text = " ".join(s.text for s in reading.valid())
    tokens = set(read(text).tokens)
    joint = bool(_JOINT.search(text))
    clashes = []
    for person in case.people:
        named = bool(name_parts(person.name) & tokens)
        if not (named or joint):
            continue
        clash = timing.conflicts_with(reading.text("when") or reading.text("task"), person.unavailable)
        clash = clash or timing.rota_conflict(when, person.rota)
        if clash:
            clashes.append((person, clash))
    return clashes


def quoted(text: str, limit: int = 70) -> str:
    """A case or plan text as a quotation to fill a feedback slot: its first sentence, cut at a word
    boundary, in quotation marks, so the feedback reads as a sentence whatever the text says."""
    from course.language import split_sentences

    first = (split_sentences(text) or [text.strip()])[0].strip().rstrip(".;:,")
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{first}”"


# -- safety -----------------------------------------------------------------------------------
def safety(reading: PlanReading) -> Outcome:
    case = reading.vignette
    found = read_safety(reading)
    labels = [risk_label(r) for r in case.risks]
    values = {
        "risk_note": "",
        "risk_names": _join(labels),
        "adjust_hint": ", ".join(case.risks[0].adjustments[:2]) if case.risks and case.risks[0].adjustments
        else "a stop rule, timing chosen around the risk, or a check-in",
        "missing_hint": (
            "Name each risk in this case and how the task is adjusted for it."
            if case.risks else "Record that you screened for risk and found none (and what you asked about)."
        ),
    }
    if found.unsafe:
        values["unsafe"] = "; ".join(what for what, _ in found.unsafe[:2])
        return Outcome("missing", "unsafe", [quote(s, "unsafe") for _, s in found.unsafe[:2]], values)
    if not case.risks:
        if found.invented is not None:
            return Outcome("missing", "invented", [quote(found.invented, "a risk this case's screen did not find")], values)
        if found.judgement is not None:
            values["risk_note"] = " (screened, none identified)"
            return Outcome("met", "met", [quote(found.judgement, "risk judgement")], values)
        risk_sentences = reading.valid(["risk"])
        return Outcome("missing", "missing", [quote(risk_sentences[0], "not a risk judgement")] if risk_sentences else [], values)
    evidence = list(found.evidence)
    risk_sentences = reading.valid(["risk"])
    if found.says_none:  # "no concerns" where the screen found a risk is a wrong judgement, whatever else the plan does
        return Outcome("missing", "wrong_none", [quote(risk_sentences[0], "does not match this case")], values)
    if len(found.handled) == len(case.risks):
        values["risk_note"] = f" ({len(found.handled)} risk{'s' if len(found.handled) > 1 else ''} named and adjusted)"
        return Outcome("met", "met", evidence, values)
    if found.named:
        values["lacking"] = "not named or not adjusted: " + _join([risk_label(r) for r in found.unaddressed(case)])
        return Outcome("partial", "partial", evidence, values)
    if found.judgement is not None and states_screen(reading.text("risk")):
        return Outcome("missing", "wrong_none", [quote(risk_sentences[0], "does not match this case")], values)
    return Outcome("missing", "missing", [quote(risk_sentences[0], "names none of this case's risks")] if risk_sentences else [], values)


def _join(labels: list[str]) -> str:
    """Labels joined as English: "a", "a and b", "a, b and c"."""
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


RULES: dict[str, Callable[[PlanReading], Outcome]] = {
    "goal_link": goal_link,
    "session_link": session_link,
    "rationale": rationale,
    "collaboration": collaboration,
    "specificity": specificity,
    "doable_dose": doable_dose,
    "obstacles": obstacles,
    "commitment_check": commitment_check,
    "written_summary": written_summary,
    "review_plan": review_plan,
    "framing": framing,
    "fit": fit,
    "safety": safety,
}
