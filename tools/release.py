"""Regenerate release/ from source/ with nbgrader, as an instructor would (idempotent).

    python tools/release.py            # build source/ from modules/*.md, then nbgrader generate_assignment
    python tools/release.py --into DIR # generate into DIR/release instead (used by the tests)

release/ is committed: self-study learners open it without running any nbgrader command.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from course.assignments import load_course  # noqa: E402
from course.nbgrader_run import run_nbgrader  # noqa: E402


def generate(course_root: Path, assignments: list[str]) -> None:
    """Run nbgrader generate_assignment for each assignment inside a course folder."""
    for assignment in assignments:
        run_nbgrader(["generate_assignment", assignment, "--force"], course_root)


def release_into(target: Path) -> Path:
    """Generate the whole release in a scratch copy of the course; returns target/release."""
    ids = [a.id for a in load_course().assignments if (ROOT / "source" / a.id).exists()]
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copytree(ROOT / "source", course / "source")
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        generate(course, ids)
        out = target / "release"
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(course / "release", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, help="write DIR/release instead of the repository's release/")
    args = parser.parse_args(argv)
    import build_source

    if args.into is None:
        build_source.main([])
    out = release_into(args.into or ROOT)
    print(f"released {len(list(out.iterdir()))} assignments into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
