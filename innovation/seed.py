"""Demo data for the innovation app: each area's seeding, deterministic from the rng; seed_demo calls
seed_innovation."""
from __future__ import annotations

import random

from .proposals.seed import seed_proposals
from .seed_achievements import seed_achievements


def seed_innovation(*, rng: random.Random) -> dict:
    return {**seed_achievements(rng=rng), "proposals": seed_proposals(rng=rng)}
