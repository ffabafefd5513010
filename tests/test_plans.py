"""The Plan model: loading with every problem reported, and atomic saving."""

from __future__ import annotations

import json
import os

import pytest

from course.plans import MAX_TEXT, Plan, PlanError, load_plan, plan_from_json, save_plan


def test_defaults_make_an_empty_plan():
    plan = Plan()
    assert plan.schema_version == 2
    assert plan.obstacles == [] and plan.confidence is None and plan.confidences == {}


def test_every_problem_is_reported_at_once_with_its_path(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({
        "goal": 3,
        "colour": "blue",
        "confidence": 14,
        "obstacles": [{"obstacle": "Tired", "if_then": 5}],
        "collaboration": {"client_said": "x"},
    }))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    problems = caught.value.problems
    text = " | ".join(problems)
    assert len(problems) == 5, problems
    assert "goal:" in text and "colour: unknown field" in text
    assert "confidence:" in text and "obstacles.0.if_then:" in text
    assert "collaboration.client_said: unknown field" in text


def test_malformed_json_names_line_and_column():
    with pytest.raises(PlanError) as caught:
        plan_from_json('{\n  "goal": "x",,\n}', "p.json")
    assert "line 2, column 15" in str(caught.value)


def test_top_level_must_be_an_object():
    with pytest.raises(PlanError, match="expected a JSON object"):
        plan_from_json("[1, 2]")


def test_text_over_the_limit_is_refused_with_the_limit_named():
    with pytest.raises(PlanError) as caught:
        plan_from_json(json.dumps({"rationale": "x" * (MAX_TEXT + 1)}))
    assert "rationale" in str(caught.value) and "10,000" in str(caught.value)
    assert plan_from_json(json.dumps({"rationale": "x" * MAX_TEXT})).rationale


def test_wrong_schema_version_is_refused():
    with pytest.raises(PlanError, match="schema_version"):
        plan_from_json(json.dumps({"schema_version": 3}))


def test_missing_and_unreadable_files_are_clear(tmp_path):
    with pytest.raises(PlanError, match="file not found"):
        load_plan(tmp_path / "nope.json")
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan(binary)


def test_save_round_trips(tmp_path):
    plan = Plan(goal="Get out of bed before 10", confidence=7)
    path = tmp_path / "answers" / "plan.json"
    save_plan(plan, path)
    assert load_plan(path) == plan


def test_save_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    save_plan(Plan(goal="old"), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_plan(Plan(goal="new"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"], "no temporary file is left behind"


def test_loading_never_modifies_the_file(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"goal": "x", "nonsense": 1}')
    stat = path.stat()
    with pytest.raises(PlanError):
        load_plan(path)
    assert path.read_text() == '{"goal": "x", "nonsense": 1}'
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
