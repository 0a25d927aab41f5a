"""Writes for units and workers. The admin, uploads, commands and tasks all call these."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.counters import cache_count
from core.crypto import decrypt_id_number, id_number_digest
from core.identity import InvalidCode, mask_id_number, parse_id_number

from . import scoping
from .directory import worker_id_fields
from .models import IdNumberLookup, IdNumberReveal, Unit, User, Worker, WorkerTransfer
from .name_followers import names_changed


def unit_membership(*, depth: int, status: str | None, since: dt.date | None,
                    today: dt.date | None = None) -> tuple[str, str, dt.date | None]:
    """MEM-1 会员制 (三(二)1): "区县、北京经济技术开发区总工会和局总公司工会为一级会员，所属二级企事业单位
    为二级会员". The member level follows the unit's place in the tree, never typed: a level-1
    union (depth 2) is a level-1 member, a unit below one is a level-2 member once it is a member
    at all; the federation is none. Level-1 unions are members from their creation; a unit below
    becomes one when its status is set. A member without a date became one today.
    Returns (member_level, membership_status, membership_since)."""
    Status = Unit.MembershipStatus
    if depth <= 1:
        return Unit.MemberLevel.NONE, Status.NONE, None
    if status is None or (depth == 2 and status == Status.NONE):
        status = Status.ACTIVE if depth == 2 else Status.NONE
    if status == Status.NONE:
        return Unit.MemberLevel.NONE, status, None
    level = Unit.MemberLevel.LEVEL_1 if depth == 2 else Unit.MemberLevel.LEVEL_2
    return level, status, since or today or timezone.localdate()


def unit_create(
    *, parent: Unit | None, code: str, name: str, kind: str, industry_id: int | None = None,
    district: str = "", worker_count: int | None = None,
    membership_status: str | None = None, membership_since: dt.date | None = None,
) -> Unit:
    fields = dict(
        code=code, name=name, kind=kind, industry_id=industry_id, district=district,
        worker_count=worker_count,
    )
    if parent is None:
        level, status, since = unit_membership(depth=1, status=membership_status, since=membership_since)
        with transaction.atomic():
            unit = Unit.add_root(**fields, member_level=level, membership_status=status, membership_since=since)
            names_changed(unit_ids=[unit.pk])
        return unit
    if not district:
        fields["district"] = parent.district
    # treebeard reads the parent's numchild/path: take a fresh copy under a row lock so two
    # concurrent inserts under one parent do not compute the same child path.
    with transaction.atomic():
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        level, status, since = unit_membership(depth=parent.depth + 1, status=membership_status,
                                               since=membership_since)
        unit = parent.add_child(**fields, member_level=level, membership_status=status, membership_since=since)
        names_changed(unit_ids=[unit.pk])
        return unit


def unit_update(*, unit: Unit, parent: Unit | None = None, **fields) -> Unit:
    fields.pop("member_level", None)  # follows the tree (unit_membership), never set by hand
    changed = []
    for name, value in fields.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            changed.append(name)
    moved = False
    with transaction.atomic():
        if changed:
            unit.save(update_fields=[*changed, "updated_at"])
        if parent is not None and unit.get_parent() != parent:
            if parent.path.startswith(unit.path):
                raise ValidationError(_("A unit cannot be moved under itself or its own sub-units."))
            unit.move(parent, pos="last-child")
            unit.refresh_from_db()
            moved = True
        unit_membership_follow_tree(unit=unit, subtree=moved)
        if moved or {"name", "code"} & set(changed):
            names_changed(unit_ids=[unit.pk])
    return unit


def units_delete(*, units: Iterable[Unit]) -> None:
    """The admin's delete of units (and, by treebeard, the units below them): pages showing their
    names follow (name_followers) once the delete commits."""
    ids = [unit.pk for unit in units]
    with transaction.atomic():
        names_changed(unit_ids=ids)
        # treebeard's delete takes the subtrees too and fixes the parents' child counts.
        Unit.objects.filter(pk__in=ids).delete()


def unit_membership_follow_tree(*, unit: Unit, subtree: bool = False) -> None:
    """After a change of status or place: the level (and the date) of the unit follow the tree
    again; a moved unit's sub-units (``subtree``) change depth with it, so they follow too
    (set-based: one UPDATE per depth and outcome)."""
    from django.db.models import Q

    unit.refresh_from_db()
    level, status, since = unit_membership(depth=unit.depth, status=unit.membership_status,
                                           since=unit.membership_since)
    if (level, status, since) != (unit.member_level, unit.membership_status, unit.membership_since):
        unit.member_level, unit.membership_status, unit.membership_since = level, status, since
        unit.save(update_fields=["member_level", "membership_status", "membership_since", "updated_at"])
    if not subtree:
        return
    below = Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth)
    below.filter(depth=2, membership_status=Unit.MembershipStatus.NONE).update(
        membership_status=Unit.MembershipStatus.ACTIVE)
    below.filter(membership_status=Unit.MembershipStatus.NONE).exclude(member_level="").update(member_level="")
    members = below.exclude(membership_status=Unit.MembershipStatus.NONE)
    members.filter(depth=2).exclude(member_level=Unit.MemberLevel.LEVEL_1).update(member_level=Unit.MemberLevel.LEVEL_1)
    members.filter(depth__gt=2).exclude(member_level=Unit.MemberLevel.LEVEL_2).update(member_level=Unit.MemberLevel.LEVEL_2)
    members.filter(Q(membership_since__isnull=True)).update(membership_since=timezone.localdate())


# MEM-3: one record per person city-wide; a move is a transfer, not a second record.
ALREADY_REGISTERED = gettext_lazy("A worker with this ID number is already registered; "
                                  "if they changed units, their current unit transfers them.")


def worker_id_number_check(
    *, id_number: str, name: str | None = None, by: User | None = None, address: str | None = None,
) -> str:
    """MEM-3: the normalised number, or ValidationError when it is invalid or already registered.

    The one duplicate-worker check: the admin form asks it while validating, and worker_create asks
    it again before writing. MEM-4: for a user (``by``), an answer that the number is registered
    outside their units names no unit, counts against their daily allowance and is recorded; over
    the allowance nothing is answered either way. Without the reveal permission, the answers that
    would confirm a guess of one of the user's own workers' numbers count too: the mask and a birth
    band leave about 166 candidates, and "registered" (or "new" beside a worker of the same name
    and mask) tells which one is right."""
    try:
        number, _birth, _sex = parse_id_number(id_number)
    except InvalidCode as error:
        raise ValidationError({"id_number": str(error)}) from None
    existing = Worker.objects.filter(id_number_digest=id_number_digest(number)).values_list("pk", "unit__path").first()
    if by is None:
        if existing is not None:
            raise ValidationError({"id_number": ALREADY_REGISTERED})
        return number
    guarded = not by.has_perm("membership.reveal_id_number")
    if existing is None:
        if id_number_lookups_exhausted(user=by):
            raise ValidationError({"id_number": id_number_lookup_limit_message()})
        if guarded and name and scoping.visible_to(
                Worker.objects.filter(id_number_masked=mask_id_number(number), name=name), by).exists():
            if not id_number_lookup(user=by, number=number, worker_id=None,
                                    source=IdNumberLookup.Source.WORKER_FORM, address=address):
                raise ValidationError({"id_number": id_number_lookup_limit_message()})
        return number
    in_scope = scoping.path_checker(by)(existing[1])
    if (not in_scope or guarded) and not id_number_lookup(
            user=by, number=number, worker_id=existing[0], source=IdNumberLookup.Source.WORKER_FORM, address=address):
        raise ValidationError({"id_number": id_number_lookup_limit_message()})
    raise ValidationError({"id_number": ALREADY_REGISTERED})


def worker_create(
    *, id_number: str, name: str, unit: Unit, post: str = "", is_frontline: bool = False,
    is_migrant: bool = False, is_needy: bool = False, education: str = "", phone: str = "",
    joined_union_on: dt.date | None = None, left_on: dt.date | None = None, leaving_reason: str = "",
    by: User | None = None, address: str | None = None,
) -> Worker:
    number = worker_id_number_check(id_number=id_number, name=name, by=by, address=address)
    worker = Worker(
        name=name, unit=unit, post=post, is_frontline=is_frontline, is_migrant=is_migrant,
        is_needy=is_needy, education=education, phone=phone, joined_union_on=joined_union_on,
        left_on=left_on, leaving_reason=leaving_reason, **worker_id_fields(number),
    )
    worker.full_clean(exclude=["id_number_encrypted", "id_number_digest"])
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:  # registered by someone else since the check (the digest is unique)
        raise ValidationError({"id_number": ALREADY_REGISTERED}) from None
    return worker


def worker_update(*, worker: Worker, by: User | None = None, effective_on: dt.date | None = None, **fields) -> Worker:
    """Change a worker; a new unit is recorded as a transfer effective on ``effective_on`` (today
    when not given) (MEM-3)."""
    previous_unit_id = Worker.objects.filter(pk=worker.pk).values_list("unit_id", flat=True).get()
    changed = [name for name, value in fields.items() if getattr(worker, name) != value]
    for name in changed:
        setattr(worker, name, fields[name])
    if {"left_on", "leaving_reason"} & set(changed):
        worker.full_clean(exclude=["id_number_encrypted", "id_number_digest", "unit"], validate_unique=False)
    with transaction.atomic():
        if worker.unit_id != previous_unit_id:
            on = effective_on or timezone.localdate()
            problem = transfer_date_problems(moves=[(worker.pk, on)]).get(worker.pk)
            if problem:
                raise ValidationError({"effective_on": problem})
            worker_transfers_record(moves=[(worker.pk, previous_unit_id, worker.unit_id, on)], by=by)
        if changed:
            worker.save(update_fields=[*changed, "updated_at"])
        if "name" in changed:
            names_changed(worker_ids=[worker.pk])
    return worker


def transfer_date_problems(*, moves: Iterable[tuple[int, dt.date]]) -> dict[int, str]:
    """MEM-3: why a move (worker id, effective date) cannot take effect on that date, by worker:
    a date in the future, before the worker's last move, or before the day their unit released
    them. One query for any number of moves. The history stays in order, so the unit a worker
    belonged to on any past day has one answer (selectors.worker_units_on)."""
    moves = list(moves)
    today = timezone.localdate()
    problems = {worker_id: _("The transfer date lies in the future") for worker_id, on in moves if on > today}
    dates = dict(moves)
    rows = WorkerTransfer.objects.filter(worker_id__in=list(dates)).values("worker_id").annotate(
        last=Max("effective_on"), released=Max("released_on", filter=Q(to_unit__isnull=True)))
    for row in rows:
        on = dates[row["worker_id"]]
        if row["last"] and on < row["last"]:
            problems.setdefault(row["worker_id"], _("The transfer date is before the worker's last transfer (%(date)s)")
                                % {"date": row["last"].isoformat()})
        elif row["released"] and on < row["released"]:
            problems.setdefault(row["worker_id"], _("The transfer date is before the release date (%(date)s)")
                                % {"date": row["released"].isoformat()})
    return problems


def worker_transfers_record(*, moves: Iterable[tuple], by: User | None, upload=None) -> int:
    """MEM-3: record moves (worker id, from unit id, to unit id[, effective date]) as transfers on
    the one worker record. The admin's change of unit and a roster upload that moves workers both
    write here. A move of a worker whose unit released them completes that release (the second
    step of issue 8's transfer); any other move is one step. Without a date, a move takes effect
    today. Two queries for any number of moves."""
    today = timezone.localdate()
    moves = [(move[0], move[1], move[2], move[3] if len(move) > 3 and move[3] else today) for move in moves]
    if not moves:
        return 0
    now = timezone.now()
    pending = {transfer.worker_id: transfer for transfer in WorkerTransfer.objects.filter(
        worker_id__in=[move[0] for move in moves], to_unit__isnull=True)}
    completed, created = [], []
    for worker_id, from_unit_id, to_unit_id, effective_on in moves:
        release = pending.get(worker_id)
        if release is not None:
            release.to_unit_id, release.effective_on, release.taken_in_at = to_unit_id, effective_on, now
            release.moved_by, release.upload = by, upload
            completed.append(release)
        else:
            created.append(WorkerTransfer(worker_id=worker_id, from_unit_id=from_unit_id, to_unit_id=to_unit_id,
                                          effective_on=effective_on, moved_by=by, upload=upload))
    WorkerTransfer.objects.bulk_update(completed, ["to_unit", "effective_on", "taken_in_at", "moved_by", "upload"])
    WorkerTransfer.objects.bulk_create(created)
    return len(moves)


def worker_release(*, worker: Worker, released_on: dt.date, by: User) -> WorkerTransfer:
    """MEM-3 调出: the worker's unit lets them go from ``released_on``; they stay on its roll until
    an officer of the receiving unit takes them in (worker_take_in, or a roster upload)."""
    if not by.has_perm("membership.change_worker") or not scoping.changeable_by(
            Worker.objects.filter(pk=worker.pk), by).exists():
        raise PermissionDenied
    if released_on > timezone.localdate():
        raise ValidationError({"released_on": _("The release date lies in the future")})
    problem = transfer_date_problems(moves=[(worker.pk, released_on)]).get(worker.pk)
    if problem:
        raise ValidationError({"released_on": problem})
    try:
        with transaction.atomic():
            return WorkerTransfer.objects.create(worker=worker, from_unit_id=worker.unit_id, released_on=released_on,
                                                 released_by=by, moved_by=by)
    except IntegrityError:
        raise ValidationError({"released_on": _("This worker has already been released.")}) from None


def worker_release_cancel(*, worker: Worker, by: User) -> int:
    """The releasing unit takes back a release nobody has taken in yet."""
    if not by.has_perm("membership.change_worker") or not scoping.changeable_by(
            Worker.objects.filter(pk=worker.pk), by).exists():
        raise PermissionDenied
    deleted, _kinds = WorkerTransfer.objects.filter(worker=worker, to_unit__isnull=True).delete()
    return deleted


def worker_take_in(
    *, id_number: str, name: str, unit: Unit, effective_on: dt.date | None, by: User,
) -> Worker:
    """MEM-3: an officer takes in, into ``unit`` (one of theirs), a worker another unit has
    released; the worker is named by full ID number and registered name, as on the roster
    upload. The release and this take-in are one transfer on the worker's record."""
    if not by.has_perm("membership.change_worker") or not scoping.unit_in_scope(by, unit):
        raise PermissionDenied
    not_released = ValidationError({"id_number": _(
        "No worker with this ID number and name has been released by their unit; their unit must "
        "release (调出) them first")})
    try:
        number, _birth, _sex = parse_id_number(id_number)
    except InvalidCode as error:
        raise ValidationError({"id_number": str(error)}) from None
    with transaction.atomic():
        worker = Worker.objects.select_for_update().filter(id_number_digest=id_number_digest(number)).first()
        if worker is None or worker.name != name.strip():
            raise not_released
        release = WorkerTransfer.objects.filter(worker=worker, to_unit__isnull=True).first()
        if release is None:
            raise not_released
        if worker.unit_id == unit.pk:
            raise ValidationError({"unit": _("The worker already belongs to this unit")})
        on = effective_on or release.released_on
        problem = transfer_date_problems(moves=[(worker.pk, on)]).get(worker.pk)
        if problem:
            raise ValidationError({"effective_on": problem})
        worker_transfers_record(moves=[(worker.pk, worker.unit_id, unit.pk, on)], by=by)
        worker.unit = unit
        worker.save(update_fields=["unit", "updated_at"])
    return worker


def worker_find_by_id_number(*, id_number: str) -> Worker | None:
    try:
        number, _birth, _sex = parse_id_number(id_number)
    except InvalidCode:
        return None
    return Worker.objects.filter(id_number_digest=id_number_digest(number)).first()


def id_number_reveal(*, worker: Worker, user: User, address: str | None = None) -> str:
    """MEM-4: the full number, for a user with the permission, and a record that they saw it."""
    if not user.has_perm("membership.reveal_id_number"):
        raise PermissionDenied
    if not scoping.visible_to(Worker.objects.filter(pk=worker.pk), user).exists():
        raise PermissionDenied
    IdNumberReveal.objects.create(worker=worker, user=user, address=address)
    return decrypt_id_number(worker.id_number_encrypted)


# MEM-4: "is this ID number registered anywhere in the city?" is answered by adding or uploading a
# worker, and a search by full number is a guess that the mask plus a birth band makes cheap. Each
# user gets ID_NUMBER_LOOKUPS_PER_DAY such answers a day. The counter lives in the cache (Redis in
# production and the tests), so every web and Celery process shares it; INCR is atomic there.
_LOOKUP_TIMEOUT = 2 * 24 * 3600


def _lookup_keys(user: User, digest: str) -> tuple[str, str]:
    day = timezone.localdate().isoformat()
    return f"id-lookups:{user.pk}:{day}", f"id-lookup:{user.pk}:{day}:{digest[:32]}"


def id_number_lookups_exhausted(*, user: User) -> bool:
    """True once the user has had today's allowance: from then on no answer may tell whether a
    number is registered (nor, by its absence, that it is not)."""
    counter, _seen = _lookup_keys(user, "")
    return (cache.get(counter) or 0) >= settings.ID_NUMBER_LOOKUPS_PER_DAY


def id_number_lookup_count(*, user: User, digest: str) -> bool:
    """Count one answer about the number with this digest; False when the allowance is used up
    and nothing may be answered. The same number again the same day is free: it tells nothing new."""
    counter, seen = _lookup_keys(user, digest)
    if cache.get(seen):
        return True
    if cache_count(counter, _LOOKUP_TIMEOUT) > settings.ID_NUMBER_LOOKUPS_PER_DAY:
        return False
    cache.set(seen, 1, timeout=_LOOKUP_TIMEOUT)
    return True


def id_number_lookups_record(
    *, user: User, source: str, entries: Iterable[tuple[str, int | None, bool]], upload=None,
    address: str | None = None,
) -> None:
    """Record answers (and refusals over the limit) as (masked number, worker id, answered)."""
    IdNumberLookup.objects.bulk_create([
        IdNumberLookup(user=user, source=source, id_number_masked=masked, worker_id=worker_id,
                       answered=answered, upload=upload, address=address)
        for masked, worker_id, answered in entries
    ])


def id_number_lookup(
    *, user: User, number: str, worker_id: int | None, source: str, address: str | None = None,
) -> bool:
    """Count and record one answer about a (valid, normalised) number; False over the limit."""
    answered = id_number_lookup_count(user=user, digest=id_number_digest(number))
    id_number_lookups_record(user=user, source=source, entries=[(mask_id_number(number), worker_id, answered)],
                             address=address)
    return answered


def id_number_lookup_limit_message() -> str:
    return _("You have had today's allowance of answers about ID numbers outside your units; "
             "no more are given today. Municipal staff can help if you need more.")
def user_login_lockout_reset(*, user: User, by: User) -> int:
    """MEM-2: a lock-out triggered from many addresses (portal.login_guard) has a way back that needs
    no CAPTCHA: the account's officer clears its failed log-ins. A staff account is reset by whoever
    may change users in its unit's subtree, a worker's account by whoever may change workers of the
    worker's unit. Returns how many failure records were cleared."""
    from axes.utils import reset as axes_reset

    if user.unit_id is not None:
        unit, permission = user.unit, "membership.change_user"
    elif user.worker_id is not None:
        unit, permission = user.worker.unit, "membership.change_worker"
    else:
        unit, permission = None, "membership.change_user"
    if not by.has_perm(permission) or not scoping.unit_in_scope(by, unit):
        raise PermissionDenied
    return axes_reset(username=user.get_username())


# MEM-2 分级建立、动态管理: each level sets up the staff of the units below it. Which role a
# unit's staff holds follows the unit's place in the tree.
_ROLE_DEPTHS = {scoping.MUNICIPAL_GROUP: (1,), scoping.LEADERSHIP_GROUP: (1,), scoping.LEVEL1_GROUP: (2,)}


def groups_grantable_by(user: User):
    """The groups ``user`` may hand out: those holding no permission the user lacks, so no one
    grants a role above their own. A superuser grants any. One query."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    if user.is_superuser:
        return Group.objects.all()
    mine = Permission.objects.filter(Q(group__user=user) | Q(user=user)).values("pk")
    root = scoping.user_root_path(user)
    depth = len(root) // Unit.steplen if root else 1
    # A role only for units above the user's own (领导小组 at the federation) fits no unit they manage.
    unfit = [name for name, depths in _ROLE_DEPTHS.items() if max(depths) < depth]
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=mine)).exclude(name__in=unfit)


def staff_account_check(*, by: User, account: User | None, unit: Unit | None, groups, is_superuser: bool = False,
                        is_active: bool = True) -> None:
    """MEM-2: whether ``by`` may give ``account`` (None for a new one) this unit, these groups and
    flags. Raises ValidationError by field. The rules: the unit lies in ``by``'s subtree; only a
    superuser makes a superuser; a newly added group holds no permission ``by`` lacks; the level
    roles follow the unit's depth (市总 staff at the federation, 一级 at a level-1 union, 二级 below);
    no one disables their own account."""
    errors: dict[str, list[str]] = {}
    held = set(account.groups.values_list("pk", flat=True)) if account is not None and account.pk else set()
    added = [group for group in groups if group.pk not in held]
    if not by.is_superuser:
        if is_superuser and not (account is not None and account.is_superuser):
            errors.setdefault("is_superuser", []).append(_("Only a superuser can make a superuser."))
        if unit is None or not scoping.unit_in_scope(by, unit):
            errors.setdefault("unit", []).append(_("Choose a unit in your own subtree."))
        grantable = set(groups_grantable_by(by).filter(pk__in=[group.pk for group in added]).values_list("pk", flat=True))
        above = [group.name for group in added if group.pk not in grantable]
        if above:
            errors.setdefault("groups", []).append(
                _("You cannot grant a role above your own: %(groups)s.") % {"groups": "、".join(sorted(above))})
    if unit is not None:
        for group in added:
            depths = _ROLE_DEPTHS.get(group.name)
            if group.name == scoping.LEVEL2_GROUP and unit.depth < 3 or depths and unit.depth not in depths:
                errors.setdefault("groups", []).append(
                    _("The role %(group)s does not fit a unit at this level of the tree.") % {"group": group.name})
    if account is not None and account.pk == by.pk and not is_active:
        errors.setdefault("is_active", []).append(_("You cannot disable your own account."))
    if errors:
        raise ValidationError(errors)
