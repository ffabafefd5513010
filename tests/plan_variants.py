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
    """A fresh copy of the case's reference plan."""
    return case.answer_key.reference_plan.model_copy(deep=True)


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
