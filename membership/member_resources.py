"""MEM-5 会员资源: what member units may ask the federation for — training consulting (培训咨询) and
teacher coordination (师资协调) — and the writes of a request's life: asked by the unit's staff,
answered, then closed with its outcome by municipal staff. The admin calls these; nothing else
writes a MemberServiceRequest."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoping
from .models import MemberServiceRequest, Unit

MEMBER_LEVELS = (Unit.MemberLevel.LEVEL_1, Unit.MemberLevel.LEVEL_2)


def unit_may_ask(unit: Unit | None) -> bool:
    """MEM-5: level-1 and level-2 members in good standing (membership active)."""
    return (unit is not None and unit.member_level in MEMBER_LEVELS
            and unit.membership_status == Unit.MembershipStatus.ACTIVE)


def why_unit_may_not_ask(unit: Unit | None) -> str:
    """The reason, in words the unit's staff read, that ``unit`` may not ask; "" when it may."""
    if unit is None:
        return _("Your account belongs to no unit, so it cannot ask the federation for member services.")
    if unit.member_level not in MEMBER_LEVELS:
        return _("Training consulting and teacher coordination are member services: %(unit)s is not a level-1 or "
                 "level-2 member unit. Ask your superior union about joining.") % {"unit": unit.name}
    if unit.membership_status != Unit.MembershipStatus.ACTIVE:
        return _("Training consulting and teacher coordination are for members in good standing: the membership "
                 "of %(unit)s is %(status)s. Ask the municipal federation to restore it.") % {
            "unit": unit.name, "status": unit.get_membership_status_display()}
    return ""


def units_that_may_ask(user):
    """The member units in the user's subtree on whose behalf the user may ask."""
    return scoping.visible_to(Unit.objects.all(), user).filter(
        member_level__in=MEMBER_LEVELS, membership_status=Unit.MembershipStatus.ACTIVE).order_by("path")


def member_request_create(*, unit: Unit, kind: str, subject: str, starts_on: dt.date, ends_on: dt.date, need: str,
                          by) -> MemberServiceRequest:
    if not scoping.unit_in_scope(by, unit):
        raise PermissionDenied
    reason = why_unit_may_not_ask(unit)
    if reason:
        raise ValidationError(reason)
    request = MemberServiceRequest(unit=unit, kind=kind, subject=subject.strip(), starts_on=starts_on,
                                   ends_on=ends_on, need=need.strip(), requested_by=by)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date comes before the start date.")})
    request.full_clean()
    request.save()
    return request


def _municipal_or_refuse(by) -> None:
    if not (scoping.is_municipal(by) and by.has_perm("membership.change_memberservicerequest")):
        raise PermissionDenied


def member_request_answer(*, request: MemberServiceRequest, answer: str, by) -> MemberServiceRequest:
    """Municipal staff answer (or amend their answer to) a request that is not closed."""
    _municipal_or_refuse(by)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        locked = MemberServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == MemberServiceRequest.Status.CLOSED:
            raise ValidationError(_("This request is closed."))
        locked.answer, locked.status = answer.strip(), MemberServiceRequest.Status.ANSWERED
        locked.answered_by, locked.answered_at = by, timezone.now()
        locked.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    return locked


def member_request_close(*, request: MemberServiceRequest, outcome: str, by) -> MemberServiceRequest:
    """Municipal staff close an answered request with the outcome recorded (what was arranged)."""
    _municipal_or_refuse(by)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Record the outcome before closing the request.")})
    with transaction.atomic():
        locked = MemberServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == MemberServiceRequest.Status.CLOSED:
            raise ValidationError(_("This request is closed."))
        if locked.status != MemberServiceRequest.Status.ANSWERED:
            raise ValidationError(_("Answer the request before closing it."))
        locked.outcome, locked.status, locked.closed_at = outcome.strip(), MemberServiceRequest.Status.CLOSED, timezone.now()
        locked.save(update_fields=["outcome", "status", "closed_at"])
    return locked
