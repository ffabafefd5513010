"""Instructor-graded rubrics: criteria add up, one anchored answer at every score, and no prompt asks the
trainee to compare with a grade they cannot see before submitting."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course.rubrics import get_rubric, load_rubrics, rubric_markdown

from conftest import ROOT


def test_every_rubric_has_one_anchor_at_each_whole_score():
    rubrics = load_rubrics()
    assert {"01-reflection", "06-interpretation", "capstone-reflection"} <= set(rubrics)
    for rubric in rubrics.values():
        assert [a.score for a in rubric.anchors] == list(range(rubric.points + 1)), rubric.id
        assert sum(c.points for c in rubric.criteria) == rubric.points
        answers = [a.answer for a in rubric.anchors]
        assert len(set(answers)) == len(answers), f"{rubric.id}: each anchor is its own answer"
        for anchor in rubric.anchors:
            assert anchor.why.strip(), f"{rubric.id}: every anchor says why it earns its score"


def test_capstone_reflection_does_not_ask_for_the_unseen_grade():
    rubric = get_rubric("capstone-reflection")
    assert "grade" not in rubric.prompt.lower()
    assert "self-rating" in rubric.prompt.lower()


def test_interpretation_rubric_asks_the_corrected_question():
    text = rubric_markdown("06-interpretation")
    assert "therapist's homework behaviour" in text and "outcomes of the therapist's behaviour" in text
    assert "2023a" in text


def test_anchors_are_for_graders_only_unless_asked_for():
    assert "Anchored examples" not in rubric_markdown("01-reflection")
    assert "Scores 3/3" in rubric_markdown("01-reflection", anchors=True)


@pytest.mark.parametrize("args, code, expected", [
    (["rubrics"], 0, "capstone-reflection"),
    (["rubrics", "capstone-reflection", "--anchors"], 0, "Scores 4/4"),
    (["rubrics", "nope"], 2, "unknown rubric"),
])
def test_rubrics_command(args, code, expected):
    result = subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == code
    assert expected in result.stdout + result.stderr


@pytest.mark.parametrize("module, rubric_id", [("01-why-homework", "01-reflection"),
                                               ("06-research-literacy", "06-interpretation"),
                                               ("07-capstone", "capstone-reflection")])
def test_module_rubrics_are_the_data_file_rubrics(module, rubric_id):
    """The rubric a module shows is the one the anchors score (course/data/rubrics.yaml)."""
    text = " ".join((ROOT / "modules" / f"{module}.md").read_text(encoding="utf-8").split())
    for criterion in get_rubric(rubric_id).criteria:
        assert " ".join(criterion.full.split()) in text, f"{module}: {criterion.full[:60]}"
