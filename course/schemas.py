"""The published JSON Schemas of the course's data formats (in `schemas/`)."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"


def published_schemas() -> dict[str, dict]:
    """File name -> JSON Schema for each data format instructors and tools exchange."""
    from course.plans import Plan
    from course.reviews import ReviewScript
    from course.vignettes import Vignette

    return {
        "plan.schema.json": _with_id(Plan.model_json_schema(), "plan", "A between-session homework plan."),
        "vignette.schema.json": _with_id(Vignette.model_json_schema(), "vignette", "An invented teaching case."),
        "review-script.schema.json": _with_id(
            ReviewScript.model_json_schema(), "review-script", "A review of a task the client did not do."
        ),
    }


def _with_id(schema: dict, name: str, title: str) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"between-sessions/{name}.schema.json",
        "description": title,
        **schema,
    }


def schema_text(schema: dict) -> str:
    """A schema as the text stored in the repository."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every published schema; returns the files written (idempotent)."""
    from course.plans import atomic_write_text

    written = []
    for name, schema in published_schemas().items():
        path = directory / name
        atomic_write_text(path, schema_text(schema))
        written.append(path)
    return written
