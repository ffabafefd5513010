"""Vignette schema v2: v1 files load (migrated in memory), `--upgrade` rewrites one file keeping the
original, and trainees' saved answers from before the change keep working."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from course.answers import answers_path
from course.plans import Plan, plan_from_data
from course.spotting import SpottingAnswers, score_spotting
from course.vignette_upgrade import upgrade_vignette_file
from course.vignettes import (
    VIGNETTE_SCHEMA_VERSION,
    VignetteError,
    load_vignette_file,
    upgrade_vignette_data,
    vignette_from_data,
)

from conftest import CASE_IDS, ROOT

VIGNETTES = ROOT / "course" / "data" / "vignettes"
# Cases still written in schema v1 (the original library); cases written since are v2 and need no upgrade.
V1_CASE_IDS = [c for c in CASE_IDS
               if yaml.safe_load((VIGNETTES / f"{c}.yaml").read_text(encoding="utf-8")).get("schema_version", 1) == 1]


def shipped(case_id: str) -> dict:
    return yaml.safe_load((VIGNETTES / f"{case_id}.yaml").read_text(encoding="utf-8"))


def test_a_v1_file_loads_as_v2_with_its_meaning_kept():
    raw = shipped("farid-interpreter")
    assert raw["schema_version"] == 1 and isinstance(raw["answer_key"]["summary_access"], list)
    case = vignette_from_data(raw, "farid")
    assert case.schema_version == VIGNETTE_SCHEMA_VERSION == 2
    assert case.key.summary_access.any_of == raw["answer_key"]["summary_access"]
    assert case.key.summary_access.all_of == []
    assert case.key.reference_plan.schema_version == 2


def test_an_unknown_schema_version_is_named():
    raw = {**shipped("maya-activation"), "schema_version": 7}
    with pytest.raises(VignetteError, match="schema_version"):
        vignette_from_data(raw, "maya")


@pytest.mark.parametrize("case_id", V1_CASE_IDS)
def test_upgrade_keeps_the_original_and_means_what_the_in_memory_migration_means(tmp_path, case_id):
    original = (VIGNETTES / f"{case_id}.yaml").read_text(encoding="utf-8")
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(original, encoding="utf-8")
    result = upgrade_vignette_file(path)
    assert result.changed and result.kept_layout, result.message
    assert result.backup == tmp_path / f"{case_id}.yaml.v1.bak"
    assert result.backup.read_text(encoding="utf-8") == original
    rewritten = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert rewritten["schema_version"] == 2
    assert rewritten == upgrade_vignette_data(yaml.safe_load(original))
    assert load_vignette_file(path) == load_vignette_file(VIGNETTES / f"{case_id}.yaml")  # the same case either way
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    kept = path.read_text(encoding="utf-8")
    assert all(line in kept for line in comments)


def test_upgrade_twice_does_nothing_the_second_time(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text((VIGNETTES / "maya-activation.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    upgrade_vignette_file(path)
    before = path.read_text(encoding="utf-8")
    again = upgrade_vignette_file(path)
    assert not again.changed and "nothing to do" in again.message
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "case.yaml.v1.bak"]


def test_upgrade_of_a_block_list_and_a_second_backup(tmp_path):
    text = (VIGNETTES / "farid-interpreter.yaml").read_text(encoding="utf-8")
    flow = next(line for line in text.splitlines() if "summary_access:" in line)
    items = yaml.safe_load(flow.strip())["summary_access"]
    block = "  summary_access:  # what Farid can use\n" + "".join(f"    - {json.dumps(i)}\n" for i in items)
    path = tmp_path / "farid.yaml"
    path.write_text(text.replace(flow + "\n", block), encoding="utf-8")
    (tmp_path / "farid.yaml.v1.bak").write_text("an older backup", encoding="utf-8")
    result = upgrade_vignette_file(path)
    assert result.kept_layout and result.backup.name == "farid.yaml.v1.bak.1"
    assert "# what Farid can use" in path.read_text(encoding="utf-8")
    assert load_vignette_file(path).key.summary_access.any_of == items
    assert (tmp_path / "farid.yaml.v1.bak").read_text(encoding="utf-8") == "an older backup"


def test_upgrade_refuses_a_file_that_would_not_load_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "broken.yaml"
    text = (VIGNETTES / "maya-activation.yaml").read_text(encoding="utf-8").replace("presenting_problem:", "presenting_problm:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VignetteError, match="presenting_problm"):
        upgrade_vignette_file(path)
    assert path.read_text(encoding="utf-8") == text
    assert list(tmp_path.iterdir()) == [path]


def test_upgrade_from_the_command_line(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text((VIGNETTES / "okafor-video.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "course", "vignettes", "--upgrade", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "upgraded to schema version 2" in done.stdout
    assert (tmp_path / "case.yaml.v1.bak").exists()
    missing = subprocess.run([sys.executable, "-m", "course", "vignettes", "--upgrade", str(tmp_path / "none.yaml")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_an_exam_key_in_the_old_list_form_still_loads_beside_a_v2_case():
    raw = upgrade_vignette_data(shipped("farid-interpreter"))
    raw["answer_key"]["summary_access"] = ["Dari audio"]
    assert vignette_from_data(raw, "exam").key.summary_access.any_of == ["Dari audio"]


# -- exam cases: spotting labels the trainee does not see -----------------------------------------
def _exam_copy(case_id: str) -> dict:
    raw = upgrade_vignette_data(shipped(case_id))
    labels = [{"turn": i, "behaviours": t["behaviours"]} for i, t in enumerate(raw["transcript"]) if t.get("behaviours")]
    for turn in raw["transcript"]:
        turn.pop("behaviours", None)
    raw["use"] = "exam"
    raw["answer_key"]["spotting"] = labels
    return raw


def test_exam_spotting_labels_live_in_the_key_and_score_as_turn_labels_did():
    public = vignette_from_data(upgrade_vignette_data(shipped("maya-activation")), "maya")
    exam = vignette_from_data(_exam_copy("maya-activation"), "exam")
    assert exam.spotting_labels() == public.spotting_labels() != {}
    ticks = {str(i): list(ids) for i, ids in public.spotting_labels().items()}
    answers = SpottingAnswers(vignette_id="maya-activation", ticks=ticks)
    assert score_spotting(answers, exam).total == score_spotting(answers, public).total > 0
    published = {k: v for k, v in _exam_copy("maya-activation").items() if k != "answer_key"}
    assert vignette_from_data(published, "published exam").spotting_labels() == {}


def test_an_exam_case_with_labels_on_its_turns_is_refused():
    raw = upgrade_vignette_data(shipped("maya-activation"))
    raw["use"] = "exam"
    with pytest.raises(VignetteError, match="answer_key.spotting"):
        vignette_from_data(raw, "exam")
    raw = _exam_copy("maya-activation")
    raw["answer_key"]["spotting"].append({"turn": 99, "behaviours": ["framing"]})
    with pytest.raises(VignetteError, match="turn 99"):
        vignette_from_data(raw, "exam")


# -- trainees' saved answers from before the change ---------------------------------------------
TODAYS_PLAN_FILE = {  # exactly what the plan form wrote before schema 2 (schema_version 1, no `confidences`)
    "schema_version": 1, "vignette_id": "kim-alex-couple", "collaboration": {"options_offered": "A or B",
    "client_choice": "Kim chose A", "client_words": "I'd rather talk on Sunday"}, "goal": "Feel like a team again",
    "task": "One speaker-listener turn of ten minutes on Sunday at 17:00.", "confidence": 8,
    "obstacles": [{"obstacle": "Mia wakes", "if_then": "If Mia wakes, then we pause and start again after."}],
}


def test_a_plan_saved_in_todays_format_is_migrated_when_read(folder):
    from course.forms.plan_form import saved_plan

    path = answers_path("03-kim", folder)
    path.parent.mkdir(parents=True)
    raw = json.dumps(TODAYS_PLAN_FILE, indent=2) + "\n"
    path.write_text(raw, encoding="utf-8")
    plan = saved_plan("kim-alex-couple", "03-kim", folder)
    assert plan.schema_version == 2 and plan.confidences == {}
    assert plan.task == TODAYS_PLAN_FILE["task"] and plan.confidence == 8
    assert plan.obstacles[0].if_then.startswith("If Mia wakes")
    assert path.read_text(encoding="utf-8") == raw, "reading migrates in memory; the trainee's file is not rewritten"


def test_the_graded_path_reads_a_saved_v1_plan(folder, capsys):
    from course.grading import plan_points

    path = answers_path("03-kim", folder)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(TODAYS_PLAN_FILE), encoding="utf-8")
    assert plan_points("03-kim", "kim-alex-couple", "commitment_check", folder) == 0.5  # rating, no teach-back
    said = capsys.readouterr().out
    assert "could not be read" not in said and "has problems" not in said


def test_a_v2_plan_keeps_each_persons_confidence_and_refuses_a_bad_one():
    plan = plan_from_data({**TODAYS_PLAN_FILE, "schema_version": 2, "confidences": {"Kim": 8, "Alex": 6}})
    assert plan.confidences == {"Kim": 8, "Alex": 6}
    with pytest.raises(ValueError, match="confidences"):
        plan_from_data({**TODAYS_PLAN_FILE, "confidences": {"Alex": 11}})
    assert Plan().schema_version == 2


def test_spotting_answers_saved_today_score_the_same_on_the_migrated_case(folder):
    from course.grading import spotting_points

    case = vignette_from_data(shipped("sofia-telephone"), "sofia")
    ticks = {str(i): list(ids) for i, ids in case.spotting_labels().items()}
    path = answers_path("02-sofia", folder)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": 1, "vignette_id": case.id, "ticks": ticks}), encoding="utf-8")
    answers = SpottingAnswers.model_validate(json.loads(path.read_text(encoding="utf-8")))
    assert spotting_points("02-sofia", case, folder) == score_spotting(answers, case).max > 0


@pytest.mark.parametrize("case_id", sorted(set(CASE_IDS) - set(V1_CASE_IDS)))
def test_upgrading_a_case_already_in_v2_changes_nothing(tmp_path, case_id):
    """A case written in v2 is left alone, with a message that says so, and no backup beside it."""
    path = tmp_path / f"{case_id}.yaml"
    path.write_text((VIGNETTES / f"{case_id}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = upgrade_vignette_file(path)
    assert not result.changed and "already schema version 2" in result.message
    assert not list(tmp_path.glob("*.bak"))
