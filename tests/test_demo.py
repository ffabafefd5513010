"""`python -m course demo`: the instructor's first look, run exactly as an instructor runs it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_demo_builds_grades_and_reports_a_simulated_cohort(tmp_path):
    result = subprocess.run([sys.executable, "-m", "course", "demo", "--dir", str(tmp_path / "demo")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    report = Path(lines[-1])
    assert report.is_absolute() and report.exists() and report.name == "report.html"
    assert "Grades match the simulated answers for 20 of 20 trainees" in result.stdout
    assert "20 of 20 trainees fetched exactly their own feedback" in result.stdout
    assert "graded 20, already graded 0, failed 0" in result.stdout
    html = report.read_text()
    assert "data:image/png;base64," in html and "http://" not in html and "https://" not in html
    scores = list(csv.reader((report.parent / "behaviour-scores.csv").open()))
    assert len(scores) == 21, "a header and one row per trainee"
    grades = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader((tmp_path / "demo" / "grades.csv").open())}
    assert max(grades.values()) == 60 and min(grades.values()) < 45, "from excellent to weak"


def test_report_command_needs_a_graded_course(tmp_path):
    result = subprocess.run([sys.executable, "-m", "course", "report", "--course", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "not a course folder" in result.stderr
    (tmp_path / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.db_url = 'sqlite:///{tmp_path}/gradebook.db'\n")
    result = subprocess.run([sys.executable, "-m", "course", "report", "--course", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "no gradebook" in result.stderr
