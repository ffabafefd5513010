"""Module 07: the capstone, a case the trainee has not seen.

The published case is source/07-capstone/case.yaml (no answer key). The answer key and the
grader-only cue lists live ONLY in the hidden tests of the source notebook: this spec reads them back
from the current source notebook (or, when first writing it, from $CAPSTONE_KEY_FILE) and re-emits them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
from nbbuild import NotebookSpec, code, header, manual, md, tests

from course.checklist import load_checklist

EXERCISE = "07-capstone"
SELF = "07-capstone-self"
SOURCE = Path(__file__).resolve().parents[2] / "source" / "07-capstone" / "07-capstone.ipynb"
KEY_PATTERN = re.compile(r"CAPSTONE_KEY = r'''\n(.*?)'''", re.DOTALL)


def hidden_key() -> str:
    """The hidden grader data (YAML), from the bootstrap file or the existing source notebook."""
    bootstrap = os.environ.get("CAPSTONE_KEY_FILE")
    if bootstrap:
        return Path(bootstrap).read_text()
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} does not exist yet; set CAPSTONE_KEY_FILE to write it the first time")
    for cell in nbformat.read(SOURCE, as_version=4).cells:
        match = KEY_PATTERN.search(cell.source)
        if match:
            return match.group(1)
    raise SystemExit(f"no capstone key found in {SOURCE}; set CAPSTONE_KEY_FILE to write it the first time")


def _test_cell(item, first: bool, key: str):
    visible = (f'"""{item.id} ({item.weight} point{"s" if item.weight > 1 else ""}): {item.name.lower()}."""\n'
               'print("This behaviour is scored by your instructor\'s checks when the capstone is graded.")')
    define = ("from course.grading import exam_case, plan_points\n"
              f"CAPSTONE_KEY = r'''\n{key}'''\nCAPSTONE = exam_case(\"case.yaml\", CAPSTONE_KEY)\n") if first else (
              "from course.grading import plan_points\n")
    hidden = f"### BEGIN HIDDEN TESTS\n{define}plan_points(\"{EXERCISE}\", CAPSTONE, \"{item.id}\")\n### END HIDDEN TESTS"
    return tests(f"{EXERCISE}__{item.id}", item.weight, f"{visible}\n{hidden}")


def spec() -> NotebookSpec:
    key = hidden_key()
    items = load_checklist().plan_items
    cells = [
        header(
            "07 · Capstone: a case you have not seen",
            [
                "design a complete between-session plan for a new client on your own",
                "write the client's summary and print their handout",
                "rate your own plan against the checklist and compare with the grade",
                "reflect on what you would do differently in the room",
            ],
            120,
            "the plan (20 points, one check per behaviour, run by your instructor), completing your self-rating "
            "(1 point) and a written reflection graded by your instructor (4 points).",
        ),
        md("rules", """
            ## How the capstone differs

            This is an exam case. The form saves as you type, as before, but there is **no automatic feedback
            and no expert plan**: your instructor's grading scores the plan on every checklist behaviour. Work
            from the case the way you would in supervision: read it, draft, revise, then rate your own plan.
        """),
        code(f"{EXERCISE}__form", f'from course.forms import draft_plan\n\nplan = draft_plan("case.yaml", exercise="{EXERCISE}")'),
        md(f"{EXERCISE}__checks-intro", """
            #### The graded checks

            One cell per checklist behaviour. In your copy they only print a note; when your instructor grades
            the capstone, each one scores your saved plan.
        """),
        *[_test_cell(item, i == 0, key) for i, item in enumerate(items)],
        md("self-rating-intro", """
            ## Rate your own plan

            For each behaviour, choose how well your plan shows it. Rating every behaviour earns a point; the
            graded feedback then shows where your rating and the grade agree, which is the useful part.
        """),
        code(f"{SELF}__form", f'from course.forms import rate_my_plan\n\nrating = rate_my_plan("capstone", exercise="{SELF}")'),
        tests(f"{SELF}__complete", 1,
              '"""Self-rating (1 point): every behaviour rated; the feedback compares it with the grade."""\n'
              'print("Scored when your instructor grades the capstone: rating every behaviour earns the point.")\n'
              "### BEGIN HIDDEN TESTS\nfrom course.grading import self_rating_points\n"
              f'self_rating_points("{SELF}", "{EXERCISE}", CAPSTONE)\n### END HIDDEN TESTS'),
        *manual("07-reflection", 4, """
            ## Reflection (instructor-graded, 4 points)

            In 200 to 300 words: which two behaviours were hardest to get into *this* plan, what would you say
            to the client in the room to achieve them, and where did your self-rating and the grade disagree
            and why?

            **For the grader** (one point each):
            1. Names two specific behaviours from the checklist and ties each to details of this case.
            2. Gives plausible words or actions for the room (collaborative, non-blaming, in plain language).
            3. Discusses at least one disagreement between self-rating and grade, or explains a close match.
            4. Shows judgement about what the checklist cannot capture (tone, timing, the relationship).
        """),
    ]
    return NotebookSpec("07-capstone", cells)
