"""The command line, run as a user runs it: `python -m course ...` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from course.checklist import load_checklist

from conftest import CASE_IDS, ROOT


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_checklist_prints_every_item_as_a_table():
    result = run("checklist")
    assert result.returncode == 0
    for item in load_checklist().items:
        assert item.id in result.stdout
    assert result.stdout.splitlines()[1].startswith("----")


def test_vignettes_lists_ids_and_json():
    assert all(case_id in run("vignettes").stdout for case_id in CASE_IDS)
    listed = json.loads(run("vignettes", "--json").stdout)
    assert [v["id"] for v in listed] == CASE_IDS
    assert {"id", "title", "modality", "goals", "use"} <= set(listed[0])


def test_example_plan_is_plan_json_that_scores_full_marks(tmp_path):
    case_id = CASE_IDS[0]
    result = run("example-plan", case_id)
    assert result.returncode == 0
    path = tmp_path / "plan.json"
    path.write_text(result.stdout)
    scored = json.loads(run("score", str(path), "--vignette", case_id, "--json").stdout)
    assert scored["total"] == scored["max"] == 20


def test_score_json_is_exactly_one_object_in_the_public_format(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"goal": "Feel better", "risk": "N/A"}))
    result = run("score", str(path), "--vignette", CASE_IDS[1], "--json")
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    # grader_version and flags are backward-compatible additions (README, "score --json")
    assert set(data) == {"vignette", "grader_version", "total", "max", "flags", "items"}
    assert data["flags"] == [] and data["grader_version"]
    assert data["vignette"] == CASE_IDS[1] and data["total"] == 0 and data["max"] == 20
    assert [i["id"] for i in data["items"]] == [i.id for i in load_checklist().plan_items]
    for item in data["items"]:
        assert set(item) == {"id", "status", "points", "max_points", "evidence", "feedback"}


def test_score_readable_report_names_each_behaviour(tmp_path):
    path = tmp_path / "plan.json"
    run_ok = run("example-plan", CASE_IDS[2])
    path.write_text(run_ok.stdout)
    result = run("score", str(path))
    assert result.returncode == 0
    assert "Score: 20 / 20" in result.stdout
    for item in load_checklist().plan_items:
        assert item.name in result.stdout


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        ('{"goal": "x"}', ["--vignette", "no-such-case"], "known ids: "),
        ('{\n "goal": "x",,\n}', ["--vignette", "maya-activation"], "line 2, column"),
        ('{"goal": 5, "colour": 1}', ["--vignette", "maya-activation"], "colour: unknown field"),
        (json.dumps({"summary": "x" * 10_001}), ["--vignette", "maya-activation"], "10,000 characters"),
        ('{"goal": "x"}', [], "no vignette_id"),
        ('[]', ["--vignette", "maya-activation"], "expected a JSON object"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_never_touches_the_file(tmp_path, content, args, expected):
    path = tmp_path / "plan.json"
    path.write_text(content)
    result = run("score", str(path), *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert path.read_text() == content


def test_unknown_vignette_lists_the_known_ids(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{}")
    result = run("score", str(path), "--vignette", "nobody")
    assert all(case_id in result.stderr for case_id in CASE_IDS)


def test_missing_plan_file_and_bad_command_exit_2():
    assert run("score", "/no/such/plan.json", "--vignette", CASE_IDS[0]).returncode == 2
    bad = run("frobnicate")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_vignette_by_path_and_check(tmp_path):
    source = ROOT / "course" / "data" / "vignettes" / f"{CASE_IDS[0]}.yaml"
    result = run("vignettes", "--check", str(source))
    assert result.returncode == 0 and "scores 20/20" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(source.read_text().replace("presenting_problem:", "presenting_problm:"))
    result = run("vignettes", "--check", str(broken))
    assert result.returncode == 2 and "presenting_problm" in result.stderr


def test_deeply_nested_json_is_bad_input_not_a_traceback(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = run("score", str(path), "--vignette", CASE_IDS[0])
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
