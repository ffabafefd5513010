"""Grading a cohort of 200 against 20: `python -m course grade` time and peak memory, whether the cost
grows linearly, and its ratio to the bare cost of executing the notebooks in fresh kernels divided by
the cores (issue 14: 1.40x before, aim <= 1.3x).

The bare cost is measured on a sample of the submissions (every submission of 03 runs the same cells)
and scaled to the cohort. Peak memory is the largest resident total of `course grade` and everything it
started (workers, kernels), sampled every 0.2 s.

Run: python benchmarks/grading_scale.py [--sizes 20 200] [--bare-sample 20] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading_speed import A, bare_execution, build_course  # noqa: E402


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def stamp() -> str:
    """Now, in UTC, to the second, with its zone (so a figure can be matched to the machine's load then)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def grade(root: Path, jobs: int) -> tuple[float, float, dict[str, int]]:
    """Seconds, peak MiB and the count of each status of one `course grade` run over every submission."""
    import json

    from course.nbgrader_run import nbgrader_env

    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "course", "grade", A, "--force", "--json", "--jobs", str(jobs)],
                               cwd=root, env=nbgrader_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_mib(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    try:
        rows = json.loads(out)
    except ValueError:
        raise SystemExit(f"course grade failed (exit {process.returncode}):\n{err.decode()[-2000:]}") from None
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    if statuses.get("failed"):
        print("  failed:", [r for r in rows if r["status"] == "failed"][:3], file=sys.stderr)
    return seconds, peak[0], statuses


def main() -> None:
    from course.cohort_grading import available_cores

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--bare-sample", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    started = stamp()
    print(f"grading_scale.py started {started}; load average {load()} on {available_cores()} cores", flush=True)
    cores = available_cores()
    jobs = args.jobs or cores
    with tempfile.TemporaryDirectory() as scratch:
        sample_root = build_course(Path(scratch) / "sample", args.bare_sample)
        bare_each = bare_execution(sample_root) / args.bare_sample
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            root = build_course(Path(scratch), size)
            seconds, peak, statuses = grade(root, jobs)
        floor = size * bare_each / cores
        rows.append((size, seconds, peak, floor))
        print(f"  {size} trainees: {statuses}", flush=True)
    print(f"load average at the end: {load()} (figures mean little when it is far above {available_cores()})")
    print(f"measured {started} to {stamp()}")
    print(f"{A}, {jobs} grading workers on {cores} cores; bare execution in a fresh kernel: {bare_each:.2f} s per submission "
          f"(mean of {args.bare_sample})")
    print(f"  {'trainees':>8} {'course grade':>13} {'per trainee':>12} {'peak memory':>12} {'bare/cores':>11} {'ratio':>6}")
    for size, seconds, peak, floor in rows:
        print(f"  {size:>8} {seconds:>11.1f} s {seconds / size:>10.2f} s {peak:>8.0f} MiB {floor:>9.1f} s "
              f"{seconds / floor:>5.2f}x")
    if len(rows) >= 2:
        (small, t_small, m_small, _), (big, t_big, m_big, _) = rows[0], rows[-1]
        growth = (t_big / big) / (t_small / small)
        print(f"  time per trainee at {big} / at {small}: {growth:.2f} (linear: about 1.0); "
              f"peak memory {m_big / m_small:.2f}x for {big / small:.0f}x the trainees")
    worst = max(seconds / floor for _, seconds, _, floor in rows)
    print(f"  against bare/cores: {worst:.2f}x at worst (aim <= 1.3x: {'OK' if worst <= 1.3 else 'MISSED'})")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
