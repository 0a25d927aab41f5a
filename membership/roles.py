"""MEM-2: the staff roles, their groups (group names are data staff read in the admin, so they are
Chinese) and what membership's own models allow each role. Every app declares its permissions for
these roles in its own ``roles.py`` (ROLES, by role key); membership.seed.seed_groups merges them."""
from __future__ import annotations

from . import scoping

MUNICIPAL, LEVEL1, LEVEL2, LEADERSHIP = "municipal", "level1", "level2", "leadership"

GROUPS = {
    MUNICIPAL: scoping.MUNICIPAL_GROUP,
    LEVEL1: scoping.LEVEL1_GROUP,
    LEVEL2: scoping.LEVEL2_GROUP,
    LEADERSHIP: scoping.LEADERSHIP_GROUP,
}

ROLES = {
    MUNICIPAL: [
        "membership.view_industry", "membership.add_unit", "membership.change_unit", "membership.view_unit",
        "membership.delete_unit", "membership.export_unit", "membership.add_user", "membership.change_user",
        "membership.view_user", "membership.add_worker", "membership.change_worker", "membership.view_worker",
        "membership.export_worker", "membership.reveal_id_number", "membership.view_workertransfer",
        "membership.view_idnumberreveal", "membership.view_idnumberlookup", "auth.view_group",
        # MEM-5: municipal staff answer and close member units' requests.
        "membership.view_memberservicerequest", "membership.change_memberservicerequest",
        "membership.view_passwordresetcode",
    ],
    LEVEL1: [
        "membership.view_industry", "membership.add_unit", "membership.change_unit", "membership.view_unit",
        "membership.export_unit", "membership.view_user", "membership.add_user", "membership.change_user",
        "membership.add_worker", "membership.change_worker",
        "membership.view_worker", "membership.export_worker", "membership.view_workertransfer",
        "membership.add_memberservicerequest", "membership.view_memberservicerequest",
        "membership.view_passwordresetcode",
    ],
    LEVEL2: [
        "membership.view_industry", "membership.view_unit", "membership.add_worker", "membership.change_worker",
        "membership.view_worker", "membership.view_workertransfer", "membership.view_passwordresetcode",
        "membership.add_memberservicerequest", "membership.view_memberservicerequest",
    ],
    # REP-3: leadership reads everything and changes nothing.
    LEADERSHIP: [
        "membership.view_industry", "membership.view_unit", "membership.view_worker",
        "membership.view_workertransfer", "membership.view_memberservicerequest",
    ],
}
