"""Between Sessions: a graded course on between-session homework in psychotherapy.

Importing the package is cheap: the schema, scorer and data load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Plan": "course.plans",
    "load_plan": "course.plans",
    "save_plan": "course.plans",
    "PlanError": "course.plans",
    "Vignette": "course.vignettes",
    "get_vignette": "course.vignettes",
    "all_vignettes": "course.vignettes",
    "ChecklistItem": "course.checklist",
    "load_checklist": "course.checklist",
    "TaskType": "course.catalogue",
    "load_task_types": "course.catalogue",
    "score_plan": "course.scoring",
    "ItemResult": "course.scoring",
    "PlanReport": "course.scoring",
    "ReviewScript": "course.reviews",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'course' has no attribute {name!r}")
