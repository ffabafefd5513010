"""Write the instructor notebooks in source/ from the specs in tools/modules/ (idempotent).

    python tools/build_source.py           # write source/<assignment>/<assignment>.ipynb
    python tools/build_source.py --check   # exit 1 if source/ differs from what the specs build

Run `nbgrader generate_assignment` (or tools/release.py) afterwards to refresh release/.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from course.assignments import load_course  # noqa: E402


def specs() -> dict:
    """Each assignment's NotebookSpec, from tools/modules/m<NN>_*.py."""
    found = {}
    for assignment in load_course().assignments:
        module_name = "modules.m" + assignment.id.replace("-", "_")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        try:
            found[assignment.id] = module.spec()
        except SystemExit as exc:  # e.g. the capstone before its hidden key is first written
            print(f"skipped {assignment.id}: {exc}", file=sys.stderr)
    return found


def notebook_text(nb) -> str:
    """A notebook as the text written to disk."""
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that source/ is up to date")
    args = parser.parse_args(argv)
    stale = []
    for assignment_id, spec in specs().items():
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
        print("source/ is out of date with tools/modules/: run python tools/build_source.py", file=sys.stderr)
        for path in stale:
            print(f"  {path.relative_to(ROOT)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
