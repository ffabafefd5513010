"""The modules' Markdown files (modules/*.md): they build source/ exactly, the build is a fixed point,
and an author's mistake is reported with the file, the line and what to do."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from course.assignments import load_course
from course.checklist import load_checklist

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import build_source  # noqa: E402
from module_markdown import ModuleSyntaxError, parse_module  # noqa: E402
from module_notebook import module_spec  # noqa: E402

COURSE = load_course()
HEADER = """---
title: "03 · A test module"
objectives:
  - do one thing
graded: nothing
---
"""


def _write(tmp_path: Path, body: str, name: str = "03-designing-homework.md") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _build(path: Path):
    return module_spec(parse_module(path)).build()


def test_every_assignment_has_a_module_file_and_python_holds_no_module_text():
    for assignment in COURSE.assignments:
        assert build_source.module_file(assignment.id).exists(), f"modules/{assignment.id}.md is missing"
    assert not (ROOT / "tools" / "modules").exists()
    for path in (ROOT / "tools").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not node.value.lstrip().startswith("## "), f"{path.name} holds a notebook heading"


@pytest.mark.parametrize("assignment", [a.id for a in COURSE.assignments])
def test_each_module_file_builds_exactly_the_committed_source_notebook(assignment):
    spec = build_source.specs()[assignment]
    committed = ROOT / "source" / assignment / f"{assignment}.ipynb"
    assert build_source.notebook_text(spec.build()) == committed.read_text(), "run python tools/build_source.py"


def test_the_build_is_a_fixed_point_and_leaves_the_module_files_alone():
    before = {p: p.read_bytes() for p in (ROOT / "modules").iterdir()}
    first = {k: build_source.notebook_text(s.build()) for k, s in build_source.specs().items()}
    second = {k: build_source.notebook_text(s.build()) for k, s in build_source.specs().items()}
    assert first == second
    assert before == {p: p.read_bytes() for p in (ROOT / "modules").iterdir()}
    assert build_source.main(["--check"]) == 0


def test_directives_expand_into_the_same_cells_and_grade_ids_as_every_exercise_of_their_kind(tmp_path):
    path = _write(tmp_path, """
+++ why
## Why

Some prose with {item}`goal_link` in it.

+++
## Case 1 · Maya

Plan with her.

{plan}`03-maya maya-activation`

```{code-cell}
# a free cell
```
""")
    nb = _build(path)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids[:5] == ["header", "why", "03-maya__intro", "03-maya__form", "03-maya__checks-intro"]
    assert "03-maya__goal_link" in ids and "03-maya__safety" in ids
    goal_link = load_checklist().item("goal_link")
    assert f"**1 · {goal_link.name}** (`goal_link`, {goal_link.weight} points)" in nb.cells[1].source
    assert nb.cells[2].source == "## Case 1 · Maya\n\nPlan with her."
    assert nb.cells[-1].source == "# a free cell" and "nbgrader" not in nb.cells[-1].metadata


MISTAKES = [
    # (body, line of the mistake, words the message must contain); the body starts on line 8
    ("+++ a\nText.\n\n{plna}`03-maya maya-activation`\n", 11, ["unknown directive {plna}", "Did you mean {plan}?"]),
    ("+++\nIntro.\n\n{plan}`03-maya`\n", 11, ["{plan} takes 2 value(s)", "<exercise> <case>"]),
    ("+++\nIntro.\n\n{plan}`03-maya no-such-case`\n", 11, ["no case has the id 'no-such-case'"]),
    ("+++\nIntro.\n\n{plan}`03-mya maya-activation`\n", 11, ["exercise '03-mya' is not listed", "assignments.yaml"]),
    ("+++\nIntro.\n\n{review}`03-maya maya-activation`\n", 11, ["is a plan exercise", "not a review one"]),
    ("+++\nSome text with no name.\n", 9, ["needs a cell name", "+++ some-name"]),
    ("+++ intro\nIntro.\n\n{plan}`03-maya maya-activation`\n", 8, ["introduction", "write '+++' without 'intro'"]),
    ("+++\nIntro.\n\n{plan}`03-maya maya-activation`\n\nMore text.\n", 13, ["starts a new cell"]),
    ("+++ a\nText.\n{plan}`03-maya maya-activation`\n", 9, ["{plan} is an exercise directive", "line of its own"]),
    ("+++ a\nText.\n+++ a\nMore.\n", 11, ["used twice"]),
    ("+++ a\nSee {item}`goal_lnk`.\n", 9, ["{item}`goal_lnk`", "no checklist behaviour"]),
    ("+++ a\nText.\n\n{concept}`03-maya`\n", 11, ["{concept} takes 2 value(s)"]),
    ("+++ a\nText.\n\n```{answer}\nx = 1\n```\n", 11, ["```{answer} grade-id"]),
    ("```{code-cell}\nx = 1\n```\n", 8, ["start the first cell with a line '+++ some-name'"]),
    ("+++ a\nText.\n\n```{code-sell}\nx = 1\n```\n", 11, ["unknown code block {code-sell}", "Did you mean"]),
]


@pytest.mark.parametrize(("body", "line", "words"), MISTAKES, ids=[m[2][0][:30] for m in MISTAKES])
def test_a_mistake_names_the_file_the_line_and_what_to_do(tmp_path, body, line, words):
    path = _write(tmp_path, "\n" + body)
    with pytest.raises(ModuleSyntaxError) as caught:
        _build(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: "), message
    for word in words:
        assert word in message, message


def test_an_unknown_concept_question_is_named(tmp_path):
    path = _write(tmp_path, "\n+++ a\nText.\n\n{concept}`04-why-review m04-no-such-question`\n",
                  name="04-reviewing-homework.md")
    with pytest.raises(ModuleSyntaxError, match=r"line 11: no concept question has the id 'm04-no-such-question'"):
        _build(path)


def test_a_broken_header_is_reported_on_its_line(tmp_path):
    path = tmp_path / "03-designing-homework.md"
    path.write_text("---\ntitle: A: B\nobjectives: [x]\ngraded: y\n---\n+++ a\nText.\n")
    with pytest.raises(ModuleSyntaxError, match=r"line 2: the header is not valid YAML"):
        parse_module(path)
    path.write_text("---\ntitle: T\nobjectives: [x]\n---\n+++ a\nText.\n")
    with pytest.raises(ModuleSyntaxError, match="add graded"):
        parse_module(path)


def test_the_builder_reports_a_typo_and_writes_nothing(tmp_path, monkeypatch, capsys):
    modules = tmp_path / "modules"
    modules.mkdir()
    for p in (ROOT / "modules").iterdir():
        (modules / p.name).write_bytes(p.read_bytes())
    broken = modules / "04-reviewing-homework.md"
    lines = broken.read_text().splitlines()
    n = next(i for i, text in enumerate(lines) if text.startswith("{concept}"))
    lines[n] = lines[n].replace("{concept}", "{concpet}")
    broken.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(build_source, "MODULES", modules)
    assert build_source.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert f"04-reviewing-homework.md, line {n + 1}: unknown directive {{concpet}}. Did you mean {{concept}}?" in err


def test_module_06_code_task_checks_are_worth_what_assignments_yaml_says_and_call_research_checks():
    from course import research_checks

    assignment = COURSE.assignment("06-research-literacy")
    code = next(e for e in assignment.exercises if e.kind == "code")
    nb = build_source.specs()[assignment.id].build()
    checks = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert len(checks) == len(research_checks.TASK_CHECKS)
    assert sum(c.metadata["nbgrader"]["points"] for c in checks) == code.points == sum(research_checks.TASK_POINTS.values())
    for cell in checks:
        assert "from course.research_checks import" in cell.source and "show(check_" in cell.source
    assert "optional if you do not code" in nb.cells[0].source


def test_a_file_saved_by_windows_notepad_builds_the_same(tmp_path):
    body = "\n+++ why\n## Why\n\nSome prose.\n\n+++\nIntro.\n\n{plan}`03-maya maya-activation`\n"
    plain = _build(_write(tmp_path, body))
    windows = tmp_path / "windows" / "03-designing-homework.md"
    windows.parent.mkdir()
    windows.write_bytes(b"\xef\xbb\xbf" + (HEADER + body).replace("\n", "\r\n").encode("utf-8"))
    assert _build(windows) == plain
