"""The record `course grade` keeps of every trainee's submission: status, notes, score and grader version.

It lives in `.grading-state/<assignment>.json` in the course folder, is written only by the grading
run (atomically, after each submission), and is read by the next run (to resume), by the cohort
report and by the grades export. One entry per trainee who submitted, keyed by student id.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course.plans import atomic_write_text

STATE_DIR = ".grading-state"
STATUSES = ("graded", "graded_with_notes", "failed", "not_submitted")
"""What `course grade` says about each trainee: graded, graded with notes, failed, or not submitted."""
GRADED = ("graded", "graded_with_notes")
NOT_ATTEMPTED = "missing"
UNREADABLE = "unreadable"


@dataclass
class TraineeGrade:
    """One trainee's submission of one assignment, as the last grading run left it."""

    student: str
    status: str
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    max: float | None = None
    stamp: str = ""
    grader_version: str = ""
    exercises: dict[str, str] = field(default_factory=dict)
    """Exercise id -> `saved`, `missing` (never attempted) or `unreadable`, from the answers files."""

    @property
    def graded(self) -> bool:
        """True when the gradebook holds a complete grade for this submission."""
        return self.status in GRADED

    def public(self) -> dict:
        """The five fields `course grade --json` promises: student, status, notes, score, max."""
        return {"student": self.student, "status": self.status, "notes": list(self.notes),
                "score": self.score, "max": self.max}


def record_path(root: Path, assignment: str) -> Path:
    """Where the record of an assignment lives in a course folder."""
    return Path(root) / STATE_DIR / f"{assignment}.json"


def load_record(root: Path, assignment: str) -> dict[str, TraineeGrade]:
    """The record of an assignment (student -> TraineeGrade); empty when never graded.

    Reads the older form too (student -> submission stamp), treating each entry as graded."""
    try:
        data = json.loads(record_path(root, assignment).read_text())
    except (FileNotFoundError, ValueError):
        return {}
    students = data.get("students", data) if isinstance(data, dict) else {}
    record = {}
    for student, entry in students.items():
        if isinstance(entry, str):
            record[student] = TraineeGrade(student, "graded", stamp=entry)
        elif isinstance(entry, dict):
            known = {k: v for k, v in entry.items() if k in TraineeGrade.__dataclass_fields__}
            record[student] = TraineeGrade(**{**known, "student": student})
    return record


def save_record(root: Path, assignment: str, record: dict[str, TraineeGrade]) -> None:
    """Write the record atomically."""
    students = {s: {k: v for k, v in asdict(g).items() if k != "student"} for s, g in sorted(record.items())}
    atomic_write_text(record_path(root, assignment),
                      json.dumps({"version": 2, "students": students}, indent=2, ensure_ascii=False) + "\n")
