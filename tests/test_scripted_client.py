"""The scripted client answers in character, the grader reads the conversation, and the panel saves it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.answers import AnswersFile
from course.client.engine import MOVES, replay, reply
from course.forms.plan_form import PlanForm, draft_plan, saved_plan
from course.plans import plan_from_data
from course.scoring import score_plan
from course.vignettes import all_vignettes, get_vignette, load_vignette_file

PLAN_CASES = [c.id for c in all_vignettes() if c.voice is not None]
"""Every shipped case with a client's voice (read from the data, so a newly voiced case is tested too)."""
TALK_ITEMS = ("collaboration", "commitment_check", "obstacles")


def sensible(case) -> list[dict]:
    """The conversation the case's reference plan carries (options, rationale, the questions, a revision)."""
    return [turn.model_dump(mode="json") for turn in case.key.reference_plan.conversation]


def careless(case) -> list[dict]:
    """One option that goes against the client's life, no rationale, no teach-back, a rating asked.

    The option uses the first constraint's own `breaks` phrase or, for a constraint written only as
    times the client is unavailable, a time inside the first such window."""
    constraint = next((c for c in case.constraints if c.breaks), None)
    if constraint is not None:
        option = f"You will {constraint.breaks[0]} every day for an hour."
    else:
        window = next(c for c in case.constraints if c.unavailable).unavailable[0]
        days = " and ".join(window.days) if window.days else "every day"
        option = f"You will do it at {window.start} on {days} for an hour."
    return [{"move": "options", "text": option}, {"move": "confidence", "text": ""}]


def with_conversation(case, moves, **changes):
    data = case.key.reference_plan.model_dump(mode="json")
    data.update(conversation=moves, **changes)
    return plan_from_data(data)


@pytest.mark.parametrize("case_id", PLAN_CASES)
def test_a_sensible_conversation_earns_the_points(case_id):
    case = get_vignette(case_id)
    assert case.voice is not None
    report = score_plan(with_conversation(case, sensible(case)), case, conversation_required=True)
    for item in TALK_ITEMS:
        assert report.item(item).status == "met", (item, report.item(item).feedback)
    assert report.total == report.max, [(i.id, i.status) for i in report.items if i.status != "met"]
    state, replies = replay(case, sensible(case))
    assert state.chosen and state.taught_back and state.ratings[-1] >= 7
    assert all(r.said for r in replies)


@pytest.mark.parametrize("case_id", PLAN_CASES)
def test_a_careless_conversation_is_pushed_back_on_and_not_rewarded(case_id):
    case = get_vignette(case_id)
    state, replies = replay(case, careless(case))
    assert any(e.startswith("declined:") for e in replies[0].events), replies[0].text
    assert not state.taught_back
    report = score_plan(with_conversation(case, careless(case)), case, conversation_required=True)
    assert report.item("collaboration").status == "missing"
    assert report.item("commitment_check").status != "met"
    plain = score_plan(with_conversation(case, []), case, conversation_required=True)
    assert plain.item("collaboration").status == "missing" and plain.item("collaboration").outcome == "no_conversation"


def test_maya_declines_a_morning_and_money_in_her_own_voice_and_picks_what_fits():
    case = get_vignette("maya-activation")
    answer = reply(case, [], {"move": "options", "text": "an early morning walk, or a cafe with Tess, or washing up after lunch"})
    assert "Mornings are hopeless for me" in answer.text and "can't spend money" in answer.text
    assert "chose:dishes" in answer.events


def test_confidence_depends_on_dose_and_fit_and_rises_after_a_revision():
    case = get_vignette("maya-activation")
    moves = [{"move": "options", "text": "washing up after lunch or a text to Tess"}]
    assert reply(case, moves, {"move": "confidence"}).rating == 8
    too_big = reply(case, moves, {"move": "confidence", "text": "Washing up for an hour, twice a day?"})
    assert too_big.rating is not None and too_big.rating < 7
    moves.append({"move": "confidence", "text": "Washing up for an hour, twice a day?"})
    revised = reply(case, moves, {"move": "revise", "text": "Just ten minutes, two plates on a bad day"})
    assert revised.rating == 8 and "revised" in revised.events


def test_teach_back_leaves_out_the_why_when_no_rationale_was_given():
    case = get_vignette("maya-activation")
    moves = [{"move": "options", "text": "washing up after lunch or a text to Tess"}]
    without = reply(case, moves, {"move": "teach_back"})
    assert "why_left_out" in without.events and "like Wednesday" not in without.text
    moves.append({"move": "rationale", "text": "You wait to feel like it before you act, so you stay in bed; do it first"})
    assert "like Wednesday" in reply(case, moves, {"move": "teach_back"}).text


def test_each_person_of_a_family_answers_as_themselves():
    case = get_vignette("nguyen-family")
    answer = reply(case, [], {"move": "options", "text": "praise Bao when he gets dressed, or five minutes of play after school"})
    assert {u.speaker for u in answer.said} == {"Linh", "Tuan"}


def test_risk_answers_follow_the_risk_screen_and_name_what_the_task_must_allow_for():
    marcus = reply(get_vignette("marcus-pe"), [], {"move": "risk"})
    assert "safety plan" in marcus.text and "no beer before" in marcus.text.lower()
    assert "risk:passive-si" in marcus.events and "risk:evening-drinking" in marcus.events
    assert "not thinking of hurting myself" in reply(get_vignette("maya-activation"), [], {"move": "risk"}).text


def test_an_obstacle_the_client_raised_that_the_plan_ignores_counts_against_it():
    case = get_vignette("priya-erp")
    moves = sensible(case) + [{"move": "obstacles"}]  # Priya now also raises a child's cold
    report = score_plan(with_conversation(case, moves), case)
    assert report.item("obstacles").status == "partial"
    assert "One of the children catches a cold" in report.item("obstacles").feedback


def test_plain_scoring_and_older_answer_files_score_as_before():
    for case_id in PLAN_CASES:
        case = get_vignette(case_id)
        plain = case.key.reference_plan.model_copy(update={"conversation": []})
        assert score_plan(plain, case).total == score_plan(plain, case).max


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(MOVES)), st.text(max_size=200)), max_size=12),
       st.sampled_from(PLAN_CASES))
def test_any_moves_and_any_words_always_get_an_answer(moves, case_id):
    case = get_vignette(case_id)
    state, replies = replay(case, [{"move": m, "text": t} for m, t in moves])
    assert len(replies) == len(moves)
    assert all(r.said and all(u.text.strip() for u in r.said) for r in replies)
    plan = with_conversation(case, [{"move": m, "text": t} for m, t in moves])
    score_plan(plan, case, conversation_required=True)


def test_the_capstone_client_answers(root):
    case = load_vignette_file(root / "source/07-capstone/case.yaml")
    answer = reply(case, [], {"move": "options", "text": "leave your neck alone for the week, or stop googling at night"})
    assert "chose:hands-off" in answer.events and "turned_down:googling" in answer.events


def test_talk_replays_moves_as_json(tmp_path, root):
    moves = tmp_path / "moves.json"
    moves.write_text(json.dumps(sensible(get_vignette("maya-activation"))))
    out = subprocess.run([sys.executable, "-m", "course", "talk", "maya-activation", "--moves", str(moves), "--json"],
                         capture_output=True, text=True, check=True, cwd=root).stdout
    replies = json.loads(out)
    assert [r["move"] for r in replies][:2] == ["options", "rationale"] and replies[-1]["said"]
    bad = subprocess.run([sys.executable, "-m", "course", "talk", "maya-activation", "--moves", str(tmp_path / "no.json")],
                         capture_output=True, text=True, cwd=root)
    assert bad.returncode == 2 and "file not found" in bad.stderr


def test_the_panel_saves_with_the_plan_and_comes_back_after_a_restart(folder):
    form = draft_plan("maya-activation", exercise="03-maya")
    panel = form.conversation
    assert panel is not None
    panel.move.value, panel.words.value = "options", "washing up after lunch, or a text to Tess"
    answer = panel.make_move()
    assert answer is not None and "dishes" in panel.latest.value
    panel.move.value = "teach_back"
    panel.make_move()
    saved = json.loads((folder / "answers" / "03-maya.json").read_text())
    assert [t["move"] for t in saved["conversation"]] == ["options", "teach_back"]
    again = PlanForm(get_vignette("maya-activation"), AnswersFile(folder / "answers" / "03-maya.json"), conversation=True)
    assert [t.move for t in again.conversation.moves] == ["options", "teach_back"]
    assert "Dishes after lunch" in again.conversation.latest.value
    panel.move.value, panel.words.value = "rationale", ""
    assert panel.make_move() is None and "needs your own words" in panel.latest.value


def test_headless_reads_the_saved_conversation(folder, monkeypatch):
    form = draft_plan("maya-activation", exercise="03-maya")
    form.conversation.words.value = "washing up after lunch, or a text to Tess"
    form.conversation.make_move()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    plan = saved_plan("maya-activation", "03-maya")
    assert [t.move for t in plan.conversation] == ["options"]


def test_nbgrader_reads_the_saved_conversation_headless(tmp_path, root):
    """Real nbgrader autograde: the conversation saved with the plan earns collaboration and
    commitment_check; the same plan typed without a conversation does not, in an exercise with the panel."""
    import shutil

    from nbgrader.api import Gradebook

    from course.nbgrader_run import run_nbgrader

    course = tmp_path / "course"
    shutil.copytree(root / "source" / "03-designing-homework", course / "source" / "03-designing-homework")
    shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
    run_nbgrader(["generate_assignment", "03-designing-homework", "--force"], course)
    submission = course / "submitted" / "trainee" / "03-designing-homework"
    shutil.copytree(course / "release" / "03-designing-homework", submission)
    (submission / "answers").mkdir()
    talked = get_vignette("maya-activation").key.reference_plan.model_dump(mode="json")
    typed = get_vignette("priya-erp").key.reference_plan.model_dump(mode="json")
    typed["conversation"] = []
    (submission / "answers" / "03-maya.json").write_text(json.dumps(talked))
    (submission / "answers" / "03-priya.json").write_text(json.dumps(typed))
    run_nbgrader(["autograde", "03-designing-homework"], course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grades = {g.name: (g.score, g.max_score) for nb in gb.find_submission("03-designing-homework", "trainee").notebooks
                  for g in nb.grades}
    for item in ("collaboration", "commitment_check"):
        assert grades[f"03-maya__{item}"][0] == grades[f"03-maya__{item}"][1] > 0
        assert grades[f"03-priya__{item}"][0] == 0
    assert grades["03-priya__rationale"][0] == grades["03-priya__rationale"][1]


def test_a_voice_that_does_not_fit_its_case_is_named_and_a_case_without_one_still_loads():
    from course.vignettes import VignetteError, vignette_from_data

    data = get_vignette("maya-activation").model_dump(mode="json")
    data["voice"]["obstacles"]["rain"] = "If it rains I won't go."
    data["voice"]["options"][0]["says"] = [{"speaker": "Owen", "text": "Fine."}]
    with pytest.raises(VignetteError) as error:
        vignette_from_data(data, "maya.yaml")
    assert "voice.obstacles.rain: no obstacle with this id" in str(error.value)
    assert "speaker 'Owen'" in str(error.value)
    data = get_vignette("maya-activation").model_dump(mode="json")
    data.pop("voice")
    assert vignette_from_data(data, "maya.yaml").voice is None


def test_talk_in_the_terminal(root):
    typed = "1\nwashing up after lunch, or a text to Tess\n7\n\n"
    out = subprocess.run([sys.executable, "-m", "course", "talk", "maya-activation"], input=typed,
                         capture_output=True, text=True, check=True, cwd=root).stdout
    assert "I know I can do the dishes" in out and "Dishes after lunch" in out


def test_a_raised_obstacle_is_met_by_the_plan_obstacle_that_names_it():
    """Robin's plan meets lying awake with an if-then about the den: the obstacle it names counts as
    met, though 'lie in' and 'the den' also match other obstacles; without it, the raised obstacle counts against."""
    case = get_vignette("robin-sleep-window")
    moves = sensible(case)
    assert [m["move"] for m in moves].count("obstacles") == 3
    report = score_plan(with_conversation(case, moves), case, conversation_required=True)
    assert report.item("obstacles").status == "met", report.item("obstacles").feedback
    kept = [o for o in case.key.reference_plan.model_dump(mode="json")["obstacles"] if "awake" not in o["obstacle"].lower()]
    report = score_plan(with_conversation(case, moves, obstacles=kept), case, conversation_required=True)
    assert report.item("obstacles").status == "partial"
    assert "Lying awake in bed" in report.item("obstacles").feedback


def test_every_case_with_a_reference_plan_has_a_voice_a_cut_and_a_reference_conversation():
    """Issue 13: each case needs its client's voice; the tests above then cover it automatically."""
    for case in all_vignettes():
        if case.answer_key is None or case.answer_key.reference_plan is None:
            continue
        assert case.voice is not None, f"{case.id} has no voice"
        assert case.homework_discussion_from is not None, f"{case.id} shows its whole transcript"
        moves = [t.move for t in case.key.reference_plan.conversation]
        assert {"options", "rationale", "obstacles", "teach_back", "confidence", "risk"} <= set(moves), case.id


@pytest.mark.parametrize("case_id", PLAN_CASES)
def test_each_voice_turns_something_down_and_raises_every_obstacle_the_plan_meets(case_id):
    """A voice is more than default lines: it turns an option or a time down in its own words and
    raises, when asked, the obstacles the reference plan has if-thens for."""
    case = get_vignette(case_id)
    voice = case.voice
    assert any(not o.accepts for o in voice.options) or voice.constraints, case_id
    state, replies = replay(case, sensible(case))
    said = " ".join(r.text for r in replies)
    assert not any(line in said for line in ("Sorry, I'm not sure what you mean", "I'd have to think about when")), said
    assert state.raised, "the reference conversation asks what might get in the way"


def test_the_client_reads_minutes_a_day_like_the_grader_meals_are_not_extra_time():
    """Jess's six meals are not "too big" for her (regular eating adds no time); the same minutes as an
    added activity are, and her low rating then costs the commitment check."""
    from course.scoring import score_plan

    case = get_vignette("jess-regular-eating")
    ref = case.key.reference_plan
    status = lambda plan: next(i.status for i in score_plan(plan, case, conversation_required=True).items  # noqa: E731
                               if i.id == "commitment_check")
    assert status(ref) == "met"
    assert status(ref.model_copy(update={"task_type": "activity_scheduling"})) != "met"
