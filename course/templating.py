"""The jinja2 environment for the course's HTML (handouts, cohort reports): autoescaping always on,
so trainee text can never become markup."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def template_environment() -> Any:
    """The shared jinja2 environment over course/templates."""
    import jinja2  # lazily: importing the package stays cheap

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
