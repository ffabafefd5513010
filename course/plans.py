"""The homework plan a trainee drafts: model, loading with clear errors, atomic saving."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PLAN_SCHEMA_VERSION = 2
"""2 added `confidences` (each person's own rating, for couples and families); a version-1 plan is
upgraded when it is read (see `upgrade_plan_data`), so trainees' saved answers keep working."""
MAX_TEXT = 10_000
"""The longest text any plan field may hold, in characters."""

Text = Annotated[str, Field(max_length=MAX_TEXT)]
Rating = Annotated[int, Field(ge=0, le=10)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Collaboration(_Strict):
    """How the client was involved in designing the task."""

    options_offered: Text = Field("", description="The options the therapist offered.")
    client_choice: Text = Field(
        "", description="What the client chose, changed or added, and how."
    )
    client_words: Text = Field("", description="The client's own words about the task.")


class ObstaclePlan(_Strict):
    """One anticipated obstacle with its if-then plan."""

    obstacle: Text = Field(..., description="A realistic obstacle for this client.")
    if_then: Text = Field("", description="If this happens, then the client will ...")


class Plan(_Strict):
    """A between-session homework plan: every field BRIEF section 4 lists."""

    schema_version: Literal[2] = PLAN_SCHEMA_VERSION
    vignette_id: Text = Field("", description="The case this plan is for.")
    goal: Text = Field("", description="The client's goal the task serves, in their words.")
    goal_link: Text = Field("", description="How the task moves the client toward that goal.")
    takeaway: Text = Field("", description="What the client took from this session, in their words.")
    takeaway_link: Text = Field("", description="How the task extends or tests that takeaway.")
    task_type: Text = Field("", description="A task-type id from the catalogue.")
    task: Text = Field("", description="What the client will do, in a sentence.")
    rationale: Text = Field(
        "", description="Why this task for this client: what keeps the problem going and how the task acts on it."
    )
    collaboration: Collaboration = Field(default_factory=Collaboration)
    when: Text = Field("", description="Day and time, or the trigger.")
    where: Text = Field("", description="The place.")
    frequency: Text = Field("", description="How often.")
    duration: Text = Field("", description="How long each time.")
    minimum_version: Text = Field("", description="The smallest version that still counts, for a bad day.")
    hierarchy_step: Text = Field(
        "", description="For exposure or experiments: which step of the hierarchy this is."
    )
    obstacles: list[ObstaclePlan] = Field(default_factory=list, max_length=20)
    teach_back: Text = Field("", description="The client's explanation of the task, in their words.")
    confidence: int | None = Field(None, ge=0, le=10, description="The client's confidence, 0 to 10.")
    confidences: dict[str, Rating] = Field(
        default_factory=dict, max_length=12,
        description="Couples and families: each person's own confidence, 0 to 10, by name (e.g. {\"Alex\": 6}).",
    )
    confidence_change: Text = Field("", description="What was changed when confidence was below 7.")
    framing_word: Text = Field("", description="What the task is called (the client's word).")
    framing: Text = Field("", description="How the task is framed, e.g. that any outcome is useful.")
    format: Text = Field("", description="The form the task and its reminders take.")
    adaptations: Text = Field(
        "", description="Adaptations for language, literacy, technology, family, culture, modality."
    )
    record: Text = Field("", description="What the client will record or bring.")
    review: Text = Field("", description="How and when the task will be reviewed.")
    risk: Text = Field("", description="The risk judgement and any adjustment made.")
    summary: Text = Field("", description="The client-facing written summary.")
    summary_format: Text = Field(
        "", description="The form the summary is given in (printed, audio, pictures, language)."
    )

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade_plan_data(data) if isinstance(data, dict) else data


def upgrade_plan_data(data: dict[str, Any]) -> dict[str, Any]:
    """Plan data saved under an earlier schema version, as the current version (a new dict).

    Version 1 differs only in lacking `confidences`, so its fields carry over as they are. Any other
    version is left alone for validation to name."""
    if data.get("schema_version") == 1:
        return {**data, "schema_version": PLAN_SCHEMA_VERSION}
    return data


class PlanError(ValueError):
    """A plan file could not be read; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def _describe(error: dict[str, Any]) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{path}: unknown field (remove it or check its spelling)"
    if kind == "string_too_long":
        return f"{path}: text is longer than the limit of {MAX_TEXT:,} characters"
    if kind == "missing":
        return f"{path}: this field is required"
    return f"{path}: {error['msg']}"


def plan_from_data(data: Any, source: str = "plan") -> Plan:
    """Validate already-parsed JSON data as a Plan, reporting every problem at once."""
    if not isinstance(data, dict):
        raise PlanError(source, [f"(top level): expected a JSON object, got {type(data).__name__}"])
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(source, [_describe(e) for e in exc.errors()]) from None


def plan_from_json(text: str, source: str = "plan") -> Plan:
    """Parse JSON text as a Plan; malformed JSON is reported with line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            source, [f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    except RecursionError:
        raise PlanError(
            source, ["the JSON is nested too deeply to be a plan (a plan is one object with text fields; "
                     "write it with `python -m course example-plan ID` as a model)"]
        ) from None
    return plan_from_data(data, source)


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan JSON file; raises PlanError naming every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanError(str(path), ["file not found"]) from None
    except OSError as exc:
        raise PlanError(str(path), [f"cannot read the file ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanError(str(path), ["the file is not UTF-8 text"]) from None
    return plan_from_json(text, str(path))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes so the file is either the old or the new version, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual umask-based mode."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def plan_to_json(plan: Plan) -> str:
    """The plan as indented JSON text, every field present."""
    return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def save_plan(plan: Plan, path: str | os.PathLike[str]) -> None:
    """Save a plan atomically (temporary file, flush, fsync, rename)."""
    atomic_write_text(path, plan_to_json(plan))
