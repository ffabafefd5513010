"""Speed of the plan form on the kernel side: building it, and from a click to feedback shown.

Targets (issue 3): building the form under 300 ms; click to feedback under 100 ms.
Widgets are built without a front end (as in a kernel before the browser renders them), so the
figures are the kernel's share only. Run: python benchmarks/forms_speed.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

PROBE = """
import os, sys, time, tempfile
os.chdir(tempfile.mkdtemp())
t = time.perf_counter()
from course.forms.plan_form import draft_plan
form = draft_plan(sys.argv[1])
print((time.perf_counter() - t) * 1000)
"""


def first_build_ms(case_id: str) -> float:
    """Building the first form in a fresh interpreter, imports included (what a trainee waits for)."""
    out = subprocess.run([sys.executable, "-c", PROBE, case_id], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from course.forms.plan_form import draft_plan
    from course.vignettes import all_vignettes

    from plan_variants import reference

    os.chdir(tempfile.mkdtemp())
    cases = all_vignettes()
    draft_plan(cases[0].id, exercise="warm-up")
    builds, clicks, saves = [], [], []
    for case in cases:
        start = time.perf_counter()
        form = draft_plan(case.id)
        builds.append(time.perf_counter() - start)
        ref = reference(case)
        start = time.perf_counter()
        form.controls["task"].value = ref.task  # one keystroke's worth of work: validate and save
        saves.append(time.perf_counter() - start)
        for field in ("goal", "goal_link", "rationale", "summary", "risk", "when", "where"):
            form.controls[field].value = getattr(ref, field)
        start = time.perf_counter()
        form.check_button.click()
        clicks.append(time.perf_counter() - start)
        assert form.feedback.value
    firsts = [first_build_ms(cases[i].id) for i in range(3)]
    print(f"forms built: {len(builds)} (one per vignette)")
    print(f"build the plan form (warm process): median {statistics.median(builds) * 1000:.1f} ms, max {max(builds) * 1000:.1f} ms")
    print(f"first form in a fresh interpreter, imports included: median {statistics.median(firsts):.0f} ms")
    print(f"save after a change (validate + atomic write): median {statistics.median(saves) * 1000:.2f} ms")
    print(f"click 'Check my plan' to feedback rendered: median {statistics.median(clicks) * 1000:.1f} ms, "
          f"max {max(clicks) * 1000:.1f} ms")
    print(f"targets: build < 300 ms -> {'OK' if statistics.median(builds) < 0.3 else 'MISSED'}; "
          f"click < 100 ms -> {'OK' if statistics.median(clicks) < 0.1 else 'MISSED'}")


if __name__ == "__main__":
    main()
