"""The case stops where the work starts: plan exercises show the transcript only up to the key moment."""

from __future__ import annotations

import pytest

from course.answers import AnswersFile
from course.assignments import load_course
from course.cli import main
from course.client.transcript import case_markdown, homework_turns, session_turns
from course.forms.plan_form import PlanForm
from course.vignettes import get_vignette, load_vignette_file, vignette_from_data

CAPSTONE = "source/07-capstone/case.yaml"


def capstone_as_graded(root):
    """The capstone with its hidden key: the whole session, marked where the homework discussion starts."""
    import sys

    sys.path.insert(0, str(root / "tools"))
    from module_notebook import hidden_key

    from course.grading import exam_case

    return exam_case(root / CAPSTONE, hidden_key())


def plan_cases(root) -> list:
    """Every case a plan exercise uses (03, 05 and the capstone as the grader sees it)."""
    ids = [e.case for a in load_course().assignments for e in a.exercises if e.kind == "plan"]
    return [capstone_as_graded(root) if i == "case.yaml" else get_vignette(i) for i in ids]


def test_the_published_capstone_holds_nothing_of_the_homework_discussion(root):
    published = load_vignette_file(root / CAPSTONE)
    graded = capstone_as_graded(root)
    assert published.transcript == graded.transcript[: graded.homework_discussion_from]
    text = (root / CAPSTONE).read_text().split("\nvoice:")[0]  # the client's voice answers in its own lines
    for turn in homework_turns(graded):
        assert turn.text[:40] not in text


def test_every_plan_case_marks_where_its_homework_discussion_starts(root):
    cases = plan_cases(root)
    assert len(cases) == sum(e.kind == "plan" for a in load_course().assignments for e in a.exercises)
    for case in cases:
        assert case.homework_discussion_from is not None, case.id
        assert session_turns(case) and homework_turns(case), case.id
        assert session_turns(case) + homework_turns(case) == list(case.transcript)


@pytest.mark.parametrize("index", range(9))
def test_the_trainee_sees_the_key_moment_and_nothing_of_the_homework_discussion(root, index):
    case = plan_cases(root)[index]
    shown = case_markdown(case)
    assert case.takeaway.text in shown
    for turn in session_turns(case):
        assert turn.text in shown
    for turn in homework_turns(case):
        assert turn.text not in shown, (case.id, turn.text[:40])


def test_the_plan_form_shows_only_the_cut_transcript(tmp_path):
    case = get_vignette("maya-activation")
    form = PlanForm(case, AnswersFile(tmp_path / "answers" / "03-maya.json"))
    panel = form.widget.children[2].children[0].value
    assert "I always thought I had to feel better first" in panel
    assert "I&#x27;d say eight" not in panel and "two plates" not in panel.lower()


def test_case_command_prints_the_case_as_markdown(capsys, root):
    assert main(["case", "maya-activation"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Maya") and "## The session's key moment" in out and "I'd say eight" not in out
    assert main(["case", str(root / CAPSTONE)]) == 0
    assert "not a test I can fail" not in capsys.readouterr().out


def test_a_cut_past_the_last_turn_is_named():
    data = get_vignette("maya-activation").model_dump()
    data["homework_discussion_from"] = 40
    with pytest.raises(ValueError, match="homework_discussion_from: 40 is past the last turn"):
        vignette_from_data(data, "maya.yaml")


def test_a_case_without_a_cut_shows_its_whole_transcript():
    data = get_vignette("maya-activation").model_dump(mode="json")
    data["homework_discussion_from"] = None
    case = vignette_from_data(data, "maya.yaml")
    assert session_turns(case) == list(case.transcript)
