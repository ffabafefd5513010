"""Running real nbgrader commands for a course folder, and finding its configuration and gradebook
(used by the release tool, the instructor commands and the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env(course_root: Path, **extra: str) -> dict[str, str]:
    """An environment in which nbgrader finds its helpers (alembic) and keeps Jupyter files local."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, **extra}
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("JUPYTER_CONFIG_DIR", str(course_root / ".jupyter"))
    env["PYTHONWARNINGS"] = "ignore"
    return env


def run_nbgrader(args: list[str], course_root: Path, *, check: bool = True, timeout: float = 900,
                 **extra_env: str) -> subprocess.CompletedProcess:
    """Run `nbgrader <args>` in a course folder; on failure raise with nbgrader's own output."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
        cwd=course_root, env=nbgrader_env(course_root, **extra_env), capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def course_config(course_root: Path):
    """The course's nbgrader configuration, read from its nbgrader_config.py."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()


def gradebook_url(course_root: str | os.PathLike[str], config=None) -> str:
    """The gradebook URL of a course folder: its config's db_url, or gradebook.db in the folder."""
    root = Path(course_root).resolve()
    if config is None and (root / "nbgrader_config.py").exists():
        config = course_config(root)
    url = config.CourseDirectory.db_url if config is not None else ""
    return str(url or f"sqlite:///{root / 'gradebook.db'}")
