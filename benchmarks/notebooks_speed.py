"""Executing every source notebook in a fresh kernel: total and per notebook, against the bare cost
of starting a kernel (target: the whole course under 2 minutes).

Run: python benchmarks/notebooks_speed.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bare_kernel_seconds(runs: int = 3) -> float:
    """Start a kernel, run one trivial cell, shut it down."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    times = []
    for _ in range(runs):
        nb = new_notebook(cells=[new_code_cell("1")], metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                              "display_name": "Python 3"}})
        start = time.perf_counter()
        NotebookClient(nb, timeout=60, kernel_name="python3").execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def notebook_seconds(assignment: str, notebook: str) -> float:
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / assignment
        shutil.copytree(ROOT / "source" / assignment, folder)
        nb = nbformat.read(folder / notebook, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
        return time.perf_counter() - start


def main() -> None:
    from course.assignments import load_course

    bare = bare_kernel_seconds()
    print(f"bare kernel start + one cell + shutdown: {bare:.2f} s (median of 3)")
    total = 0.0
    for assignment in load_course().assignments:
        if not (ROOT / "source" / assignment.id / assignment.notebook).exists():
            continue
        seconds = notebook_seconds(assignment.id, assignment.notebook)
        total += seconds
        print(f"  {assignment.id:30s} {seconds:6.2f} s   ({seconds / bare:4.1f}x a bare kernel)")
    print(f"whole course: {total:.1f} s; target under 120 s -> {'OK' if total < 120 else 'MISSED'}")


if __name__ == "__main__":
    main()
