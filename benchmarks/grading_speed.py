"""Grading 20 submissions of one assignment: `python -m course grade` against `nbgrader autograde`
on the same submissions, as a ratio, and each against the bare cost of executing those notebooks
in fresh kernels (divided by the cores).

Aims (issue 5): at least 1.6x faster than nbgrader autograde on 2 cores; within 1.3x of the bare
execution cost divided by the cores. Run: python benchmarks/grading_speed.py [--submissions 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
A = "03-designing-homework"


def build_course(base: Path, count: int) -> Path:
    from course.assignments import load_course
    from course.nbgrader_run import run_nbgrader
    from course.simulated_cohort import damaged_plan, simulated_cohort
    from course.vignettes import get_vignette

    root = base / "course"
    shutil.copytree(ROOT / "source" / A, root / "source" / A)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    run_nbgrader(["generate_assignment", A, "--force"], root)
    plans = [e for e in load_course().assignment(A).exercises if e.kind == "plan"]
    for i, trainee in enumerate(simulated_cohort([e.id for e in plans], size=count)):
        folder = root / "submitted" / trainee.id / A
        shutil.copytree(root / "release" / A, folder)
        # one second apart, as nbgrader writes them (a cohort over 60 still gets valid times)
        (folder / "timestamp.txt").write_text(f"2026-11-21 10:{i // 60:02d}:{i % 60:02d}.000000 UTC")
        (folder / "answers").mkdir()
        for exercise in plans:
            reference = get_vignette(exercise.case).key.reference_plan.model_dump(mode="json")
            (folder / exercise.answers_file).write_text(json.dumps(damaged_plan(reference, trainee.damaged[exercise.id])))
    return root


def timed(command: list[str], cwd: Path) -> float:
    from course.nbgrader_run import nbgrader_env

    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=nbgrader_env(cwd), check=True, capture_output=True)
    return time.perf_counter() - start


def bare_execution(root: Path) -> float:
    """Execute every submitted notebook in a fresh kernel, one after another (no nbgrader), headless as
    under autograde (NBGRADER_EXECUTION set, so forms build no widgets)."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["NBGRADER_EXECUTION"] = "autograde"
    total = 0.0
    for folder in sorted((root / "submitted").glob(f"*/{A}")):
        nb = nbformat.read(folder / f"{A}.ipynb", as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
        total += time.perf_counter() - start
    del os.environ["NBGRADER_EXECUTION"]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        root = build_course(Path(scratch), args.submissions)
        bare = bare_execution(root)
        nbgrader = timed([sys.executable, "-m", "nbgrader", "autograde", A, "--force"], root)
        ours = timed([sys.executable, "-m", "course", "grade", A, "--force", "--json"], root)
    per_core = bare / cores
    print(f"{args.submissions} submissions of {A}, {cores} cores")
    print(f"  bare execution in fresh kernels (serial): {bare:6.1f} s  -> divided by cores: {per_core:.1f} s")
    print(f"  nbgrader autograde (one command):          {nbgrader:6.1f} s  ({nbgrader / per_core:.2f}x bare/cores)")
    print(f"  python -m course grade (--jobs {cores}):          {ours:6.1f} s  ({ours / per_core:.2f}x bare/cores)")
    print(f"  speed-up over nbgrader autograde: {nbgrader / ours:.2f}x (aim >= 1.6x: "
          f"{'OK' if nbgrader / ours >= 1.6 else 'MISSED'}); "
          f"against bare/cores: {ours / per_core:.2f}x (aim <= 1.3x: {'OK' if ours / per_core <= 1.3 else 'MISSED'})")


if __name__ == "__main__":
    main()
