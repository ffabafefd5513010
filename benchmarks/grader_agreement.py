"""How often the grader agrees with expert labels, item by item.

Reads the labelled realistic trainee plans in tests/fixtures/labelled and prints exact agreement,
Cohen's kappa over the three statuses, agreement per checklist item, and the disagreements.
Run: python benchmarks/grader_agreement.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


FIXTURES = ROOT / "tests" / "fixtures" / "labelled"
STATUSES = ("met", "partial", "missing")


def pairs() -> list[tuple[str, str, str, str]]:
    from course.plans import plan_from_data
    from course.scoring import score_plan
    from course.vignettes import get_vignette

    rows = []
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text())
        report = score_plan(plan_from_data(data["plan"], str(path)), get_vignette(data["vignette_id"]))
        for item_id, expected in data["expected"].items():
            rows.append((path.stem, item_id, expected, report.item(item_id).status))
    return rows


def kappa(rows: list[tuple[str, str, str, str]]) -> float:
    n = len(rows)
    observed = sum(1 for *_, e, g in rows if e == g) / n
    expert = Counter(e for *_, e, _ in rows)
    grader = Counter(g for *_, g in rows)
    chance = sum(expert[s] * grader[s] for s in STATUSES) / (n * n)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def main() -> None:
    rows = pairs()
    agree = sum(1 for *_, e, g in rows if e == g)
    within_one = sum(1 for *_, e, g in rows if {e, g} != {"met", "missing"})
    print(f"plans: {len({r[0] for r in rows})}, item judgements: {len(rows)}")
    print(f"exact agreement: {agree / len(rows):.1%}; never two steps apart: {within_one / len(rows):.1%}; "
          f"Cohen's kappa: {kappa(rows):.2f}")
    per_item: dict[str, list[bool]] = defaultdict(list)
    for _, item_id, expected, got in rows:
        per_item[item_id].append(expected == got)
    print("per item:")
    for item_id, hits in per_item.items():
        print(f"  {item_id:18s} {sum(hits) / len(hits):6.1%}  (n={len(hits)})")
    confusion = Counter((e, g) for *_, e, g in rows)
    print("confusion (expert -> grader):")
    for e in STATUSES:
        print("  " + e.ljust(8) + "  ".join(f"{g}:{confusion[(e, g)]:3d}" for g in STATUSES))
    print("disagreements:")
    for stem, item_id, expected, got in rows:
        if expected != got:
            print(f"  {stem}: {item_id}: expert {expected}, grader {got}")


if __name__ == "__main__":
    main()
