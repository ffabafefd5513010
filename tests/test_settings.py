"""The course setting that keeps the expert plan and `example-plan` closed for graded assignments
(or until the due date): the strictest settings file wins, and a broken file says which and why."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from course.forms.plan_form import draft_plan
from course.settings import SETTINGS_FILE, SettingsError, assignment_of, expert_access

CASE, EXERCISE, ASSIGNMENT = "maya-activation", "03-maya", "03-designing-homework"


def write(folder, text: str) -> None:
    (folder / SETTINGS_FILE).write_text(text, encoding="utf-8")


def test_exercises_know_their_assignment():
    assert assignment_of(EXERCISE) == ASSIGNMENT
    assert assignment_of("not-an-exercise") is None


def test_without_settings_the_expert_plan_is_open(folder):
    access = expert_access(ASSIGNMENT, start=folder)
    assert access.allowed and access.shown


def test_never_closes_only_the_graded_assignments_it_names(folder):
    write(folder, f"expert_plans: never\ngraded: [{ASSIGNMENT}]\n")
    closed = expert_access(ASSIGNMENT, start=folder)
    assert not closed.allowed and not closed.shown and "switched the expert plan off" in closed.reason
    assert expert_access("05-adapting-homework", start=folder).allowed


def test_after_due_opens_at_the_due_date(folder):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    write(folder, f"expert_plans: after_due\ndue:\n  {ASSIGNMENT}: 2026-12-20T17:00:00+00:00\n")
    before = expert_access(ASSIGNMENT, start=folder, now=now)
    assert not before.allowed and before.shown and "2026-12-20 17:00" in before.reason
    assert expert_access(ASSIGNMENT, start=folder, now=now + timedelta(days=30)).allowed
    assert not expert_access("05-adapting-homework", start=folder, now=now).allowed, "no due date set: closed"


def test_the_strictest_file_wins_so_a_trainee_cannot_loosen_it(folder, monkeypatch, tmp_path_factory):
    admin = tmp_path_factory.mktemp("etc-jupyter")
    write(admin, "expert_plans: never\n")
    monkeypatch.setenv("BETWEEN_SESSIONS_SETTINGS", str(admin))
    write(folder, "expert_plans: always\n")
    assert not expert_access(ASSIGNMENT, start=folder).allowed


def test_a_broken_settings_file_names_itself(folder):
    write(folder, "expert_plans: sometimes\n")
    with pytest.raises(SettingsError, match=SETTINGS_FILE + ".*expert_plans"):
        expert_access(ASSIGNMENT, start=folder)


def test_the_form_hides_the_button_when_closed_and_refuses_when_not_yet_due(folder):
    write(folder, "expert_plans: never\n")
    form = draft_plan(CASE, exercise=EXERCISE)
    buttons = next(box for box in form.form.children if form.check_button in getattr(box, "children", ()))
    assert form.expert_button not in buttons.children
    write(folder, f"expert_plans: after_due\ndue:\n  {ASSIGNMENT}: 2999-01-01T00:00:00+00:00\n")
    form = draft_plan(CASE, exercise=EXERCISE)
    form.check()
    form.show_expert()
    assert "opens after the due date" in form.expert.value
    assert form.vignette.key.reference_plan.rationale[:30] not in form.expert.value


def test_example_plan_follows_the_setting(tmp_path):
    def example_plan():
        return subprocess.run([sys.executable, "-m", "course", "example-plan", CASE], capture_output=True,
                              text=True, cwd=tmp_path)

    assert example_plan().returncode == 0
    write(tmp_path, f"expert_plans: never\ngraded: [{ASSIGNMENT}]\n")
    refused = example_plan()
    assert refused.returncode == 2 and "no example plan" in refused.stderr and refused.stdout == ""
