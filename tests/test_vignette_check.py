"""`python -m course vignettes --check PATH` teaches: the full report, what the tests enforce, and lint with
field paths and fixes; exit 0 passes, 1 fails, 2 unreadable."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from test_schema_v2_grading import build, case_data

from course.vignette_check import enforced, lint, visible_turns

from conftest import CASE_IDS, ROOT

VIGNETTES = ROOT / "course" / "data" / "vignettes"


def check(path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", "vignettes", "--check", str(path), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_shipped_case_passes_everything_the_tests_enforce(case_id):
    case = build(case_data(case_id))
    broken = [(rule, f) for rule, findings in enforced(case, VIGNETTES / f"{case_id}.yaml") for f in findings]
    assert not broken
    assert not [f for f in lint(case) if f.severity == "error"]


def test_a_shipped_case_gets_the_full_report_with_evidence_and_every_enforced_rule():
    done = check(VIGNETTES / "maya-activation.yaml")
    out = done.stdout
    assert done.returncode == 0, out[-2000:]
    assert "scores 20/20" in out and "read as 2; `--upgrade` rewrites it" in out
    assert out.count("[met]") == 13, "every item, not just the failing ones"
    assert "- goal: " in out and "(a goal of this case)" in out, "evidence"
    for rule in ("task-type ids are in the catalogue", "behaviour ids are checklist ids",
                 "behaviours are labelled only on therapist turns", "the reference plan scores full marks"):
        assert f"[ok] {rule}" in out
    assert "homework_discussion_from: not set" not in out, "maya marks where the homework discussion starts"
    assert "gives away" not in out, "turns after the cut are hidden from the trainee, so they give nothing away"


def test_without_homework_discussion_from_the_fix_names_the_field_and_where_to_cut(tmp_path):
    data = yaml.safe_load((VIGNETTES / "maya-activation.yaml").read_text(encoding="utf-8"))
    cut = data.pop("homework_discussion_from")
    data.pop("voice", None)  # the scripted client needs the cut
    path = tmp_path / "maya-activation.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    flat = " ".join(check(path).stdout.split())
    assert "note homework_discussion_from: not set: the whole transcript was checked" in flat
    assert "fix: add `homework_discussion_from: N` at the top level of the case: N is the index, counting from 0" in flat
    assert f"here probably {cut} (transcript[{cut}])" in flat, "the suggested index is where the case really cuts"
    assert "gives away the reference plan's teach_back" in flat and "set `homework_discussion_from` to this turn's" in flat


def broken_case(tmp_path):
    data = yaml.safe_load((VIGNETTES / "maya-activation.yaml").read_text(encoding="utf-8"))
    data["answer_key"]["task_types"].append("not_a_task_type")
    client_turn = next(i for i, t in enumerate(data["transcript"]) if t["speaker"] != "therapist")
    data["transcript"][client_turn]["behaviours"] = ["framing"]
    data["transcript"][0]["behaviours"] = ["not_a_behaviour"]
    data["constraints"][0]["addressed_by"] += ["the", "!!!", "después de comer"]
    data["answer_key"]["unsafe"].append("mood score")
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, client_turn


def test_a_broken_case_names_each_problem_with_its_field_path_and_a_fix(tmp_path):
    path, client_turn = broken_case(tmp_path)
    done = check(path)
    out = done.stdout
    assert done.returncode == 1, out[-2000:]
    expected = [
        "[FAIL] the file is named after the id", "id: the id is 'maya-activation' but the file is renamed.yaml",
        "[FAIL] task-type ids are in the catalogue", "answer_key.task_types[3]: 'not_a_task_type'",
        "[FAIL] behaviour ids are checklist ids", "transcript[0].behaviours: 'not_a_behaviour'",
        "[FAIL] behaviours are labelled only on therapist turns", f"transcript[{client_turn}].behaviours: turn {client_turn}",
        "answer_key.unsafe[", "'mood score' also matches the reference plan's",
        "'the' is made only of stopwords", "'!!!' has no words the grader reads",
        "'después de comer': letters outside a-z are not read",
    ]
    flat = " ".join(out.split())
    for text in expected:
        assert text in flat, text
    assert flat.count("fix:") >= 8
    assert "The case does not pass." in out


def test_warnings_fail_only_with_strict():
    source = VIGNETTES / "sofia-telephone.yaml"  # "after lunch" is read as just "lunch": a warning
    assert check(source).returncode == 0
    strict = check(source, "--strict")
    assert strict.returncode == 1 and "warning" in strict.stdout


def test_an_unreadable_case_exits_2_with_the_field_path(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((VIGNETTES / "maya-activation.yaml").read_text(encoding="utf-8").replace("modality: ", "modality: x"))
    done = check(bad)
    assert done.returncode == 2 and "modality" in done.stderr


def test_a_cue_with_nothing_to_negate_is_flagged():
    data = case_data("maya-activation")
    data["obstacles"][0]["cues"].append("not")  # only an absence word: nothing left to match
    data["constraints"][0]["breaks"].append("no no")
    found = lint(build(data))
    flagged = {f.path: f.message for f in found if f.severity in {"error", "warning"}}
    assert "nothing for its negation to apply to" in flagged[f"obstacles[0].cues[{len(data['obstacles'][0]['cues']) - 1}]"]
    assert "constraints[0].breaks[" + str(len(data["constraints"][0]["breaks"]) - 1) + "]" in flagged


def test_kind_defaults_that_count_and_those_the_case_contradicts_are_listed():
    data = case_data("maya-activation")
    data["constraints"].append({"id": "privacy", "kind": "privacy", "key": True, "text": "Flatmate reads her things."})
    data["risks"] = [{"id": "isolation", "text": "She is alone most days.", "cues": ["isolated"], "adjustments": ["check-in"]}]
    found = lint(build(data))
    counted = next(f for f in found if f.path.endswith("(privacy)") and f.severity == "note")
    assert "private" in counted.message and "alone" not in counted.message.split(":")[-1].split(", ")
    contradicted = next(f for f in found if f.path.endswith("(privacy)") and "contradicts" in f.message)
    assert "'alone' contradicts this case (risks.isolation names it)" in contradicted.message
    assert contradicted.severity == "note", "nothing to do: the grader already leaves it out"
    assert "`defaults_not_counted`" in counted.fix and "`defaults: false`" in counted.fix


def test_without_a_cut_marker_the_whole_transcript_is_linted():
    data = case_data("kim-alex-couple")
    data.pop("homework_discussion_from", None)
    data.pop("voice", None)
    case = build(data)
    turns, cut_known = visible_turns(case)
    assert turns == list(range(len(case.transcript))) and not cut_known
    giveaways = [f for f in lint(case) if "gives away" in f.message]
    assert giveaways and all(f.path.startswith("transcript[") for f in giveaways)


def test_the_capstone_key_still_earns_full_marks_and_passes_the_check():
    sys.path.insert(0, str(ROOT / "tools"))
    from module_notebook import hidden_key

    from course.grading import exam_case
    from course.scoring import score_plan

    case = exam_case(ROOT / "source" / "07-capstone" / "case.yaml", hidden_key())
    report = score_plan(case.key.reference_plan, case)
    assert report.total == report.max and not report.flags
    assert not [f for f in lint(case) if f.severity == "error"]
