"""Each module's time estimate comes from one function over its built notebook and the stated rates,
and the figures in the headers and in 00's overview are that function's figures."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course import time_estimates as te
from course.assignments import load_course
from course.concepts import get_question
from course.vignettes import get_vignette

from conftest import ROOT

COURSE = load_course()
TIME = re.compile(r"\*\*Time:\*\* about (\d+) minutes \(an estimate: (.*)\)\.")


def _source(assignment_id: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "source" / assignment_id / f"{assignment_id}.ipynb", as_version=4)


def test_words_are_runs_of_letters_not_figures_or_markdown():
    assert te.count_words("## 3 · Maya's **plan**: 20 points, r = .26 (Ryum, 2023) | --- |") == 5
    assert te.count_words("an if–then, a try-out, 1,085 minutes") == 5


def test_reading_is_words_over_the_stated_rate_and_work_is_the_stated_minutes():
    rates = te.rates()
    nb = new_notebook(cells=[
        new_markdown_cell(" ".join(["word"] * 300)),
        new_code_cell('concept_check("m01-what-is-bsh", exercise="01-what-is-bsh")'),
        new_code_cell('coding = spot_behaviours("kim-alex-couple", exercise="02-spot-kim-alex")'),
    ])
    estimate = te.estimate_notebook(nb)
    question = get_question("m01-what-is-bsh")
    question_words = te.count_words(question.prompt) + sum(
        te.count_words(o.text) + te.count_words(o.explanation) for o in question.options)
    case = get_vignette("kim-alex-couple")
    transcript_words = te.count_words(" ".join(t.text for t in case.transcript))
    assert estimate.words == 300 + question_words + transcript_words
    assert estimate.words_per_minute == rates["reading_words_per_minute"] == 150
    therapist_turns = sum(t.speaker == "therapist" for t in case.transcript)
    spotting = rates["work"]["spotting"]
    assert [(w.kind, w.count, w.minutes) for w in estimate.work] == [
        ("spotting", 1, spotting["therapist_turn"] * therapist_turns + spotting["feedback"]),
        ("concept", 1, rates["work"]["concept"]["question"]),
    ]
    raw = estimate.words / 150 + sum(w.minutes for w in estimate.work)
    assert estimate.minutes % 5 == 0 and abs(estimate.minutes - raw) <= 2.5


def test_the_estimate_follows_the_rates_file(monkeypatch):
    nb = new_notebook(cells=[new_markdown_cell(" ".join(["word"] * 1500))])
    assert te.estimate_notebook(nb).minutes == 10
    slower = {**te.rates(), "reading_words_per_minute": 100}
    monkeypatch.setattr(te, "rates", lambda: slower)
    assert te.estimate_notebook(nb).minutes == 15


def test_rounding_is_to_the_nearest_five_minutes_and_never_zero():
    assert te.TimeEstimate(0, 150, ()).minutes == 5
    assert te.TimeEstimate(150 * 12, 150, ()).minutes == 10
    assert te.TimeEstimate(150 * 13, 150, ()).minutes == 15


@pytest.mark.parametrize("assignment", [a.id for a in COURSE.assignments])
def test_each_header_shows_the_estimate_of_its_own_built_notebook(assignment):
    nb = _source(assignment)
    shown = TIME.search(nb.cells[0].source)
    assert shown, nb.cells[0].source
    estimate = te.estimate_notebook(nb, ROOT / "source" / assignment)
    assert (int(shown.group(1)), shown.group(2)) == (estimate.minutes, estimate.describe())


def test_the_overview_in_00_lists_every_module_estimate_and_their_total():
    overview = "\n".join(c.source for c in _source("00-start-here").cells)
    minutes = {}
    for assignment in COURSE.assignments:
        header = TIME.search(_source(assignment.id).cells[0].source)
        minutes[assignment.id] = int(header.group(1))
        number = assignment.id[:2]
        assert re.search(rf"\| {number} [^|]+\|[^|]+\| {minutes[assignment.id]} min \|", overview), assignment.id
    total = sum(m for a, m in minutes.items() if not COURSE.assignment(a).optional)  # a case library is extra
    assert f"about {total:,} minutes: about {te.hours(total)} hours" in overview
