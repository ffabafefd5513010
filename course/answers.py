"""A trainee's saved answers for one exercise: one JSON file next to the notebook.

Saves are atomic. A file that cannot be read is moved aside under a new name, never deleted or
overwritten. A file changed by someone else (another tab or kernel) since we last read or wrote
it is not silently overwritten: `save` reports a conflict and the caller lets the trainee choose.
Under nbgrader (autograde or validate) nothing is ever written.

One form's changes can arrive on more than one thread: ipykernel 7 hands widget messages to a
subshell thread as well as the main one (Notebook 7 does this). Reading the file, comparing it with
the version last seen, writing and recording the new version therefore happen under one lock;
without it, a save that read the file just after another thread wrote it, but before that thread
recorded its write, took the form's own save for someone else's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from course.plans import atomic_write_text

ANSWERS_DIR = "answers"
T = TypeVar("T")
_EXERCISE_ID = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")

RETIRED_EXERCISES: dict[str, tuple[str, str]] = {
    "02-spot-maya": ("02-spotting-the-behaviours", "spotting the behaviours in Maya's session"),
    "02-spot-sofia": ("02-spotting-the-behaviours", "spotting the behaviours in Sofía's session"),
}
"""Exercises an earlier version of the course had and this one does not: id -> (the module that had it,
what it was). Their answers files are never moved, rewritten or scored; the first form of that module
tells the trainee they are kept. When you remove an exercise from assignments.yaml, add it here."""


def headless() -> bool:
    """True when nbgrader is executing the notebook (no one is there to use a form)."""
    return bool(os.environ.get("NBGRADER_EXECUTION") or os.environ.get("NBGRADER_VALIDATING"))


def answers_path(exercise: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """Where an exercise's answers live: `answers/<exercise>.json` in the notebook's folder."""
    if not _EXERCISE_ID.match(exercise):
        raise ValueError(f"exercise id {exercise!r} should be lower-case words joined by - or _")
    return Path(folder if folder is not None else Path.cwd()) / ANSWERS_DIR / f"{exercise}.json"


def _digest(raw: bytes | None) -> str | None:
    return hashlib.sha256(raw).hexdigest() if raw is not None else None


@dataclass
class LoadResult:
    """What was found on disk: the data (or None), and a message for the trainee if something was wrong."""

    data: dict[str, Any] | None
    message: str = ""
    moved_to: Path | None = None


class Conflict(Exception):
    """The answers file changed on disk since this form last read or wrote it."""


class AnswersFile:
    """One exercise's answers on disk, with the version this form last saw."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._seen: str | None = None  # digest of the version on disk we last read or wrote
        self.lock = threading.RLock()  # held while reading, comparing, writing and recording a version

    # -- reading ------------------------------------------------------------------------------
    def _raw(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def load(self, validate=None, *, move_aside: bool = True) -> LoadResult:
        """Read the answers. `validate(data)` may raise ValueError to call the content unreadable.

        An unreadable file is moved aside (when `move_aside`) and reported in words."""
        with self.lock:
            return self._load(validate, move_aside)

    def _load(self, validate, move_aside: bool) -> LoadResult:
        result = self._load_own(validate, move_aside)
        if move_aside:  # a form the trainee sees (grading and progress read with move_aside=False)
            notice = retired_answers_notice(self.path)
            if notice:
                result.message = " ".join(filter(None, [result.message, notice]))
        return result

    def _load_own(self, validate, move_aside: bool) -> LoadResult:
        raw = self._raw()
        self._seen = _digest(raw)
        if raw is None:
            return LoadResult(None)
        try:
            try:
                data = json.loads(raw.decode("utf-8-sig"))
            except RecursionError:
                raise ValueError("it is nested too deeply to be a saved form") from None
            if not isinstance(data, dict):
                raise ValueError("it does not hold a JSON object")
            if validate is not None:
                validate(data)
        except (ValueError, UnicodeDecodeError) as exc:
            reason = _reason(exc)
            if not move_aside:
                return LoadResult(None, f"Your saved answers in {self.path.name} could not be read ({reason}).")
            moved = self._move_aside()
            self._seen = None
            return LoadResult(
                None,
                f"Your saved answers in {self.path.name} could not be read ({reason}). "
                f"Nothing was deleted: the file was kept as {moved.name} in the same folder. "
                "This form starts empty; copy anything you need from that file.",
                moved,
            )
        return LoadResult(data)

    def _move_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            suffix = f".unreadable-{stamp}" + (f"-{n}" if n else "") + ".json"
            target = self.path.with_name(self.path.stem + suffix)
            if not target.exists():
                os.replace(self.path, target)
                return target
        raise OSError(f"could not find a free name to keep {self.path} aside")

    def changed_on_disk(self) -> bool:
        """True if the file differs from the version this form last read or wrote."""
        with self.lock:
            return _digest(self._raw()) != self._seen

    # -- writing ------------------------------------------------------------------------------
    def save(self, data: dict[str, Any], *, force: bool = False) -> bool:
        """Write the answers atomically. Raises Conflict if someone else changed the file
        (unless `force`). Returns False when nothing needed writing. Never writes under nbgrader."""
        if headless():
            return False
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        with self.lock:
            raw = self._raw()
            if not force and _digest(raw) != self._seen:
                raise Conflict(str(self.path))
            if raw is not None and raw == text.encode("utf-8"):
                return False
            atomic_write_text(self.path, text)
            self._seen = _digest(text.encode("utf-8"))
            return True

    def adopt_disk_version(self) -> dict[str, Any] | None:
        """Accept what is on disk now as the version this form has seen, and return it."""
        result = self.load(move_aside=False)
        return result.data


def retired_answers(answers_dir: str | os.PathLike[str]) -> dict[str, list[Path]]:
    """Answers files in a folder that belong to exercises this course no longer has (`RETIRED_EXERCISES`),
    by exercise id: `<id>.json` and any copy named after it (`<id>.unreadable-….json`, `<id> (1).json`).
    Nothing is read, moved or written."""
    folder = Path(answers_dir)
    found: dict[str, list[Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        for exercise in RETIRED_EXERCISES:
            rest = path.name[len(exercise):]
            if path.name.startswith(exercise) and not rest[:1].isalnum():  # "02-spot-maya.json", "02-spot-maya (1).json"
                found.setdefault(exercise, []).append(path)
    return found


def retired_answers_notice(answers_file: str | os.PathLike[str]) -> str:
    """What the trainee is told, on the first exercise of a module, about answers kept from an exercise the
    module no longer has ("" when there are none, or this is not that module's first exercise)."""
    path = Path(answers_file)
    found = retired_answers(path.parent)
    if not found:
        return ""
    try:
        from course.assignments import load_course

        firsts = {a.id: a.exercises[0].id for a in load_course().assignments if a.exercises}
    except Exception:  # a broken manifest must not stop a form from opening
        return ""
    here = [(ex, files) for ex, files in found.items() if firsts.get(RETIRED_EXERCISES[ex][0]) == path.stem]
    if not here:
        return ""
    kept = "; ".join(f"{RETIRED_EXERCISES[ex][1]} ({', '.join(f.name for f in files)})" for ex, files in here)
    return (f"This module no longer has an exercise you saved answers for: {kept}. Those files are kept, "
            f"unchanged, in {path.parent.name}/ beside this one: nothing was deleted. They no longer count toward "
            "your progress or grade; open one in any text editor to read what you wrote.")


def read_saved(path: str | os.PathLike[str], parse: Callable[[dict[str, Any]], T], empty: T,
               validate: Callable[[dict[str, Any]], None] | None = None) -> T:
    """The answers saved at `path`, parsed; `empty` when there are none or they cannot be read.

    Reads only: nothing is written or moved (this is what nbgrader's headless runs use)."""
    loaded = AnswersFile(path).load(validate, move_aside=False)
    if loaded.data is None:
        return empty
    try:
        return parse(loaded.data)
    except ValueError:  # pydantic's ValidationError and PlanError are ValueErrors
        return empty


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "it is not text"
    return " ".join(str(exc).split())[:200]
