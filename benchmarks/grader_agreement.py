"""How well the grader agrees with human raters, on the frozen blind set and on the in-house set.

Blind set (tests/fixtures/blind/): new cases and plans written by helpers who never read the scorer,
each plan labelled item by item by its author and relabelled blind by a second rater. In-house set
(tests/fixtures/labelled/): plans for the shipped cases labelled by the cases' own authors.

Prints, per set: linearly weighted Cohen's kappa (met > partial > missing) overall and per item with
bootstrap 95 % intervals (resampling plans), human with human and grader with each human; Spearman's
rho of plan totals; mean share of the maximum by plan kind; and the disagreements.
Run: python benchmarks/grader_agreement.py [--set blind|inhouse|both] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

BLIND = ROOT / "tests" / "fixtures" / "blind"
INHOUSE = ROOT / "tests" / "fixtures" / "labelled"
ORDER = {"missing": 0, "partial": 1, "met": 2}
BOOTSTRAP = 1000


def weighted_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa with linear weights over the ordered statuses."""
    if not pairs:
        return float("nan")
    n = len(pairs)
    a = [ORDER[x] for x, _ in pairs]
    b = [ORDER[y] for _, y in pairs]
    observed = sum(abs(x - y) for x, y in zip(a, b, strict=False)) / (2 * n)
    pa = [a.count(k) / n for k in range(3)]
    pb = [b.count(k) / n for k in range(3)]
    expected = sum(pa[i] * pb[j] * abs(i - j) / 2 for i in range(3) for j in range(3))
    return 1.0 - observed / expected if expected else (1.0 if observed == 0 else 0.0)


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return r
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((p - mx) * (q - my) for p, q in zip(rx, ry, strict=False))
    sx = sum((p - mx) ** 2 for p in rx) ** 0.5
    sy = sum((q - my) ** 2 for q in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else float("nan")


def interval(plans: list[str], per_plan: dict[str, list[tuple[str, str]]], seed: int = 7) -> tuple[float, float]:
    """Bootstrap 95 % interval of weighted kappa, resampling whole plans."""
    rng = random.Random(seed)
    values = []
    for _ in range(BOOTSTRAP):
        sample = [p for _ in plans for p in per_plan[rng.choice(plans)]]
        k = weighted_kappa(sample)
        if k == k:
            values.append(k)
    values.sort()
    if not values:
        return float("nan"), float("nan")
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def load_blind() -> tuple[dict, dict[str, dict[str, dict[str, str]]]]:
    """Plans (stem -> (case path, kind, plan data)) and labels (rater -> stem -> item -> status)."""
    plans = {}
    for path in sorted((BLIND / "plans").glob("*.json")):
        data = json.loads(path.read_text())
        plans[path.stem] = (BLIND / "cases" / f"{data['vignette_id']}.yaml", data.get("kind", "?"), data["plan"])
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted((BLIND / "labels").glob("*.json")):
        data = json.loads(path.read_text())
        labels[path.stem] = {stem: entry["items"] for stem, entry in data.get("plans", {}).items()}
    return plans, labels


def blind_flags() -> dict[str, bool]:
    """Each plan's unsafe-or-unaddressed-risk flag from its author (the first rater)."""
    flags: dict[str, bool] = {}
    for path in sorted((BLIND / "labels").glob("rater-*.json")):
        for stem, entry in json.loads(path.read_text()).get("plans", {}).items():
            flags[stem] = bool(entry.get("unsafe_or_unaddressed_risk"))
    return flags


def load_inhouse() -> tuple[dict, dict[str, dict[str, dict[str, str]]]]:
    plans, labels = {}, {"authors": {}}
    for path in sorted(INHOUSE.glob("*.json")):
        data = json.loads(path.read_text())
        plans[path.stem] = (data["vignette_id"], "in-house", data["plan"])
        labels["authors"][path.stem] = data["expected"]
    return plans, labels


def grade(plans: dict) -> dict[str, object]:
    from course.plans import plan_from_data
    from course.scoring import score_plan
    from course.vignettes import get_vignette

    reports = {}
    for stem, (case, _, data) in plans.items():
        reports[stem] = score_plan(plan_from_data(data, stem), get_vignette(str(case)))
    return reports


def total_of(items: dict[str, str]) -> float:
    from course.checklist import load_checklist

    weights = {i.id: i.weight for i in load_checklist().plan_items}
    return sum(weights[k] * ORDER[v] / 2 for k, v in items.items())


def compare(name: str, plans: dict, labels: dict, reports: dict, quiet: bool, flags: dict | None = None) -> dict[str, float]:
    """Print the agreement figures for one set; return the headline numbers."""
    from course.checklist import load_checklist

    items = [i.id for i in load_checklist().plan_items]
    raters = sorted(labels)
    print(f"\n=== {name}: {len(plans)} plans, raters: {', '.join(raters)} ===")
    sources: dict[str, dict[str, dict[str, str]]] = {r: labels[r] for r in raters}
    sources["grader"] = {stem: {i: reports[stem].item(i).status for i in items} for stem in plans}
    # Totals compared are item totals (no cap on either side); the safety flag is compared on its own.
    # For each plan, the first rater who labelled it is its author; a second is the blind relabel.
    by_plan: dict[str, list[str]] = {stem: [r for r in raters if stem in labels[r]] for stem in plans}
    headline: dict[str, float] = {}

    def agreement(first: str, second: str, only: set[str] | None = None) -> None:
        stems = [s for s in plans if s in sources[first] and s in sources[second] and (only is None or s in only)]
        if not stems:
            return
        per_plan = {s: [(sources[first][s][i], sources[second][s][i]) for i in items] for s in stems}
        allpairs = [p for s in stems for p in per_plan[s]]
        k = weighted_kappa(allpairs)
        lo, hi = interval(stems, per_plan)
        rho = spearman([total_of(sources[first][s]) for s in stems], [total_of(sources[second][s]) for s in stems])
        exact = sum(a == b for a, b in allpairs) / len(allpairs)
        label = f"{first} vs {second}" + (" (genuine plans)" if only else "")
        print(f"{label}: {len(stems)} plans, {len(allpairs)} labels; weighted kappa {k:.2f} [{lo:.2f}, {hi:.2f}]; "
              f"exact {exact:.1%}; total rho {rho:.2f}")
        headline[label] = k
        headline[label + " rho"] = rho
        if not quiet or first != "grader":
            for item in items:
                per_item = {s: [(sources[first][s][item], sources[second][s][item])] for s in stems}
                pairs = [p for s in stems for p in per_item[s]]
                ki = weighted_kappa(pairs)
                li, hi_ = interval(stems, per_item)
                print(f"    {item:18s} kappa {ki:5.2f} [{li:5.2f}, {hi_:5.2f}]  exact {sum(a == b for a, b in pairs) / len(pairs):6.1%}")

    humans = [r for r in raters]
    if len(humans) > 1:
        # human with human: each plan's two labels, pooled over plans that have two
        pooled = {"first": {}, "second": {}}
        for stem, who in by_plan.items():
            if len(who) >= 2:
                pooled["first"][stem], pooled["second"][stem] = labels[who[0]][stem], labels[who[1]][stem]
        sources["rater 1"], sources["rater 2"] = pooled["first"], pooled["second"]
        agreement("rater 1", "rater 2")
    first_labels = {stem: labels[who[0]][stem] for stem, who in by_plan.items() if who}
    sources["human"] = first_labels
    agreement("grader", "human")
    if len(humans) > 1:
        agreement("grader", "rater 2")
    kinds = {stem: kind for stem, (_, kind, _) in plans.items()}
    raters_flag = {stem: (flags or {})[stem] for stem in plans if stem in (flags or {})}
    genuine = {s for s, k in kinds.items() if k not in {"other_client", "gamed"}}
    if genuine != set(plans):
        agreement("grader", "human", genuine)
    print("share of the maximum by plan kind (grader | human):")
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for stem, (_, kind, _) in plans.items():
        report = reports[stem]
        human = total_of(first_labels[stem]) / report.max if stem in first_labels else float("nan")
        by_kind[kind].append((report.total / report.max, human))
    for kind, values in sorted(by_kind.items()):
        g = [v[0] for v in values]
        h = [v[1] for v in values]
        print(f"    {kind:14s} n={len(values):2d}  grader mean {sum(g) / len(g):5.1%} max {max(g):5.1%}  | human mean {sum(h) / len(h):5.1%}")
        headline[f"kind {kind} mean"] = sum(g) / len(g)
        headline[f"kind {kind} max"] = max(g)
    flag_rows = [(reports[s].capped, raters_flag[s]) for s in plans if s in raters_flag and not reports[s].gate]
    if flag_rows:
        both = sum(1 for g, h in flag_rows if g and h)
        print(f"safety cap vs the first rater's unsafe/unaddressed-risk flag (ungated plans): agree {sum(g == h for g, h in flag_rows)}/{len(flag_rows)}; "
              f"grader caps {sum(g for g, _ in flag_rows)}, rater flags {sum(h for _, h in flag_rows)}, both {both}")
    flagged = [s for s in plans if reports[s].flags and kinds[s] not in {"other_client", "gamed"}]
    gates = [s for s in flagged if any(f.id in {"gamed", "other_case"} for f in reports[s].flags)]
    print(f"gates fired on genuine plans: {len(gates)} {gates}")
    if not quiet:
        print("disagreements with the first rater (grader -> human):")
        for stem in plans:
            if stem not in first_labels:
                continue
            for item in items:
                g, h = sources["grader"][stem][item], first_labels[stem][item]
                if g != h:
                    print(f"    {stem}: {item}: grader {g}, human {h}")
    return headline


def review_agreement(quiet: bool) -> None:
    """The review rubric (module 04) against the raters, on the blind review scripts."""
    from course.reviews import ReviewScript
    from course.scoring.review import score_review
    from course.vignettes import get_vignette

    scripts = {}
    for path in sorted((BLIND / "reviews").glob("*.json")):
        data = json.loads(path.read_text())
        scripts[path.stem] = (BLIND / "cases" / f"{data['vignette_id']}.yaml", data["script"])
    if not scripts:
        return
    labels: dict[str, dict[str, str]] = {}
    for path in sorted((BLIND / "labels").glob("*.json")):
        for stem, entry in json.loads(path.read_text()).get("reviews", {}).items():
            labels.setdefault(stem, []).append(entry["review"])
    grader = {}
    for stem, (case, data) in scripts.items():
        result, _, _ = score_review(ReviewScript.model_validate(data), get_vignette(str(case)))
        grader[stem] = result.status
    labelled = [s for s in scripts if s in labels]
    print(f"\n=== review rubric: {len(scripts)} scripts ===")
    pairs_h = [(labels[s][0], labels[s][1]) for s in labelled if len(labels[s]) > 1]
    if pairs_h:
        print(f"rater 1 vs rater 2: weighted kappa {weighted_kappa(pairs_h):.2f} (n={len(pairs_h)})")
    pairs_g = [(grader[s], labels[s][0]) for s in labelled]
    per = {s: [(grader[s], labels[s][0])] for s in labelled}
    lo, hi = interval(labelled, per)
    print(f"grader vs rater 1: weighted kappa {weighted_kappa(pairs_g):.2f} [{lo:.2f}, {hi:.2f}]; "
          f"exact {sum(a == b for a, b in pairs_g) / len(pairs_g):.1%} (n={len(pairs_g)})")
    if not quiet:
        for s in labelled:
            if grader[s] != labels[s][0]:
                print(f"    {s}: grader {grader[s]}, human {labels[s]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["blind", "inhouse", "both"], default="both")
    parser.add_argument("--quiet", action="store_true", help="headline figures only")
    args = parser.parse_args()
    from course.scoring import GRADER_VERSION

    print(f"grader {GRADER_VERSION}")
    if args.set in {"blind", "both"} and (BLIND / "plans").exists():
        plans, labels = load_blind()
        if plans and labels:
            compare("blind set", plans, labels, grade(plans), args.quiet, blind_flags())
            review_agreement(args.quiet)
    if args.set in {"inhouse", "both"}:
        plans, labels = load_inhouse()
        compare("in-house set", plans, labels, grade(plans), args.quiet)


if __name__ == "__main__":
    main()
