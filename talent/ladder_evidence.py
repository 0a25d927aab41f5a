"""INN-6, TAL-1: the skill certificates beside each candidate on the honours ladder. Registered with
innovation's ladder from TalentConfig.ready() (talent reads innovation, never the reverse)."""
from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innovation.selectors.honours import ladder_evidence_register
from membership import scoping

from .models import SkillCertificate, SkillLevel


def skill_certificates(worker_ids: list[int], user) -> dict[int, list[str]]:
    """One line per certificate the user may see, best level first; an expired one says so."""
    today = timezone.localdate()
    levels = dict(SkillLevel.choices)
    found = defaultdict(list)
    for worker_id, occupation, level, number, valid_until in (
            scoping.visible_to(SkillCertificate.objects.filter(worker_id__in=worker_ids), user)
            .order_by("worker_id", "level", "-issued_on", "id")
            .values_list("worker_id", "occupation__name", "level", "number", "valid_until")):
        line = f"{occupation} · {levels[level]}（{number}）"
        if valid_until is not None and valid_until < today:
            line += " " + _("expired %(day)s") % {"day": f"{valid_until:%Y-%m-%d}"}
        found[worker_id].append(line)
    return found


def register() -> None:
    ladder_evidence_register("skill_certificates", gettext_lazy("Skill certificates"), skill_certificates)
