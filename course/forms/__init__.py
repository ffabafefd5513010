"""The exercise forms trainees use in the notebooks (ipywidgets).

Import cost matters in notebooks, so each form loads on first use."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "draft_plan": "course.forms.plan_form",
    "saved_plan": "course.forms.plan_form",
    "review_script": "course.forms.review_form",
    "spot_behaviours": "course.forms.spotting_form",
    "concept_check": "course.forms.concept_form",
    "show_progress": "course.forms.progress_view",
    "rate_my_plan": "course.forms.self_rating_form",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'course.forms' has no attribute {name!r}")
