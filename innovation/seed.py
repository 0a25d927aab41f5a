"""The innovation app's demo data, one function per area, deterministic from the rng; seed_demo calls seed_innovation."""
from __future__ import annotations

import random

from .proposals.seed import seed_proposals


def seed_innovation(*, rng: random.Random) -> dict:
    result = {}
    result["proposals"] = seed_proposals(rng=rng)
    return result
