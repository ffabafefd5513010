"""Building blocks for the course's nbgrader notebooks (used by tools/build_source.py).

Every cell gets a stable, descriptive nbgrader `grade_id`. Test cells for plan exercises are
generated from the checklist data, so ids, names and points have one source of truth.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.checklist import load_checklist
from course.vignettes import Vignette, get_vignette

EXERCISE_TEXT = Path(__file__).resolve().parents[1] / "modules" / "exercise-text.yaml"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = True,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(grade_id: str, text: str) -> nbformat.NotebookNode:
    """A read-only markdown cell."""
    return new_markdown_cell(_clean(text), metadata=_meta(grade_id))


def code(grade_id: str, source: str) -> nbformat.NotebookNode:
    """A read-only code cell (e.g. one that shows a form)."""
    return new_code_cell(_clean(source), metadata=_meta(grade_id))


def free(source: str = "") -> nbformat.NotebookNode:
    """An ordinary, editable code cell for trying things out (not graded)."""
    return new_code_cell(_clean(source))


def solution(grade_id: str, source: str) -> nbformat.NotebookNode:
    """An autograded answer cell; the part between BEGIN/END SOLUTION is removed in the release."""
    return new_code_cell(_clean(source), metadata=_meta(grade_id, solution=True, locked=False))


def tests(grade_id: str, points: float, source: str) -> nbformat.NotebookNode:
    """An autograder test cell worth `points` (locked; hidden parts between BEGIN/END HIDDEN TESTS)."""
    return new_code_cell(_clean(source), metadata=_meta(grade_id, grade=True, points=points))


def manual(grade_id: str, points: float, prompt_text: str) -> list[nbformat.NotebookNode]:
    """An instructor-graded written answer: a read-only prompt, then the answer cell."""
    return [
        md(f"{grade_id}-prompt", prompt_text),
        new_markdown_cell(exercise_text()["answer_placeholder"], metadata=_meta(grade_id, grade=True, solution=True, locked=False,
                                                             points=points)),
    ]


def exercise_text() -> dict[str, str]:
    """The wording of the cells generated for each directive (modules/exercise-text.yaml)."""
    return yaml.safe_load(EXERCISE_TEXT.read_text(encoding="utf-8"))


def header(title: str, objectives: list[str], minutes: int, basis: str, graded: str) -> nbformat.NotebookNode:
    """The opening cell: title, learning objectives, time estimate (and what it is made of), what is graded."""
    items = "\n".join(f"- {o}" for o in objectives)
    return md("header", exercise_text()["header"].format(title=title, minutes=minutes, basis=basis,
                                                         objectives=items, graded=graded))


def plan_exercise(exercise: str, case_id: str, intro: str) -> list[nbformat.NotebookNode]:
    """A plan exercise: the introduction, the locked form cell, and one test cell per checklist item."""
    case = get_vignette(case_id)
    cells = [
        md(f"{exercise}__intro", intro),
        code(f"{exercise}__form", f'from course.forms import draft_plan\n\nplan = draft_plan("{case_id}", exercise="{exercise}")'),
        md(f"{exercise}__checks-intro", exercise_text()["plan_checks_intro"].format(client=case.client.name)),
    ]
    cells += [plan_test(exercise, case, item.id) for item in load_checklist().plan_items]
    return cells


def plan_test(exercise: str, case: Vignette, item_id: str) -> nbformat.NotebookNode:
    """The test cell for one checklist behaviour of one plan exercise."""
    item = load_checklist().item(item_id)
    doc = f'"""{item.id} ({item.weight} point{"s" if item.weight > 1 else ""}): {item.name.lower()}."""'
    source = f'{doc}\nfrom course.grading import plan_points\n\nplan_points("{exercise}", "{case.id}", "{item.id}")'
    return tests(f"{exercise}__{item.id}", item.weight, source)


def spotting_exercise(exercise: str, case_id: str, intro: str) -> list[nbformat.NotebookNode]:
    """A behaviour-spotting exercise: introduction, the locked form cell, and its test cell."""
    from course.spotting import SpottingAnswers, score_spotting

    case = get_vignette(case_id)
    perfect = {str(i): t.behaviours for i, t in enumerate(case.transcript) if t.behaviours}
    points = score_spotting(SpottingAnswers(vignette_id=case.id, ticks=perfect), case).max
    who = case.title.split(":")[0]
    doc = exercise_text()["spotting_check"].format(points=f"{points:g}", who=who)
    source = (f'"""{doc}"""\n'
              f'from course.grading import spotting_points\n\nspotting_points("{exercise}", "{case_id}")')
    return [
        md(f"{exercise}__intro", intro),
        code(f"{exercise}__form", f'from course.forms import spot_behaviours\n\ncoding = spot_behaviours("{case_id}", exercise="{exercise}")'),
        tests(f"{exercise}__spotting", points, source),
    ]


def concept_exercise(exercise: str, question_id: str) -> list[nbformat.NotebookNode]:
    """A concept check: the locked form cell and its one-point test cell."""
    source = (f'"""Question {question_id} (1 point)."""\nfrom course.grading import concept_points\n\n'
              f'concept_points("{exercise}", "{question_id}")')
    return [
        code(f"{exercise}__form", f'from course.forms import concept_check\n\nconcept_check("{question_id}", exercise="{exercise}")'),
        tests(f"{exercise}__concept", 1, source),
    ]


def review_exercise(exercise: str, case_id: str, intro: str) -> list[nbformat.NotebookNode]:
    """A review-script exercise: introduction, the locked form cell, and its test cell (the `review` item)."""
    item = load_checklist().item("review")
    source = (f'"""review ({item.weight} points): {item.name.lower()}."""\nfrom course.grading import review_points\n\n'
              f'review_points("{exercise}", "{case_id}")')
    return [
        md(f"{exercise}__intro", intro),
        code(f"{exercise}__form", f'from course.forms import review_script\n\nreview = review_script("{case_id}", exercise="{exercise}")'),
        tests(f"{exercise}__review", item.weight, source),
    ]


@dataclass
class NotebookSpec:
    """One assignment notebook: its id and its cells."""

    assignment: str
    cells: list[nbformat.NotebookNode] = field(default_factory=list)

    def build(self) -> nbformat.NotebookNode:
        """The notebook, with kernelspec and unique grade ids checked."""
        ids = [c.metadata["nbgrader"]["grade_id"] for c in self.cells if "nbgrader" in c.metadata]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"{self.assignment}: duplicate grade_ids {duplicates}")
        nb = new_notebook(cells=self.cells, metadata={
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
        })
        for i, cell in enumerate(nb.cells):
            cell.id = f"c{i:03d}"
        return nb
