"""When to try a temporary failure again: exponential backoff with full jitter."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def next_attempt(
    now: datetime, attempts: int, *, base_s: float, max_s: float, rng: random.Random | None = None
) -> datetime:
    """The time of the next try after ``attempts`` tries have failed.

    The ceiling doubles per attempt (``base_s``, 2x, 4x ... up to ``max_s``) and the
    delay is drawn between half of it and all of it: dispatchers that failed together
    (a relay was down) do not all come back in the same second.
    """
    ceiling = min(max_s, base_s * 2 ** max(attempts - 1, 0))
    draw = (rng or random).uniform(ceiling / 2, ceiling)
    return now + timedelta(seconds=draw)
