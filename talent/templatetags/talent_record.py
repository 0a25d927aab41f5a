"""TAL-1, EDU-8: the skill certificates section of a worker's 我的学习 page. A template tag, so that
the courses app's page includes it without courses importing talent (talent already reads the
credit ledger of courses)."""
from __future__ import annotations

from django import template

from ..selectors.certificates import worker_certificates

register = template.Library()


@register.inclusion_tag("talent/_my_certificates.html")
def my_skill_certificates(worker):
    return {"certificates": worker_certificates(worker=worker)}
