"""The behaviour-spotting form driven as a trainee drives it: tick boxes, click Check, read the file."""

from __future__ import annotations

import json

import pytest

from course.checklist import load_checklist
from course.forms.spotting_form import SpottingForm, spot_behaviours
from course.spotting import SpottingAnswers, is_therapist_turn
from course.vignettes import get_vignette

CASE = "aisha-panic"
EXERCISE = f"spot-{CASE}"




def on_disk(folder, exercise=EXERCISE) -> dict:
    return json.loads((folder / "answers" / f"{exercise}.json").read_text(encoding="utf-8"))


def test_ticks_are_saved_at_once_and_come_back_after_a_restart(folder):
    form = spot_behaviours(CASE)
    assert isinstance(form, SpottingForm)
    form.boxes[(6, "rationale")].value = True
    form.boxes[(8, "collaboration")].value = True
    assert on_disk(folder) == {"schema_version": 1, "vignette_id": CASE,
                               "ticks": {"6": ["rationale"], "8": ["collaboration"]}}
    form.boxes[(8, "collaboration")].value = False
    assert on_disk(folder)["ticks"] == {"6": ["rationale"]}
    assert [p.name for p in (folder / "answers").iterdir()] == [f"{EXERCISE}.json"], "no temporary files left"
    restarted = spot_behaviours(CASE)
    assert restarted.answers == form.answers
    assert restarted.boxes[(6, "rationale")].value is True
    assert "loaded" in restarted.autosave.status.value


def test_the_exercise_name_chooses_the_file(folder):
    form = spot_behaviours(CASE, exercise="week-2-spotting", folder=folder / "module")
    form.boxes[(2, "session_link")].value = True
    saved = json.loads((folder / "module" / "answers" / "week-2-spotting.json").read_text())
    assert saved["ticks"] == {"2": ["session_link"]}


def test_only_therapist_turns_get_labelled_checkboxes_one_per_plan_behaviour(folder):
    form = spot_behaviours(CASE)
    case = get_vignette(CASE)
    plan_ids = [item.id for item in load_checklist().plan_items]
    for index, turn in enumerate(case.transcript):
        ids = [item_id for (i, item_id) in form.boxes if i == index]
        assert ids == (plan_ids if is_therapist_turn(turn) else [])
    for (_, item_id), box in form.boxes.items():
        assert box.description == load_checklist().item(item_id).name, "every box has a visible label"


def test_the_review_behaviour_is_offered_only_in_a_review_case(folder):
    assert "review" not in {item_id for _, item_id in spot_behaviours(CASE).boxes}
    assert "review" in {item_id for _, item_id in spot_behaviours("jamal-review").boxes}


def test_every_turn_is_shown_with_its_speaker(folder):
    form = spot_behaviours(CASE)
    html = "".join(child.value for child in _html_children(form.widget))
    assert "Turn 1, therapist:" in html and "Turn 2, client:" in html


def test_check_shows_each_behaviour_with_an_icon_a_word_and_the_explanations(folder):
    form = spot_behaviours(CASE)
    form.boxes[(6, "rationale")].value = True  # a hit
    form.boxes[(8, "safety")].value = True  # a false alarm on a behaviour not in the transcript
    form.check_button.click()
    html = form.feedback.value
    assert "✔</span> all spotted" in html
    assert "✘</span> not spotted" in html
    assert "✘</span> not in this transcript" in html
    assert "Turn 7 shows" in html and "Turn 9 was not coded as" in html
    report = form.check()
    assert f"Score: {report.total:g} of {report.max:g}" in html


def test_a_partly_spotted_behaviour_says_so(folder):
    form = spot_behaviours(CASE)
    form.boxes[(8, "collaboration")].value = True  # collaboration is coded in turns 9 and 11
    form.check()
    assert "◐</span> partly spotted" in form.feedback.value
    assert "Turn 11 also shows" in form.feedback.value


def test_a_change_after_checking_says_the_result_is_out_of_date(folder):
    form = spot_behaviours(CASE)
    form.check()
    form.boxes[(6, "rationale")].value = True
    assert "changed since the last check" in form.feedback.value


def test_an_unreadable_answers_file_is_kept_aside_and_the_trainee_is_told(folder):
    path = folder / "answers" / f"{EXERCISE}.json"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    form = spot_behaviours(CASE)
    assert "could not be read" in form.autosave.status.value
    assert not any(box.value for box in form.boxes.values())
    kept = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{not json"


@pytest.mark.parametrize(
    "data",
    [
        {"schema_version": 1, "vignette_id": "maya-activation", "ticks": {}},
        {"schema_version": 1, "vignette_id": CASE, "ticks": {"6": ["not_a_behaviour"]}},
    ],
)
def test_answers_for_another_case_or_with_unknown_ids_are_kept_aside(folder, data):
    path = folder / "answers" / f"{EXERCISE}.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data), encoding="utf-8")
    form = spot_behaviours(CASE)
    assert "could not be read" in form.autosave.status.value
    assert not path.exists()


def test_an_edit_from_another_tab_is_not_overwritten(folder):
    form = spot_behaviours(CASE)
    form.boxes[(6, "rationale")].value = True
    other = {"schema_version": 1, "vignette_id": CASE, "ticks": {"12": ["specificity"]}}
    (folder / "answers" / f"{EXERCISE}.json").write_text(json.dumps(other), encoding="utf-8")
    form.boxes[(6, "goal_link")].value = True
    assert on_disk(folder) == other
    assert form.autosave.conflict_box.layout.display == "flex"
    form.autosave.load_theirs.click()
    assert form.boxes[(12, "specificity")].value is True and form.boxes[(6, "rationale")].value is False


def test_case_text_is_escaped(folder):
    data = get_vignette(CASE).model_dump(mode="json")
    data["transcript"][0]["text"] = "<script>alert(1)</script> What did you notice?"
    path = folder / "evil.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    form = spot_behaviours(str(path))
    form.boxes[(0, "rationale")].value = True
    form.check()
    html = "".join(child.value for child in _html_children(form.widget)) + form.feedback.value
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- headless (nbgrader) ----------------------------------------------------------------------------
def test_headless_returns_the_saved_answers_and_writes_nothing(folder, monkeypatch):
    form = spot_behaviours(CASE)
    form.boxes[(6, "rationale")].value = True
    before = on_disk(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    answers = spot_behaviours(CASE)
    assert isinstance(answers, SpottingAnswers)
    assert answers.model_dump() == before
    assert [p.name for p in (folder / "answers").iterdir()] == [f"{EXERCISE}.json"]


def test_headless_without_answers_returns_an_empty_set_and_creates_no_folder(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    answers = spot_behaviours(CASE)
    assert answers == SpottingAnswers(vignette_id=CASE)
    assert list(folder.iterdir()) == []


def test_headless_with_an_unreadable_file_returns_an_empty_set_and_moves_nothing(folder, monkeypatch):
    path = folder / "answers" / f"{EXERCISE}.json"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert spot_behaviours(CASE) == SpottingAnswers(vignette_id=CASE)
    assert [p.name for p in path.parent.iterdir()] == [path.name] and path.read_text() == "{not json"


def _html_children(widget):
    """Every HTML widget inside a widget tree."""
    children = getattr(widget, "children", ())
    if hasattr(widget, "value") and isinstance(widget.value, str) and not children:
        yield widget
    for child in children:
        yield from _html_children(child)
