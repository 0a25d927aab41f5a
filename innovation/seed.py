"""Demo data for the innovation app: each area's seeding, called by seed_demo."""
from __future__ import annotations

import random

from .seed_achievements import seed_achievements


def seed_innovation(*, rng: random.Random) -> dict:
    return {**seed_achievements(rng=rng)}
