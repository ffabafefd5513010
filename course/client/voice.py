"""The schema of a client's voice: what a case's scripted client says, written as data.

An instructor writes a voice in the case's YAML under `voice:` (docs/writing-a-vignette.md explains
how). Every line is in the client's own words; a line may name who says it (couples, families)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Spoken(_Strict):
    """A line and who says it (one of the voice's speakers)."""

    speaker: str = Field(..., description="Who says it: the client's name or one of client.others.")
    text: str = Field(..., min_length=1)


Line = str | Spoken | list[Spoken]
"""A line: plain text (said by the first speaker), or one or more lines each with its speaker."""


class OptionVoice(_Strict):
    """How the client answers when the trainee offers an option like this one."""

    id: str = Field(..., pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    cues: list[str] = Field(..., min_length=1, description="Words or phrases that name the option (any one).")
    accepts: bool = Field(True, description="False for an option the client turns down (the line says why).")
    says: Line = Field(..., description="What the client says when it is offered (choosing it, or turning it down).")
    says_back: Line = Field(
        "", description="How the client names the option in a teach-back (accepted options), e.g. 'dishes after lunch'."
    )


class Disclosures(_Strict):
    """What the client tells when asked (each optional; a default line is used otherwise)."""

    when: Line = Field("", description="Asked when and where would suit: the times and places that work.")
    name: Line = Field("", description="Asked what to call the task: the client's word and why.")
    name_word: str = Field("", description="The word the client chooses for the task (e.g. try-out).")
    smaller: Line = Field("", description="Asked about a bad day: the smallest version that would still count.")
    smaller_back: str = Field("", description="The smaller version as the client says it back.")
    why: Line = Field("", description="The reason for the task as the client says it back, once it was explained.")
    risk: Line = Field("", description="Asked about risk: an answer in line with the case's risk screen.")


class Voice(_Strict):
    """The scripted client's voice for one case."""

    speakers: list[str] = Field(
        default_factory=list, description="Who answers, in order (couples, families); empty means the client alone."
    )
    options: list[OptionVoice] = Field(
        default_factory=list, description="Options the client warms to or turns down, in order of preference."
    )
    constraints: dict[str, Line] = Field(
        default_factory=dict, description="Per constraint id: the line when an option or time goes against it."
    )
    obstacles: dict[str, Line] = Field(
        default_factory=dict, description="Per obstacle id: the line that raises it when asked what might get in the way."
    )
    risks: dict[str, Line] = Field(
        default_factory=dict, description="Per risk id: what the task must take into account, in the client's words."
    )
    disclosures: Disclosures = Field(default_factory=Disclosures)
    confidence: int = Field(8, ge=0, le=10, description="The rating for a plan that fits and is not too big.")
    revised_confidence: int = Field(
        7, ge=0, le=10, description="The rating after a revision that meets what made the client unsure."
    )
    revise_cues: list[str] = Field(
        default_factory=list,
        description="Words a revision would use to meet the client's own doubt (when `confidence` is below 7).",
    )
    why_cues: list[str] = Field(
        default_factory=list,
        description="Words of a personal rationale the client recognises (added to the answer key's mechanism cues).",
    )
    lines: dict[str, Line] = Field(
        default_factory=dict,
        description="Overrides of the default lines in data/client_lines.yaml, by name (e.g. too_big, low_confidence).",
    )


def voice_problems(case: Any) -> list[str]:
    """What in a case's voice does not fit the case (unknown ids or speakers); empty when it fits."""
    voice: Voice | None = case.voice
    problems = []
    cut = case.homework_discussion_from
    if cut is not None and cut >= len(case.transcript):
        problems.append(f"homework_discussion_from: {cut} is past the last turn ({len(case.transcript) - 1})")
    if voice is None:
        return problems
    known = {
        "constraints": {c.id for c in case.constraints},
        "obstacles": {o.id for o in case.obstacles},
        "risks": {r.id for r in case.risks},
    }
    for section, ids in known.items():
        for key in getattr(voice, section):
            if key not in ids:
                problems.append(f"voice.{section}.{key}: no {section[:-1]} with this id (known: {', '.join(sorted(ids)) or 'none'})")
    people = {case.client.name, *case.client.others}
    first_names = {p.split()[0] for p in people} | people
    speakers = set(voice.speakers)
    for name in speakers - first_names:
        problems.append(f"voice.speakers: {name!r} is not the client or one of client.others")
    for where, spoken in _all_spoken(voice):
        if spoken.speaker not in (speakers or first_names):
            problems.append(f"{where}: speaker {spoken.speaker!r} is not one of voice.speakers")
    return problems


def _all_spoken(voice: Voice):
    def walk(where: str, line: Any):
        if isinstance(line, Spoken):
            yield where, line
        elif isinstance(line, list):
            for item in line:
                yield where, item

    for option in voice.options:
        yield from walk(f"voice.options.{option.id}.says", option.says)
        yield from walk(f"voice.options.{option.id}.says_back", option.says_back)
    for section in ("constraints", "obstacles", "risks", "lines"):
        for key, line in getattr(voice, section).items():
            yield from walk(f"voice.{section}.{key}", line)
    for name in Disclosures.model_fields:
        yield from walk(f"voice.disclosures.{name}", getattr(voice.disclosures, name))
