"""What a suggestion costs in the domain (issue 18): each past session is judged against the goal
it was shown and the records before it, so the cost grows with the window the service reads
(deload_after + SUGGESTION_EXTRA_SESSIONS sessions: 8 by default, 16 at most).

    python -m benchmarks.bench_suggestion

Prints milliseconds per ``suggest_next`` call (median of 7 runs of 200 calls) for windows of 3,
8 and 16 sessions of one warm-up and five working sets that stall (so the judging runs)."""

from __future__ import annotations

import random
import statistics
import timeit

from overload_tui.domain.enums import Equipment, Unit
from overload_tui.domain.progression import LoggedSet, suggest_next


def history(sessions: int, seed: int = 1) -> list[list[LoggedSet]]:
    rng = random.Random(seed)
    return [
        [LoggedSet(60, 5, Unit.KG, True)] + [LoggedSet(100, rng.randint(5, 7), Unit.KG) for _ in range(5)]
        for _ in range(sessions)
    ]


def main() -> None:
    for n in (3, 8, 16):
        h = history(n)
        runs = [timeit.timeit(lambda: suggest_next(h, Equipment.BARBELL), number=200) / 200 for _ in range(7)]
        print(f"{n:2d} sessions: {statistics.median(runs) * 1000:.2f} ms per suggestion")


if __name__ == "__main__":
    main()
