"""MEM-1 会员制: the member level follows the tree (membership.services.unit_membership). Existing
units are brought in line once: level-1 unions are level-1 members (active, from the day they were
created), members below them are level-2 members, non-members carry no level, and every member
has the date it became one."""
from django.db import migrations
from django.db.models import F
from django.db.models.functions import TruncDate


def forward(apps, schema_editor):
    Unit = apps.get_model("membership", "Unit")
    # The audit triggers' helper function is installed after migrating: a fresh database (no units
    # yet) must not fire them, even with an UPDATE of no rows (statement-level triggers).
    if not Unit.objects.exists():
        return
    Unit.objects.filter(depth=1).update(member_level="", membership_status="none", membership_since=None)
    Unit.objects.filter(depth=2, membership_status="none").update(membership_status="active")
    Unit.objects.filter(depth__gt=1, membership_status="none").update(member_level="", membership_since=None)
    members = Unit.objects.filter(depth__gt=1).exclude(membership_status="none")
    members.filter(depth=2).update(member_level="1")
    members.filter(depth__gt=2).update(member_level="2")
    members.filter(membership_since__isnull=True).update(membership_since=TruncDate(F("created_at")))


class Migration(migrations.Migration):
    dependencies = [("membership", "0010_leavers_and_transfer_steps")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
