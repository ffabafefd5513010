"""A Jupyter server extension: course notebooks open with their language record complete.

The course's notebooks record only `language_info: {"name": "python"}` (tools/nbbuild.py): the full
record names the Python patch version, which differs between machines. JupyterLab writes the kernel's
full record into a notebook as soon as its kernel starts, and so marked every course notebook as
modified on opening ("Leave site?" on leaving, though nothing was done). This extension fills the record
in as the server hands a notebook over, for the Python the server (and so its kernel) runs. It is
switched on by `jupyter-config/jupyter_server_config.d/between_sessions.json`, installed with the course
(pyproject.toml; `./run` copies it into the editable development environment)."""

from __future__ import annotations

import inspect
from typing import Any

COURSE_LANGUAGE_INFO = {"name": "python"}
"""The language record the course's notebook builder writes."""


def kernel_language_info() -> dict[str, Any]:
    """The language record the course's kernel (ipykernel, in this Python) reports to JupyterLab."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def with_kernel_language(notebook: Any) -> bool:
    """Fill in a course notebook's language record (an open notebook's `content`); True if it changed.
    Notebooks with a record of their own are left as they are."""
    metadata = notebook.get("metadata") if hasattr(notebook, "get") else None
    if not hasattr(metadata, "get") or metadata.get("language_info") != COURSE_LANGUAGE_INFO:
        return False
    metadata["language_info"] = kernel_language_info()
    return True


def _completed(model: Any) -> Any:
    if isinstance(model, dict) and model.get("type") == "notebook" and model.get("content") is not None:
        with_kernel_language(model["content"])
    return model


def complete_language_records(manager: Any) -> None:
    """Make a contents manager (whatever its class) hand over course notebooks with the full record."""
    original = manager.get
    if inspect.iscoroutinefunction(original):
        async def get(*args: Any, **kwargs: Any) -> Any:
            return _completed(await original(*args, **kwargs))
    else:
        def get(*args: Any, **kwargs: Any) -> Any:
            return _completed(original(*args, **kwargs))
    manager.get = get


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "course.contents"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    complete_language_records(serverapp.contents_manager)
