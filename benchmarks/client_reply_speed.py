"""Speed of the scripted client: one reply, kernel side, as the conversation panel asks for it.

Target (issue 12): a reply in under 100 ms. The panel replays the conversation so far on every move
(the client is a pure function of the moves), so the figures are for the last move of each shipped
case's reference conversation, with the plan as it stands, and for a long conversation of 60 moves.
Run: python benchmarks/client_reply_speed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]


def _time(case, moves, move, plan, repeats: int) -> list[float]:
    from course.client.engine import reply

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        reply(case, moves, move, plan)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    from course.client.engine import reply
    from course.vignettes import all_vignettes

    cases = [c for c in all_vignettes() if c.voice is not None]
    first, typical, long_talk = [], [], []
    for case in cases:
        plan = case.key.reference_plan
        moves = [t.model_dump() for t in plan.conversation]
        start = time.perf_counter()
        reply(case, moves[:-1], moves[-1], plan)  # the first reply of a session (cold caches)
        first.append((time.perf_counter() - start) * 1000)
        typical += _time(case, moves[:-1], moves[-1], plan, 20)
        long_talk += _time(case, (moves * 6)[:60], {"move": "confidence", "text": "How sure, 0 to 10?"}, plan, 5)
    print(f"scripted client, {len(cases)} cases (target: under 100 ms a reply)")
    print(f"  first reply (cold):             median {statistics.median(first):6.1f} ms, max {max(first):6.1f} ms")
    print(f"  reply, reference conversation: median {statistics.median(typical):6.1f} ms, max {max(typical):6.1f} ms")
    print(f"  reply after 60 moves:           median {statistics.median(long_talk):6.1f} ms, max {max(long_talk):6.1f} ms")


if __name__ == "__main__":
    main()
