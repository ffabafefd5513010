"""Course settings an instructor sets for a cohort: whether the expert plan can be shown.

The settings live in a file `between-sessions.yaml`, found in any Jupyter configuration folder
(`jupyter --paths`: on a hub, `/etc/jupyter`, which trainees cannot write), in the folder named by
`$BETWEEN_SESSIONS_SETTINGS`, or in the current folder or one above it (the assignment folder, the
course folder). Every file found counts and **the strictest wins**, so a trainee cannot loosen what
the instructor set by adding a file of their own:

```yaml
expert_plans: after_due     # always (default) | after_due | never
graded: [03-designing-homework, 05-adapting-homework]   # where it applies; leave out for every assignment
due:
  03-designing-homework: 2026-12-20T17:00:00+00:00      # without a time zone, read as UTC
```

This removes the one-click route to a reference plan (the form's "Show an expert plan" button and
`python -m course example-plan`). It is not security: everything installed on a trainee's machine,
shipped answer keys included, can be read. Exams use private cases (`python -m course exam new`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SETTINGS_FILE = "between-sessions.yaml"
ExpertPlans = Literal["always", "after_due", "never"]
STRICTNESS: dict[str, int] = {"always": 0, "after_due": 1, "never": 2}


class SettingsError(ValueError):
    """A settings file that cannot be read; the message names the file and the problem."""


class CourseSettings(BaseModel):
    """One settings file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    expert_plans: ExpertPlans = "always"
    graded: list[str] | None = Field(None, description="Assignments the rule applies to; None = every assignment.")
    due: dict[str, datetime] = Field(default_factory=dict, description="Due date-time per assignment.")


@dataclass(frozen=True)
class ExpertAccess:
    """Whether the expert plan of one assignment may be shown, and why not."""

    allowed: bool
    shown: bool
    reason: str = ""


def settings_files(start: Path | None = None) -> list[Path]:
    """Every settings file that applies here, most local first."""
    from jupyter_core.paths import jupyter_config_path

    here = (start or Path.cwd()).resolve()
    candidates = [folder / SETTINGS_FILE for folder in (here, *here.parents)]
    if os.environ.get("BETWEEN_SESSIONS_SETTINGS"):
        candidates.append(Path(os.environ["BETWEEN_SESSIONS_SETTINGS"]) / SETTINGS_FILE)
    candidates += [Path(folder) / SETTINGS_FILE for folder in jupyter_config_path()]
    seen: list[Path] = []
    for path in candidates:
        if path.is_file() and path.resolve() not in seen:
            seen.append(path.resolve())
    return seen


def read_settings(path: Path) -> CourseSettings:
    """One settings file, validated; a clear error naming the file otherwise."""
    from course.datafiles import read_yaml

    try:
        return CourseSettings.model_validate(read_yaml(path) or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"{path}: {problems}") from None
    except Exception as exc:  # unreadable YAML
        raise SettingsError(f"{path}: {' '.join(str(exc).split())}") from None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _rule_for(settings: CourseSettings, assignment: str | None, now: datetime) -> tuple[int, str]:
    """(strictness, reason) of one file for one assignment."""
    applies = settings.graded is None or (assignment is not None and assignment in settings.graded)
    if not applies or settings.expert_plans == "always":
        return 0, ""
    if settings.expert_plans == "never":
        return 2, "your instructor has switched the expert plan off for this graded assignment"
    due = settings.due.get(assignment or "")
    if due is None:
        return 1, "your instructor shows the expert plan after the due date, and none is set yet"
    if now >= _aware(due):
        return 0, ""
    return 1, f"the expert plan opens after the due date ({_aware(due).strftime('%Y-%m-%d %H:%M %Z')})"


def expert_access(assignment: str | None, *, start: Path | None = None, now: datetime | None = None) -> ExpertAccess:
    """May the expert plan of `assignment` be shown now? The strictest settings file wins."""
    now = now or datetime.now(timezone.utc)
    strictest, reason = 0, ""
    for path in settings_files(start):
        level, why = _rule_for(read_settings(path), assignment, now)
        if level > strictest:
            strictest, reason = level, why
    return ExpertAccess(allowed=strictest == 0, shown=strictest < STRICTNESS["never"], reason=reason)


def assignment_of(exercise: str) -> str | None:
    """The assignment an exercise belongs to (None for an exercise the course does not list)."""
    from course.assignments import load_course

    for assignment in load_course().assignments:
        if any(e.id == exercise for e in assignment.exercises):
            return assignment.id
    return None


def assignments_using(case_id: str) -> list[str]:
    """The assignments whose exercises use this case."""
    from course.assignments import load_course

    return [a.id for a in load_course().assignments if any(e.case == case_id for e in a.exercises)]
