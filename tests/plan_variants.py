"""Build plan variants from a vignette's reference plan: damaged, gamed, or about another case.

Used by the tests and the benchmarks; every variant is made by a general transformation, never
written for one case.
"""

from __future__ import annotations

import re
from typing import Any

from course.language import read, split_sentences
from course.plans import Plan
from course.scoring.reading import NARRATIVE_FIELDS
from course.vignettes import Vignette


def reference(case: Vignette) -> Plan:
    """A fresh copy of the case's reference plan as typed text alone (without the conversation with the
    scripted client that the key also holds: the variants here test what the typed plan earns)."""
    return case.answer_key.reference_plan.model_copy(deep=True, update={"conversation": []})


def with_changes(plan: Plan, **changes: Any) -> Plan:
    """A validated copy of a plan with some fields replaced (`collaboration__client_words=...`)."""
    data = plan.model_dump()
    for key, value in changes.items():
        target = data
        *parents, last = key.split("__")
        for parent in parents:
            target = target[parent]
        target[last] = value
    return Plan.model_validate(data)


def _get(data: dict, dotted: str) -> str:
    target: Any = data
    for part in dotted.split("."):
        target = target[part]
    return target


def _set(data: dict, dotted: str, value: str) -> None:
    *parents, last = dotted.split(".")
    target: Any = data
    for part in parents:
        target = target[part]
    target[last] = value


def keyword_bag(plan: Plan) -> Plan:
    """Every prose field replaced by a comma list of its own content words."""
    data = plan.model_dump()
    for name in NARRATIVE_FIELDS:
        text = _get(data, name)
        words = [t for t, k in zip(read(text).tokens, read(text).keys, strict=False) if k]
        _set(data, name, ", ".join(dict.fromkeys(words)))
    for item in data["obstacles"]:
        words = [t for t, k in zip(read(item["if_then"]).tokens, read(item["if_then"]).keys, strict=False) if k]
        item["if_then"] = ", ".join(dict.fromkeys(words))
    return Plan.model_validate(data)


def answer_key_stuffing(plan: Plan, case: Vignette) -> Plan:
    """Every prose field replaced by the answer key's cue phrases, comma-separated."""
    cues = list(case.answer_key.mechanism_cues)
    for constraint in case.constraints:
        cues += constraint.addressed_by
    for obstacle in case.obstacles:
        cues += obstacle.cues
    for risk in case.risks:
        cues += risk.cues + risk.adjustments
    cues += [g.text for g in case.goals] + [case.takeaway.text]
    bag = ", ".join(dict.fromkeys(c.strip() for c in cues if c.strip()))
    data = plan.model_dump()
    for name in NARRATIVE_FIELDS:
        _set(data, name, bag[:9_000])
    for item in data["obstacles"]:
        item["if_then"] = bag[:9_000]
    return Plan.model_validate(data)


def vignette_copy(plan: Plan, case: Vignette) -> Plan:
    """Every prose field filled with sentences copied from the case description."""
    source = [case.presenting_problem, case.client.context]
    source += [turn.text for turn in case.transcript]
    source += [c.text for c in case.constraints] + [o.text for o in case.obstacles]
    sentences = [s for text in source for s in split_sentences(text) if len(s.split()) >= 6] or ["(none)"]
    data = plan.model_dump()
    for i, name in enumerate(NARRATIVE_FIELDS):
        _set(data, name, " ".join(sentences[(i + j) % len(sentences)] for j in range(2)))
    for i, item in enumerate(data["obstacles"]):
        item["if_then"] = sentences[(i + 3) % len(sentences)]
    return Plan.model_validate(data)


def one_sentence_everywhere(plan: Plan) -> Plan:
    """The rationale's first sentence pasted into every prose field."""
    sentence = split_sentences(plan.rationale)[0]
    data = plan.model_dump()
    for name in NARRATIVE_FIELDS:
        _set(data, name, sentence)
    for item in data["obstacles"]:
        item["if_then"] = sentence
    return Plan.model_validate(data)


def shuffled_sentences(plan: Plan) -> Plan:
    """A light mechanical rewording: sentence order reversed, letter case changed."""
    data = plan.model_dump()
    for name in NARRATIVE_FIELDS:
        sentences = split_sentences(_get(data, name))
        _set(data, name, " ".join(reversed(sentences)).lower())
    return Plan.model_validate(data)


def renamed(text: str, old: str, new: str) -> str:
    """Replace a person's name (whole words) in a text."""
    return re.sub(rf"\b{re.escape(old)}\b", new, text)


TEXT_FIELDS = (
    "goal_link", "takeaway_link", "task", "rationale", "collaboration.options_offered",
    "collaboration.client_choice", "collaboration.client_words", "when", "where", "frequency", "duration",
    "minimum_version", "hierarchy_step", "teach_back", "confidence_change", "framing_word", "framing", "format",
    "adaptations", "record", "review", "risk", "summary", "summary_format",
)


def _case_text(case: Vignette) -> list[str]:
    parts = [case.presenting_problem, case.client.context]
    parts += [turn.text for turn in case.transcript]
    parts += [c.text for c in case.constraints] + [o.text for o in case.obstacles] + [r.text for r in case.risks]
    return parts


def _fill_all(plan: Plan, case: Vignette, value) -> Plan:
    """Every text field (terse ones too) and every obstacle filled by `value(i)`; goal and takeaway pasted."""
    data = plan.model_dump()
    data["goal"], data["takeaway"] = case.goals[0].text, case.takeaway.text
    for i, name in enumerate(TEXT_FIELDS):
        _set(data, name, value(i))
    data["obstacles"] = [{"obstacle": value(90 + i), "if_then": value(95 + i)} for i in range(2)]
    return Plan.model_validate(data)


def keywords_around_goal(plan: Plan, case: Vignette) -> Plan:
    """Keyword lists of the case's cue words around the pasted goal and takeaway, in every field."""
    key = case.answer_key
    cues = list(key.mechanism_cues) + [c for o in case.obstacles for c in o.cues]
    cues += [p for c in case.constraints for p in c.addressed_by] + [c for r in case.risks for c in r.cues + r.adjustments]
    cues = list(dict.fromkeys(cues)) or ["practice"]
    anchors = [case.goals[0].text, case.takeaway.text]

    def value(i: int) -> str:
        picked = [cues[(i * 3 + j) % len(cues)] for j in range(6)]
        return f"{anchors[i % 2]}: " + ", ".join(picked)

    return _fill_all(plan, case, value)


def case_sentences_everywhere(plan: Plan, case: Vignette) -> Plan:
    """Sentences of the case (narrative, constraints, obstacles, transcript) pasted into every field."""
    sentences = [s for text in _case_text(case) for s in split_sentences(text) if len(s.split()) >= 5] or ["(none)"]
    return _fill_all(plan, case, lambda i: sentences[i % len(sentences)])


def random_case_words(plan: Plan, case: Vignette, seed: int = 1, count: int = 15) -> Plan:
    """Every field filled with `count` words drawn at random from the case's text."""
    import random

    rng = random.Random(seed)
    pool = [w for text in _case_text(case) for w in re.findall(r"[A-Za-z0-9']+", text)]
    return _fill_all(plan, case, lambda i: " ".join(rng.choice(pool) for _ in range(count)))
