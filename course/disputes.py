"""A trainee's "I think this is wrong": one sentence about one behaviour of one exercise's grade.

Saved in `answers/disputes.json` beside the notebook (atomically; one dispute per exercise and
behaviour, the latest wins), so it is submitted with the work. The instructor sees the disputes in
the cohort report and in the grades export, and `disputes.csv` feeds the grader's validity study.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from course.answers import ANSWERS_DIR, headless
from course.plans import atomic_write_text

DISPUTES_FILE = "disputes.json"
MAX_WORDS = 120
COLUMNS = ["student", "assignment", "exercise", "behaviour", "sentence", "at"]


def disputes_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """Where a notebook folder's disputes live."""
    return Path(folder if folder is not None else Path.cwd()) / ANSWERS_DIR / DISPUTES_FILE


def load_disputes(folder: str | os.PathLike[str] | None = None) -> list[dict[str, str]]:
    """The disputes saved in a notebook folder ([] when none or unreadable)."""
    try:
        data = json.loads(disputes_path(folder).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return []
    rows = data.get("disputes", []) if isinstance(data, dict) else []
    keys = ("exercise", "behaviour", "sentence", "at")
    return [{k: str(r.get(k, "")) for k in keys} for r in rows if isinstance(r, dict) and r.get("sentence")]


def dispute(exercise: str, behaviour: str, sentence: str, folder: str | os.PathLike[str] | None = None) -> str:
    """Mark one behaviour of one exercise's grade as "I think this is wrong", with a sentence why.

    Returns what was saved, in words. Raises ValueError (saying what to change) for an unknown
    exercise or behaviour, or an empty or overlong sentence."""
    from course.assignments import load_course
    from course.checklist import load_checklist

    exercises = {e.id for a in load_course().assignments for e in a.exercises}
    behaviours = {item.id: item.name for item in load_checklist().items}
    if exercise not in exercises:
        raise ValueError(f"exercise {exercise!r} is not in the course; use the id shown above the form, e.g. 03-maya")
    if behaviour not in behaviours:
        raise ValueError(f"behaviour {behaviour!r} is not on the checklist; one of: {', '.join(behaviours)}")
    sentence = " ".join(str(sentence).split())
    if not sentence:
        raise ValueError("say in one sentence why you think this grade is wrong")
    if len(sentence.split()) > MAX_WORDS:
        raise ValueError(f"keep it to one sentence (at most {MAX_WORDS} words)")
    if headless():
        return "Not saved while the notebook is being graded."
    rows = [r for r in load_disputes(folder) if (r["exercise"], r["behaviour"]) != (exercise, behaviour)]
    rows.append({"exercise": exercise, "behaviour": behaviour, "sentence": sentence,
                 "at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})
    atomic_write_text(disputes_path(folder), json.dumps({"disputes": rows}, indent=2, ensure_ascii=False) + "\n")
    return (f"Saved: you think the grade for {behaviours[behaviour]} in {exercise} is wrong. "
            "Submit the assignment again so your instructor sees it.")


def cohort_disputes(root: str | os.PathLike[str], assignment: str | None = None) -> list[dict[str, str]]:
    """Every collected submission's disputes, one row per dispute (columns `COLUMNS`)."""
    base = Path(root) / "submitted"
    rows = []
    if not base.exists():
        return rows
    for student_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        for folder in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignment is None or folder.name == assignment:
                rows += [{"student": student_dir.name, "assignment": folder.name, **d} for d in load_disputes(folder)]
    return rows
