"""Each app declares its own roles and permissions in its roles.py; the seeding merges them."""
from __future__ import annotations

import ast
from pathlib import Path

from courses.roles import REVIEWER_GROUP
from membership import scoping

ROOT = Path(__file__).resolve().parents[2]


def test_seeded_groups_hold_what_each_app_declares(tree):
    groups = tree["groups"]
    reviewer = set(groups[REVIEWER_GROUP].permissions.values_list("content_type__app_label", "codename"))
    assert reviewer == {("courses", "view_coursereview"), ("courses", "change_coursereview"),
                        ("courses", "view_reviewcriterion")}
    municipal = set(groups[scoping.MUNICIPAL_GROUP].permissions.values_list("content_type__app_label", flat=True))
    assert {"membership", "uploads", "courses", "audit", "auth"} <= municipal
    leadership = groups[scoping.LEADERSHIP_GROUP].permissions.values_list("codename", flat=True)
    assert all(codename.startswith("view_") for codename in leadership)


def test_membership_names_no_other_apps_permissions():
    for name in ("seed.py", "roles.py"):
        tree = ast.parse((ROOT / "membership" / name).read_text())
        strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        assert not [text for text in strings if text.split(".")[0] in {"courses", "uploads", "audit"} and "." in text]
