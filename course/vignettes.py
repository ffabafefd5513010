"""Invented clinical cases: the schema, the library on disk, and lookup by id."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from course.client.voice import Voice, voice_problems
from course.datafiles import DATA_DIR, read_yaml
from course.plans import Plan, upgrade_plan_data
from course.reviews import ReviewScript

VIGNETTE_DIR = DATA_DIR / "vignettes"
VIGNETTE_SCHEMA_VERSION = 2

Modality = Literal[
    "cbt",
    "behavioural_activation",
    "exposure",
    "erp",
    "prolonged_exposure",
    "emotion_focused",
    "psychodynamic",
    "couples",
    "family",
    "substance_use",
    "chronic_pain",
    "case_management",
    "trauma_stabilisation",
    "dbt",
    "act",
    "group",
    "cbt_psychosis",
    "cbt_insomnia",
    "eating_disorder",
]
MODALITY_LABELS: dict[str, str] = {
    "cbt": "CBT",
    "erp": "exposure and response prevention",
    "dbt": "DBT",
    "act": "ACT (acceptance and commitment therapy)",
    "group": "group",
    "cbt_psychosis": "CBT for psychosis",
    "cbt_insomnia": "CBT for insomnia",
    "eating_disorder": "eating-disorder",
}


def modality_label(modality: str) -> str:
    """A modality id in words, for sentences such as "does not suit CBT for insomnia work"."""
    return MODALITY_LABELS.get(modality, modality.replace("_", " "))
Delivery = Literal["in_person", "video", "telephone"]
ConstraintKind = Literal[
    "schedule",
    "literacy",
    "language",
    "technology",
    "family",
    "money",
    "privacy",
    "memory",
    "sensory",
    "culture",
    "health",
    "housing",
    "preference",
    "modality",
    "social",
    "format",
    "other",
]
ObstacleKind = Literal["environment", "client", "task", "therapist"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Client(_Strict):
    """Who the invented client is."""

    name: str = Field(..., description="The name used in the case (invented).")
    age: int = Field(..., ge=3, le=110)
    pronouns: str = Field("they/them", description="e.g. she/her")
    context: str = Field(..., description="Life context in two or three sentences.")
    others: list[str] = Field(
        default_factory=list,
        description="Names of other people in the case (partner, parent, child) as they appear in the text.",
    )

    @property
    def subject_pronoun(self) -> str:
        """The first of the client's pronouns, lower case ("she" for "she/her")."""
        return (self.pronouns or "").split("/")[0].strip().lower()

    @property
    def possessive(self) -> str:
        """The client's possessive ("her" for she/her, "his" for he/him, "their"; else the second pronoun)."""
        second = (self.pronouns or "").partition("/")[2].strip().lower()
        return {"she": "her", "he": "his", "they": "their"}.get(self.subject_pronoun, second or "their")


class Goal(_Strict):
    """A goal in the client's own words."""

    id: str
    text: str = Field(..., description="The goal in the client's own words.")
    clinical: str = Field(
        "", description="How a clinician might rewrite it in clinical terms (earns only partial credit)."
    )


class Turn(_Strict):
    """One turn of the session's key moment."""

    speaker: str = Field(..., description="therapist, client, or another named person.")
    text: str
    behaviours: list[str] = Field(
        default_factory=list, description="Checklist ids this therapist turn shows (for spotting exercises)."
    )


class Takeaway(_Strict):
    """What the client took from the session."""

    text: str = Field(..., description="In the client's own words.")
    therapist_view: str = Field(
        "", description="The same moment told from the therapist's side (earns only partial credit)."
    )


class TimeWindow(_Strict):
    """Hours in which the client cannot do the task (asleep, at work, caring)."""

    days: list[Day] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    start: str = Field(..., description="HH:MM, 24-hour clock")
    end: str = Field(..., description="HH:MM, 24-hour clock; may be earlier than start (overnight)")
    reason: str = ""

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError("expected a 24-hour time such as 08:30")
        return value


class RotaPhase(_Strict):
    """One stretch of a rotating rota (e.g. a block of night shifts, a recovery day, days off)."""

    name: str = Field(..., description="What the client calls it, e.g. night block, recovery day, days off.")
    days: int = Field(..., ge=1, le=28, description="How many days in a row it lasts.")
    cues: list[str] = Field(
        default_factory=list,
        description="Words a plan uses to name this phase (e.g. 'days off', 'off days'); the name always counts.",
    )
    unavailable: list[TimeWindow] = Field(
        default_factory=list, description="Hours of each day in this phase when the client cannot do the task."
    )
    whole_day: bool = Field(False, description="True if the client can do nothing at all on these days.")


class Rota(_Strict):
    """A rotating rota: phases that repeat in a cycle, not tied to weekdays."""

    text: str = Field("", description="The rota in plain words, e.g. 'four nights on, a recovery day, three off'.")
    phases: list[RotaPhase] = Field(..., min_length=2)


class Constraint(_Strict):
    """Something in the client's life the plan has to fit."""

    id: str
    kind: ConstraintKind
    text: str
    key: bool = Field(True, description="True if a plan must address it to earn `fit`.")
    addressed_by: list[str] = Field(
        default_factory=list, description="Phrases any one of which, in a plan, counts as addressing it."
    )
    breaks: list[str] = Field(
        default_factory=list, description="Phrases that go against it when a plan uses them (not negated)."
    )
    hard: bool = Field(
        False, description="True if breaking it is something the client cannot work around (makes `fit` missing)."
    )
    unavailable: list[TimeWindow] = Field(
        default_factory=list, description="Hours when the client cannot do the task."
    )
    rota: Rota | None = Field(None, description="A rotating rota (night blocks, a recovery day) besides `unavailable`.")
    applies_when: list[str] = Field(
        default_factory=list,
        description="Names of people or activities: the constraint counts only for a plan that involves one of them "
        "(empty: it always counts).",
    )
    defaults: bool = Field(
        True,
        description="False: the lexicon's default phrases for this constraint's kind do not count as addressing it; "
        "only `addressed_by` (and a named rota phase) does.",
    )
    defaults_not_counted: list[str] = Field(
        default_factory=list,
        description="Default phrases of this constraint's kind that do not count as addressing it here (e.g. 'after "
        "work' for a client who does not work). Unlike `breaks`, a plan that uses one loses nothing.",
    )


class Person(_Strict):
    """Someone else who takes part in the task (a partner, a parent, a child) and answers for themselves."""

    name: str = Field(..., description="As the case text names them.")
    role: str = Field("", description="e.g. partner, mother, son")
    rates_confidence: bool = Field(True, description="True if the plan needs this person's own 0-10 confidence.")
    unavailable: list[TimeWindow] = Field(default_factory=list, description="Hours when this person cannot take part.")
    rota: Rota | None = Field(None, description="This person's rotating rota, if they have one.")


class HierarchyStep(_Strict):
    """One step of an exposure hierarchy built in session, from least to most feared."""

    id: str
    text: str = Field(..., description="The situation, as agreed with the client.")
    suds: int | None = Field(None, ge=0, le=100, description="Expected distress, 0-100.")
    cues: list[str] = Field(default_factory=list, description="Words a plan uses to name this step.")


class Obstacle(_Strict):
    """A realistic obstacle for this client."""

    id: str
    kind: ObstacleKind
    text: str
    cues: list[str] = Field(default_factory=list, description="Words or phrases that name it in a plan.")


class Risk(_Strict):
    """A risk the plan must take into account."""

    id: str
    name: str = Field(
        "", description="A short human name for the risk, used in feedback (e.g. 'thoughts of being with Ulla'). "
        "Empty: the opening words of `text` (before a colon, semicolon, comma, full stop or bracket) if they are "
        "one to six words, else the id with its hyphens as spaces.",
    )
    text: str
    cues: list[str] = Field(default_factory=list, description="Words or phrases that name the risk.")
    adjustments: list[str] = Field(
        default_factory=list, description="Phrases any one of which counts as an adjustment for it."
    )


class RiskScreen(_Strict):
    """The risk screen behind the case's risk judgement, as the trainee reads it."""

    asked: str = Field(..., description="What the therapist asked about or checked (e.g. suicidal thoughts, self-harm).")
    found: str = Field(..., description="What was found, in plain words; 'none identified' is a finding too.")


class ReviewCase(_Strict):
    """For did-not-do-it cases: the task that was set and what happened."""

    assigned_task: str
    what_happened: str
    client_words: str
    partial_attempt: str = Field("", description="What the client did manage, if anything.")
    barriers: list[str] = Field(default_factory=list, description="Cue words for what got in the way.")
    reference_script: ReviewScript


class SummaryAccess(_Strict):
    """Forms the written summary must take to be usable: all of `all_of`, and one of `any_of`."""

    all_of: list[str | list[str]] = Field(
        default_factory=list,
        description="Each entry is needed (e.g. Spanish AND audio); an entry that is a list is met by any one of its phrases.",
    )
    any_of: list[str] = Field(default_factory=list, description="At least one of these is needed (if any are listed).")

    def __bool__(self) -> bool:
        return bool(self.all_of or self.any_of)

    def needs(self) -> list[tuple[str, ...]]:
        """What the summary needs, each need as the phrases any one of which meets it."""
        needs = [(entry,) if isinstance(entry, str) else tuple(entry) for entry in self.all_of]
        return needs + ([tuple(self.any_of)] if self.any_of else [])


class SpottingLabel(_Strict):
    """The checklist behaviours one therapist turn shows (grader-only, for exam cases)."""

    turn: int = Field(..., ge=0, description="Index of the turn in the transcript (0 = first turn).")
    behaviours: list[str] = Field(..., min_length=1)


class AnswerKey(_Strict):
    """What a full-marks plan does for this case."""

    task_types: list[str] = Field(..., min_length=1, description="Catalogue ids that suit this case.")
    mechanism: str = Field(..., description="In plain words: what keeps the problem going and how the task acts on it.")
    mechanism_cues: list[str] = Field(
        default_factory=list, description="Words a personal rationale for this case would use."
    )
    needs_hierarchy: bool = Field(
        False, description="True when the task is exposure, ERP or an experiment dropping a safety behaviour."
    )
    max_minutes_per_day: int | None = Field(
        None, ge=1, description="The most time a day the client's life allows for the task."
    )
    summary_access: SummaryAccess = Field(
        default_factory=SummaryAccess,
        description="Forms the written summary must take to be usable, e.g. Spanish AND audio, or audio OR pictures.",
    )
    suitable_steps: list[str] = Field(
        default_factory=list,
        description="Ids of `exposure_hierarchy` steps that suit this week's task (empty: any step of the hierarchy).",
    )
    spotting: list[SpottingLabel] = Field(
        default_factory=list,
        description="Spotting labels kept from the trainee (exam cases): the behaviours each therapist turn shows.",
    )
    modality_avoid: list[str] = Field(
        default_factory=list, description="Materials that do not suit this modality (e.g. worksheet)."
    )
    unsafe: list[str] = Field(
        default_factory=list, description="Instructions that would be unsafe in this case."
    )
    notes: str = Field("", description="For the instructor: what a strong plan does and common mistakes.")
    reference_plan: Plan


class Vignette(_Strict):
    """An invented teaching case with its answer key."""

    schema_version: Literal[2] = VIGNETTE_SCHEMA_VERSION
    id: str = Field(..., pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    use: Literal["practice", "exam"] = "practice"
    client: Client
    presenting_problem: str
    modality: Modality
    delivery: Delivery = "in_person"
    language: str = "English"
    interpreter: bool = False
    country: str | None = Field(
        None,
        pattern=r"^[A-Z]{2}$",
        description="Where the case is set (ISO 3166-1 alpha-2, e.g. GB, US, AU). Informational only: no code reads "
        "it yet (crisis services and wording do not follow it); write the country's crisis numbers into the "
        "risk screen, risk adjustments and reference plan yourself.",
    )
    goals: list[Goal] = Field(..., min_length=1, max_length=4)
    transcript: list[Turn] = Field(..., min_length=2)
    homework_discussion_from: int | None = Field(
        None, ge=1, description="Index of the first transcript turn of the homework discussion. The plan form and "
        "`python -m course case` show only the turns before it; the full transcript stays for spotting and grading.",
    )
    takeaway: Takeaway
    constraints: list[Constraint] = Field(default_factory=list)
    people: list[Person] = Field(
        default_factory=list,
        description="Couples and families: the others who take part, each with their own confidence and availability.",
    )
    exposure_hierarchy: list[HierarchyStep] = Field(
        default_factory=list, description="The hierarchy built in session, least feared first (exposure cases)."
    )
    obstacles: list[Obstacle] = Field(..., min_length=1)
    risk_screen: RiskScreen | None = Field(
        None, description="What the risk screen asked and found; shown to the trainee with the case."
    )
    risks: list[Risk] = Field(
        default_factory=list, description="The risks the screen found; empty means none identified."
    )
    review_case: ReviewCase | None = None
    voice: Voice | None = Field(None, description="The scripted client's voice (course/client/voice.py).")
    answer_key: AnswerKey | None = Field(
        None, description="Required for practice cases; an exam case published to trainees leaves it out."
    )
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def cache(self) -> dict[str, Any]:
        """Derived data the grader computes once per case (not part of the schema)."""
        return self.__pydantic_private__["_cache"]  # as self._cache, without pydantic's slower lookup

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade_vignette_data(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _labels_and_steps_point_at_this_case(self) -> Vignette:
        if self.use == "exam" and any(turn.behaviours for turn in self.transcript):
            raise ValueError("an exam case keeps its spotting labels in answer_key.spotting, where trainees do not "
                             "see them: move each turn's behaviours there")
        if self.answer_key is not None:
            for label in self.answer_key.spotting:
                if label.turn >= len(self.transcript):
                    raise ValueError(f"answer_key.spotting: turn {label.turn} is past the end of the transcript "
                                     f"(turns are numbered from 0 to {len(self.transcript) - 1})")
            steps = {step.id for step in self.exposure_hierarchy}
            unknown = [s for s in self.answer_key.suitable_steps if s not in steps]
            if unknown:
                raise ValueError(f"answer_key.suitable_steps: {', '.join(unknown)} not in exposure_hierarchy "
                                 f"(known: {', '.join(sorted(steps)) or 'none'})")
        return self

    @model_validator(mode="after")
    def _key_is_complete_and_for_this_case(self) -> Vignette:
        if self.answer_key is None:
            if self.use != "exam":
                raise ValueError("answer_key is required (only an exam case may leave it out)")
            return self
        ref = self.answer_key.reference_plan
        if ref.vignette_id and ref.vignette_id != self.id:
            raise ValueError(f"answer_key.reference_plan.vignette_id is {ref.vignette_id!r}, expected {self.id!r}")
        for risk in self.risks:
            if not risk.cues or not risk.adjustments:
                raise ValueError(f"risks.{risk.id}: a case with an answer key needs cues and adjustments for every risk")
        return self

    @model_validator(mode="after")
    def _voice_fits_case(self) -> Vignette:
        problems = voice_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def spotting_labels(self) -> dict[int, tuple[str, ...]]:
        """The behaviours each labelled turn shows: from the turns, and from the key's grader-only labels."""
        labels: dict[int, list[str]] = {}
        for index, turn in enumerate(self.transcript):
            if turn.behaviours:
                labels.setdefault(index, []).extend(turn.behaviours)
        for label in self.answer_key.spotting if self.answer_key else []:
            labels.setdefault(label.turn, []).extend(b for b in label.behaviours if b not in labels.get(label.turn, []))
        return {index: tuple(ids) for index, ids in sorted(labels.items())}

    @property
    def key(self) -> AnswerKey:
        """The answer key; a clear error if this copy of the case does not carry one."""
        if self.answer_key is None:
            raise VignetteError(
                f"case {self.id!r} has no answer key here (an exam case): it can be graded only by the instructor's tests"
            )
        return self.answer_key

    def with_key(self, answer_key: dict | AnswerKey, **grader_data: object) -> Vignette:
        """This case with an answer key (and any grader-only fields, e.g. cue lists) added."""
        data = self.model_dump()
        data.update(grader_data)
        data["answer_key"] = answer_key if isinstance(answer_key, dict) else answer_key.model_dump()
        return Vignette.model_validate(data)


class VignetteError(ValueError):
    """A vignette could not be found or read."""


def upgrade_vignette_data(data: dict[str, Any]) -> dict[str, Any]:
    """Vignette data written for an earlier schema version, as the current version (a new dict).

    Version 1 -> 2: `answer_key.summary_access` was a list of which any one would do; it becomes
    `{any_of: [...]}`, and the reference plan is upgraded as a plan. Everything else in a version-1
    case means the same in version 2. A plain list under `summary_access` is read as `any_of` in any
    version (an exam key written in the old form still loads beside a newer case file). Data of
    another version is left alone for validation to name."""
    version = data.get("schema_version")
    upgraded = {**data, "schema_version": 2} if version == 1 else dict(data)
    key = data.get("answer_key")
    if isinstance(key, dict):
        key = dict(key)
        if isinstance(key.get("summary_access"), list):
            access = key["summary_access"]
            key["summary_access"] = {"any_of": list(access)} if access else {}
        if version == 1 and isinstance(key.get("reference_plan"), dict):
            key["reference_plan"] = upgrade_plan_data(key["reference_plan"])
        upgraded["answer_key"] = key
    return upgraded


def vignette_from_data(data: object, source: str) -> Vignette:
    """Validate parsed data as a Vignette, naming every problem with its field path."""
    try:
        return Vignette.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors()
        ]
        raise VignetteError(f"{source}: " + "; ".join(problems)) from None


def load_vignette_file(path: str | Path) -> Vignette:
    """Load one vignette from a YAML or JSON file."""
    path = Path(path)
    return vignette_from_data(read_yaml(path), str(path))


@lru_cache(maxsize=1)
def _library() -> dict[str, Vignette]:
    cases: dict[str, Vignette] = {}
    for path in sorted(VIGNETTE_DIR.glob("*.yaml")):
        case = load_vignette_file(path)
        if case.id in cases:
            raise VignetteError(f"{path}: id {case.id!r} is used by another vignette")
        cases[case.id] = case
    return cases


def all_vignettes() -> list[Vignette]:
    """Every vignette shipped with the course, in file-name order."""
    return list(_library().values())


def vignette_ids() -> list[str]:
    """The ids of the shipped vignettes."""
    return list(_library())


def get_vignette(id_or_path: str) -> Vignette:
    """A shipped vignette by id, or a vignette file by path; unknown ids list the known ones."""
    cases = _library()
    if id_or_path in cases:
        return cases[id_or_path]
    path = Path(id_or_path)
    if path.suffix in {".yaml", ".yml", ".json"} and path.exists():
        return load_vignette_file(path)
    raise VignetteError(
        f"unknown vignette {id_or_path!r}; known ids: {', '.join(cases)} (or give the path of a vignette file)"
    )
