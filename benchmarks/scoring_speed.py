"""Speed of the core: scoring one plan (median across all vignettes) and `import course`.

Targets (issue 2, issue 9): median scoring under 10 ms, both for plans whose fields are new and for
plans in which no sentence has been read before; `import course` under 0.5 s in a fresh interpreter.
Run: python benchmarks/scoring_speed.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]



def scoring_times(repeats: int = 20) -> dict[str, float]:
    from course.scoring import score_plan
    from course.vignettes import all_vignettes

    from plan_variants import reference, shuffled_sentences

    cases = all_vignettes()
    for case in cases:  # warm the per-case caches once, as a running notebook would
        score_plan(reference(case), case)
    times, cold = [], []
    for round_ in range(repeats):
        for case in cases:
            for plan in (reference(case), shuffled_sentences(reference(case))):
                fresh = _fresh(plan, round_)  # every field's text is new, so no field or plan cache helps
                start = time.perf_counter()
                score_plan(fresh, case)
                times.append(time.perf_counter() - start)
                unseen = _every_sentence_new(plan, round_)  # and here no sentence has been read before
                start = time.perf_counter()
                score_plan(unseen, case)
                cold.append(time.perf_counter() - start)
    return {
        "plans scored": len(times),
        "median ms": statistics.median(times) * 1000,
        "p95 ms": statistics.quantiles(times, n=20)[-1] * 1000,
        "max ms": max(times) * 1000,
        "median ms, every sentence new": statistics.median(cold) * 1000,
    }


def _every_sentence_new(plan, round_: int):
    """The plan with a new word at the end of every sentence of every text field."""
    import re

    def renew(value):
        if isinstance(value, str) and value.strip():
            marked = re.sub(r"([.!?;])(\s|$)", rf" q{round_}z\1\2", value)
            return marked if marked != value else f"{value} q{round_}z"
        if isinstance(value, dict):
            return {k: renew(v) for k, v in value.items()}
        if isinstance(value, list):
            return [renew(v) for v in value]
        return value

    data = {k: v if k in {"schema_version", "vignette_id"} else renew(v) for k, v in plan.model_dump().items()}
    return type(plan).model_validate(data)


def _fresh(plan, round_: int):
    from course.scoring.reading import NARRATIVE_FIELDS

    data = plan.model_dump()
    for name in NARRATIVE_FIELDS:
        parent, _, child = name.partition(".")
        target = data[parent] if child else data
        key = child or parent
        if target[key]:
            target[key] = f"{target[key]} Draft {round_}."
    return type(plan).model_validate(data)


def first_score_ms() -> float:
    code = (
        "import time; t=time.perf_counter(); from course.vignettes import get_vignette; "
        "from course.scoring import score_plan; v=get_vignette('maya-activation'); "
        "score_plan(v.answer_key.reference_plan, v); print((time.perf_counter()-t)*1000)"
    )
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout)


def import_seconds(runs: int = 7) -> tuple[float, float]:
    code = "import time; t=time.perf_counter(); import course; print(time.perf_counter()-t)"
    bare = "import time; t=time.perf_counter(); print(time.perf_counter()-t)"
    course = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout)
              for _ in range(runs)]
    wall = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import course"], check=True, cwd=ROOT)
        end = time.perf_counter()
        start2 = time.perf_counter()
        subprocess.run([sys.executable, "-c", bare], check=True, capture_output=True)
        wall.append((end - start) / max(1e-9, time.perf_counter() - start2))
    return statistics.median(course), statistics.median(wall)


def main() -> None:
    figures = scoring_times()
    print("scoring one plan, across all vignettes (warm caches):")
    for name, value in figures.items():
        print(f"  {name}: {value:.2f}" if isinstance(value, float) else f"  {name}: {value}")
    print(f"first plan scored in a fresh interpreter (loads data, builds caches): {first_score_ms():.0f} ms")
    seconds, ratio = import_seconds()
    print(f"import course in a fresh interpreter: {seconds * 1000:.1f} ms (median of 7)")
    print(f"  python -c 'import course' vs an empty python -c, wall-clock ratio: {ratio:.2f}")
    slowest = max(figures["median ms"], figures["median ms, every sentence new"])
    print(f"targets: median < 10 ms (both ways) -> {'OK' if slowest < 10 else 'MISSED'}; "
          f"import < 500 ms -> {'OK' if seconds < 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
