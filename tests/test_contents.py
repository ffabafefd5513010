"""Course notebooks open with their language record complete (course/contents.py), so JupyterLab does
not mark them modified as their kernel starts; other notebooks are left as they are."""

from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from jupyter_server.services.contents.filemanager import FileContentsManager
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from course.contents import COURSE_LANGUAGE_INFO, complete_language_records, kernel_language_info, with_kernel_language

ROOT = Path(__file__).resolve().parents[1]


def test_every_released_notebook_carries_the_record_the_contents_manager_fills_in():
    for path in sorted((ROOT / "release").rglob("*.ipynb")):
        assert json.loads(path.read_text())["metadata"]["language_info"] == COURSE_LANGUAGE_INFO, path


def test_the_record_is_the_one_the_kernel_reports_for_this_python():
    info = kernel_language_info()
    assert info["name"] == "python" and info["version"] == sys.version.split()[0]
    assert {"mimetype", "file_extension", "codemirror_mode", "pygments_lexer", "nbconvert_exporter"} <= set(info)


def _manager(root, kind=AsyncLargeFileManager):
    manager = kind(root_dir=str(root))
    complete_language_records(manager)
    return manager


def _get(manager, path: str, **kwargs):
    """The manager's model for a path, as the server would get it (an async manager in its own event loop,
    on a thread of its own: browser tests earlier in the run leave Playwright's loop on this one)."""
    def get():
        model = manager.get(path, **kwargs)
        return asyncio.run(model) if asyncio.iscoroutine(model) else model

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(get).result()


@pytest.mark.parametrize("kind", [AsyncLargeFileManager, FileContentsManager])
def test_a_course_notebook_opens_with_the_full_record_and_its_file_is_untouched(tmp_path, kind):
    source = next((ROOT / "release").rglob("*.ipynb"))
    (tmp_path / "course.ipynb").write_bytes(source.read_bytes())
    manager = _manager(tmp_path, kind)
    model = _get(manager, "course.ipynb")
    assert model["content"]["metadata"]["language_info"] == kernel_language_info()
    assert (tmp_path / "course.ipynb").read_bytes() == source.read_bytes()
    assert _get(manager, "course.ipynb", content=False)["content"] is None


def test_a_notebook_with_its_own_record_is_left_as_it_is(tmp_path):
    notebook = nbformat.v4.new_notebook(metadata={"language_info": {"name": "R", "version": "4.3"}})
    assert not with_kernel_language(notebook)
    assert notebook.metadata.language_info == {"name": "R", "version": "4.3"}
    nbformat.write(notebook, tmp_path / "r.ipynb")
    model = _get(_manager(tmp_path), "r.ipynb")
    assert model["content"]["metadata"]["language_info"] == {"name": "R", "version": "4.3"}


def test_files_that_are_not_notebooks_pass_through(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    model = _get(_manager(tmp_path), "notes.txt")
    assert model["content"] == "hello"
    assert not with_kernel_language({"cells": []}) and not with_kernel_language("text")


def test_the_server_config_installed_with_the_course_switches_it_on():
    config = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.d" / "between_sessions.json").read_text())
    assert config["ServerApp"]["jpserver_extensions"] == {"course.contents": True}
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "jupyter-config/jupyter_server_config.d/between_sessions.json" in pyproject
    assert "jupyter-config/jupyter_server_config.d/between_sessions.json" in (ROOT / "run").read_text()
