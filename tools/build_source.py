"""Write the instructor notebooks in source/ from the module files in modules/ (idempotent).

    python tools/build_source.py           # write source/<assignment>/<assignment>.ipynb
    python tools/build_source.py --check   # exit 1 if source/ differs from what the modules build

Each modules/<assignment>.md (MyST Markdown; see docs/authoring-modules.md) becomes
source/<assignment>/<assignment>.ipynb. A mistake in a module file is reported with its file and line.

Run `nbgrader generate_assignment` (or tools/release.py) afterwards to refresh release/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from module_markdown import ModuleSyntaxError, parse_module  # noqa: E402
from module_notebook import module_spec  # noqa: E402

from course.assignments import load_course  # noqa: E402
from course.time_estimates import estimate_notebook  # noqa: E402

MODULES = ROOT / "modules"


def module_file(assignment_id: str) -> Path:
    """The Markdown file a clinician edits for one assignment."""
    return MODULES / f"{assignment_id}.md"


def specs() -> dict:
    """Each assignment's NotebookSpec, built from modules/<assignment>.md.

    Two passes: the first builds every notebook with its time figures at 0 and estimates each one
    (course.time_estimates.estimate_notebook); the second writes the estimates in. Figures are digits,
    which the estimate does not count as words, so the second pass has the same estimates.
    """
    docs = {}
    for assignment in load_course().assignments:
        path = module_file(assignment.id)
        if path.exists():
            docs[assignment.id] = parse_module(path)
    estimates, first = {}, {}
    for assignment_id, doc in docs.items():
        try:
            first[assignment_id] = module_spec(doc)
        except SystemExit as exc:  # e.g. the capstone before its hidden key is first written
            print(f"skipped {assignment_id}: {exc}", file=sys.stderr)
            continue
        estimates[assignment_id] = estimate_notebook(first[assignment_id].build(), ROOT / "source" / assignment_id)
    return {assignment_id: module_spec(docs[assignment_id], estimates) for assignment_id in first}


def notebook_text(nb) -> str:
    """A notebook as the text written to disk."""
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that source/ is up to date")
    args = parser.parse_args(argv)
    stale = []
    try:
        built = specs()
    except ModuleSyntaxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for assignment_id, spec in built.items():
        path = ROOT / "source" / assignment_id / f"{assignment_id}.ipynb"
        text = notebook_text(spec.build())
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        print("source/ is out of date with modules/: run python tools/build_source.py", file=sys.stderr)
        for path in stale:
            print(f"  {path.relative_to(ROOT)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
