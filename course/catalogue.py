"""The catalogue of between-session task types, loaded from `data/task_types.yaml`."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from course.datafiles import DATA_DIR, DataFileError, read_yaml

CATALOGUE_FILE = DATA_DIR / "task_types.yaml"


class TaskType(BaseModel):
    """A kind of between-session task, the problems it suits and the mechanism it acts on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    suits: list[str]
    modalities: list[str]
    mechanism: str
    mechanism_cues: list[list[str]] = Field(..., min_length=2)
    needs_hierarchy: bool = False
    adds_time: bool = Field(
        True,
        description="False when the task changes when or how the client does something they do anyway (meals, "
        "going to bed): that time is not extra homework time, so it is not held against the case's minutes a day.",
    )


class Catalogue(BaseModel):
    """All task types."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    task_types: list[TaskType]


@lru_cache(maxsize=1)
def load_task_types() -> dict[str, TaskType]:
    """Task types by id, in catalogue order."""
    try:
        catalogue = Catalogue.model_validate(read_yaml(CATALOGUE_FILE))
    except ValidationError as exc:
        raise DataFileError(f"{CATALOGUE_FILE}: {exc}") from None
    return {task.id: task for task in catalogue.task_types}


def adds_time(task_type_id: str | None) -> bool:
    """Whether a task type's time counts against the client's minutes a day (unknown types count)."""
    task_type = load_task_types().get(task_type_id or "")
    return task_type is None or task_type.adds_time
