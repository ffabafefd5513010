"""`nbgrader export` for this course: nbgrader's grades CSV plus each trainee's status, notes and
grader version, so a trainee who did not submit (or whose grading failed) reads as such, never as 0.

nbgrader_config.py makes this the exporter (`ExportApp.plugin_class`); by hand:
`nbgrader export --exporter=course.export.CourseCsvExport`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

from course.plans import atomic_write_text

KEYS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
        "late_submission_penalty", "score", "max_score", "status", "grader_version", "notes", "disputes"]
SCORED = ("graded", "graded_with_notes")


class CourseCsvExport(ExportPlugin):
    """nbgrader's CSV columns, then status (graded | graded_with_notes | failed | ungraded |
    not_submitted), grader_version and notes; scores are blank unless the submission is graded."""

    def export(self, gradebook: Gradebook) -> None:
        from course.reports import submission_statuses

        root = Path(self.parent.coursedir.root)
        from course.disputes import cohort_disputes

        statuses = submission_statuses(self.parent.coursedir.db_url, None, root)
        disputes: dict[tuple[str, str], list[str]] = {}
        for d in cohort_disputes(root):
            disputes.setdefault((d["student"], d["assignment"]), []).append(
                f"{d['exercise']}/{d['behaviour']}: {d['sentence']}")
        wanted_students = {str(s) for s in self.student}
        wanted_assignments = {str(a) for a in self.assignment}
        rows = []
        for status in statuses.itertuples():
            if (wanted_students and status.student not in wanted_students) or (
                    wanted_assignments and status.assignment not in wanted_assignments):
                continue
            row = self._row(gradebook, status)
            row["disputes"] = " | ".join(disputes.get((status.student, status.assignment), []))
            rows.append(row)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, KEYS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        atomic_write_text(self.to or "grades.csv", buffer.getvalue())

    @staticmethod
    def _row(gradebook: Gradebook, status) -> dict[str, object]:
        assignment = gradebook.find_assignment(status.assignment)
        try:
            student = gradebook.find_student(status.student)
            names = {"last_name": student.last_name or "", "first_name": student.first_name or "",
                     "email": student.email or ""}
        except MissingEntry:
            names = {"last_name": "", "first_name": "", "email": ""}
        row = {"assignment": status.assignment, "duedate": assignment.duedate or "", "student_id": status.student,
               **names, "timestamp": "", "raw_score": "", "late_submission_penalty": "", "score": "",
               "max_score": assignment.max_score, "status": status.status,
               "grader_version": status.grader_version, "notes": status.notes}
        try:
            submission = gradebook.find_submission(status.assignment, status.student)
        except MissingEntry:
            return row
        row["timestamp"] = submission.timestamp or ""
        if status.status in SCORED:
            penalty = submission.late_submission_penalty or 0.0
            row.update(raw_score=submission.score, late_submission_penalty=penalty,
                       score=max(0.0, submission.score - penalty))
        return row
