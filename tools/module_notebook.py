"""Turn a parsed module file (tools/module_markdown.py) into its nbgrader notebook spec.

Each directive expands into the same cells, with the same grade ids, as every other exercise of its
kind; names, points and check cells come from the course data (checklist, cases, questions).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import nbformat
from module_markdown import CodeCell, Directive, MarkdownCell, ModuleDoc, ModuleSyntaxError, expand_roles, number
from nbbuild import (
    NotebookSpec,
    code,
    concept_exercise,
    exercise_text,
    free,
    header,
    manual,
    md,
    plan_exercise,
    review_exercise,
    solution,
    spotting_exercise,
    tests,
)

from course.assignments import load_course
from course.checklist import load_checklist
from course.time_estimates import TimeEstimate, hours
from course.vignettes import VignetteError, get_vignette

ROOT = Path(__file__).resolve().parents[1]
CAPSTONE_SOURCE = ROOT / "source" / "07-capstone" / "07-capstone.ipynb"
KEY_PATTERN = re.compile(r"CAPSTONE_KEY = r'''\n(.*?)'''", re.DOTALL)


# Directive -> the exercise kind it must name in course/data/assignments.yaml.
KINDS = {"plan": "plan", "spotting": "spotting", "review": "review", "concept": "concept", "capstone": "plan",
         "self-rating": "self_rating"}


class ModuleBuildError(ModuleSyntaxError):
    """A directive whose values do not match the course data (unknown case, question, behaviour…)."""


def hidden_key() -> str:
    """The capstone's hidden grader data (YAML), from $CAPSTONE_KEY_FILE or the current source notebook.

    The key lives ONLY in the hidden tests of the source notebook; the builder reads it back and re-emits it.
    """
    bootstrap = os.environ.get("CAPSTONE_KEY_FILE")
    if bootstrap:
        return Path(bootstrap).read_text()
    if not CAPSTONE_SOURCE.exists():
        raise SystemExit(f"{CAPSTONE_SOURCE} does not exist yet; set CAPSTONE_KEY_FILE to write it the first time")
    for cell in nbformat.read(CAPSTONE_SOURCE, as_version=4).cells:
        match = KEY_PATTERN.search(cell.source)
        if match:
            return match.group(1)
    raise SystemExit(f"no capstone key found in {CAPSTONE_SOURCE}; set CAPSTONE_KEY_FILE to write it the first time")


def _plural(points: float) -> str:
    return f"{points:g} point{'s' if points != 1 else ''}"


def item_label(item_id: str) -> str:
    """`**3 · Name** (`id`, 2 points)`: a behaviour's number, name and points from the checklist."""
    items = load_checklist().items
    number = next(i for i, item in enumerate(items, 1) if item.id == item_id)
    item = items[number - 1]
    return f"**{number} · {item.name}** (`{item.id}`, {_plural(item.weight)})"


def _flat(text: str) -> str:
    return " ".join(text.split())


def excerpt(value: str) -> str:
    """`case behaviour: quote | quote` as a quote block, each quote checked against the case's coded turns."""
    head, _, quotes_text = value.partition(":")
    parts = head.split()
    if len(parts) != 2 or not quotes_text.strip():
        raise ValueError("write {excerpt}`<case> <behaviour>: <therapist's words> | <more words>`")
    case_id, item_id = parts
    case = get_vignette(case_id)
    load_checklist().item(item_id)
    quotes = [_flat(q) for q in quotes_text.split("|")]
    coded = [_flat(turn.text) for turn in case.transcript if item_id in turn.behaviours]
    for quote in quotes:
        if not any(quote in text for text in coded):
            raise ValueError(f"this excerpt is not in a turn of {case_id} coded {item_id}: {quote!r}; copy the "
                             "therapist's words exactly from the case file")
    who = case.title.split(":")[0].strip()
    said = " … ".join(f"“{q}”" for q in quotes)
    return f"> *{who}* (`{case_id}`), therapist: {said}"


def _band(value: str) -> str:
    from course.simulation import COMPLETION_OUTCOME_BAND

    ends = {"low": COMPLETION_OUTCOME_BAND[0], "high": COMPLETION_OUTCOME_BAND[1]}
    if value not in ends:
        raise ValueError("write {band}`low` or {band}`high`")
    return f"{ends[value]:.2f}"


def _estimate_role(estimates: Mapping[str, TimeEstimate] | None) -> Callable[[str], str]:
    def one(assignment_id: str) -> str:
        if estimates is None:
            return "0"
        if assignment_id not in estimates:
            raise ValueError(f"no module {assignment_id!r}: use an assignment id from course/data/assignments.yaml")
        return str(estimates[assignment_id].minutes)
    return one


def _course_estimate_role(estimates: Mapping[str, TimeEstimate] | None) -> Callable[[str], str]:
    def one(unit: str) -> str:
        optional = {a.id for a in load_course().assignments if a.optional}
        total = sum(e.minutes for a, e in estimates.items() if a not in optional) if estimates else 0
        if unit == "minutes":
            return f"{total:,}"
        if unit == "hours":
            return hours(total)
        raise ValueError("write {course-estimate}`minutes` or {course-estimate}`hours`")
    return one


def _expand_inline(doc: ModuleDoc, line: int, text: str, estimates: Mapping[str, TimeEstimate] | None) -> str:
    roles: dict[str, Callable[[str], str]] = {"item": item_label, "excerpt": excerpt, "band": _band,
                                              "estimate": _estimate_role(estimates),
                                              "course-estimate": _course_estimate_role(estimates)}

    def one(role: str, value: str) -> str:
        try:
            return roles[role](value.strip())
        except (KeyError, StopIteration, ValueError) as exc:
            raise ModuleBuildError(doc.path, line, f"{{{role}}}`{value}`: {_reason(exc)}") from None

    return expand_roles(doc.path, line, text, one)


def _reason(exc: Exception) -> str:
    if isinstance(exc, StopIteration):
        return "no checklist behaviour has this id; see course/data/checklist.yaml"
    text = str(exc.args[0]) if exc.args else str(exc)
    return text


def _string(text: str) -> str:
    """A Python string literal for generated code, in double quotes."""
    return json.dumps(text, ensure_ascii=False)


def _capstone(exercise: str) -> list[nbformat.NotebookNode]:
    key = hidden_key()
    words = exercise_text()
    cells = [
        code(f"{exercise}__form", f'from course.forms import draft_plan\n\nplan = draft_plan("case.yaml", exercise="{exercise}")'),
        md(f"{exercise}__checks-intro", words["capstone_checks_intro"]),
    ]
    for i, item in enumerate(load_checklist().plan_items):
        visible = f'"""{item.id} ({_plural(item.weight)}): {item.name.lower()}."""\nprint({_string(words["capstone_check_note"])})'
        define = ("from course.grading import exam_case, plan_points\n"
                  f"CAPSTONE_KEY = r'''\n{key}'''\nCAPSTONE = exam_case(\"case.yaml\", CAPSTONE_KEY)\n") if i == 0 else (
                  "from course.grading import plan_points\n")
        hidden = f"### BEGIN HIDDEN TESTS\n{define}plan_points(\"{exercise}\", CAPSTONE, \"{item.id}\")\n### END HIDDEN TESTS"
        cells.append(tests(f"{exercise}__{item.id}", item.weight, f"{visible}\n{hidden}"))
    return cells


def _self_rating(exercise: str, plan_exercise_id: str) -> list[nbformat.NotebookNode]:
    words = exercise_text()
    return [
        code(f"{exercise}__form", f'from course.forms import rate_my_plan\n\nrating = rate_my_plan("capstone", exercise="{exercise}")'),
        tests(f"{exercise}__complete", 1,
              f'"""{words["self_rating_check"]}"""\nprint({_string(words["self_rating_note"])})\n'
              "### BEGIN HIDDEN TESTS\nfrom course.grading import self_rating_points\n"
              f'self_rating_points("{exercise}", "{plan_exercise_id}", CAPSTONE)\n### END HIDDEN TESTS'),
    ]


def _code_task_check(doc: ModuleDoc, d: Directive) -> nbformat.NotebookNode:
    """The check cell of one module-06 code task: research_checks says correct, or not yet with a hint,
    and keeps the verdict for the progress page; the hidden part checks against freshly simulated data."""
    from course import research_checks

    try:
        task = int(d.args["task"])
        call = research_checks.TASK_CHECKS[task]
    except (ValueError, KeyError):
        known = ", ".join(str(t) for t in research_checks.TASK_CHECKS)
        raise ModuleBuildError(doc.path, d.line, f"{{code-task}} needs a task number that course/research_checks.py "
                                                 f"checks ({known}), not {d.args['task']!r}") from None
    points = research_checks.TASK_POINTS[task]
    function = call.partition("(")[0]
    doc_line = exercise_text()["code_task_check"].format(task=task, points=_plural(points))
    source = (f'"""{doc_line}"""\nfrom course.research_checks import {function}, show\n\n'
              f'show({call.format(data="data")})\n'
              "### BEGIN HIDDEN TESTS\nfrom course.simulation import simulate_homework_study\n\n"
              f'show({call.format(data="simulate_homework_study(seed=2024)")})\n### END HIDDEN TESTS')
    return tests(f"{d.args['cell']}__tests", points, source)


def _points(doc: ModuleDoc, directive: Directive) -> float:
    try:
        return number(directive.args["points"])
    except ValueError:
        raise ModuleBuildError(doc.path, directive.line, f"the points must be a number, not "
                                                         f"{directive.args['points']!r}") from None


def _directive_cells(doc: ModuleDoc, d: Directive,
                     estimates: Mapping[str, TimeEstimate] | None) -> list[nbformat.NotebookNode]:
    a = d.args
    intro = _expand_inline(doc, d.line, d.intro, estimates) if d.intro else ""
    if d.name == "plan":
        return plan_exercise(a["exercise"], a["case"], intro)
    if d.name == "spotting":
        return spotting_exercise(a["exercise"], a["case"], intro)
    if d.name == "review":
        return review_exercise(a["exercise"], a["case"], intro)
    if d.name == "concept":
        return concept_exercise(a["exercise"], a["question"])
    if d.name == "reflection":
        return manual(a["exercise"], _points(doc, d), intro)
    if d.name == "capstone":
        return _capstone(a["exercise"])
    if d.name == "code-task":
        return [_code_task_check(doc, d)]
    if d.name == "self-rating":
        return _self_rating(a["exercise"], a["plan_exercise"])
    raise ModuleBuildError(doc.path, d.line, f"{{{d.name}}} is not built by this version of the builder")


def _check_directive(doc: ModuleDoc, d: Directive) -> None:
    """The directive names data that exist: its exercise in assignments.yaml, its case, its question."""
    from course.assignments import load_course
    from course.concepts import load_concept_checks

    exercises = {e.id: e for a in load_course().assignments if a.id == doc.assignment for e in a.exercises}
    if d.name == "code-task" and not any(e.kind == "code" for e in exercises.values()):
        raise ModuleBuildError(doc.path, d.line, f"{doc.assignment} lists no code exercise in "
                                                 "course/data/assignments.yaml: add one (kind: code) first")
    exercise = d.args.get("exercise")
    if d.name in KINDS and exercise not in exercises:
        listed = ", ".join(exercises) or "none"
        raise ModuleBuildError(doc.path, d.line, f"exercise {exercise!r} is not listed for {doc.assignment} in "
                                                 f"course/data/assignments.yaml (listed: {listed}); add it there "
                                                 "or correct the spelling")
    wanted = KINDS.get(d.name)
    if wanted and exercises[exercise].kind != wanted:
        raise ModuleBuildError(doc.path, d.line, f"exercise {exercise!r} is a {exercises[exercise].kind} exercise "
                                                 f"in course/data/assignments.yaml, not a {wanted} one: use the "
                                                 f"directive for its kind, or correct the exercise id")
    if "case" in d.args:
        try:
            get_vignette(d.args["case"])
        except VignetteError:
            raise ModuleBuildError(doc.path, d.line, f"no case has the id {d.args['case']!r}: use the `id:` of a "
                                                     "file in course/data/vignettes/ (python -m course vignettes "
                                                     "lists them)") from None
    if d.name == "concept" and d.args["question"] not in load_concept_checks():
        raise ModuleBuildError(doc.path, d.line, f"no concept question has the id {d.args['question']!r}: "
                                                 "see course/data/concepts.yaml")


def module_spec(doc: ModuleDoc, estimates: Mapping[str, TimeEstimate] | None = None) -> NotebookSpec:
    """The notebook spec of one module file. `estimates` (by assignment id) fill the time in its header and
    the {estimate} roles; without them the figures are 0, the first pass of tools/build_source.py."""
    h = doc.header
    own = estimates.get(doc.assignment) if estimates else None
    cells = [header(h["title"], [str(o) for o in h["objectives"]], own.minutes if own else 0,
                    own.describe() if own else "", str(h["graded"]))]
    for block in doc.body:
        if isinstance(block, MarkdownCell):
            cells.append(md(block.name, _expand_inline(doc, block.line, block.text, estimates)))
        elif isinstance(block, CodeCell):
            cells.append(_code_cell(block))
        else:
            _check_directive(doc, block)
            cells += _directive_cells(doc, block, estimates)
    return NotebookSpec(doc.assignment, cells)


def _code_cell(block: CodeCell) -> nbformat.NotebookNode:
    if block.kind == "answer":
        return solution(block.name, block.source)
    if block.kind == "checks":
        return tests(block.name, block.points, block.source)
    return code(block.name, block.source) if block.name else free(block.source)
