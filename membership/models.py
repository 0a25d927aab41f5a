from __future__ import annotations

import datetime as dt

import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Industry(models.Model):
    """GB/T 4754-2017 national industry classification: sections (A–T) and divisions (01–97)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    section = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="divisions",
        verbose_name=_("section"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(MP_Node):
    """MEM-1: one node of the union tree. The materialised `path` makes "this unit and everything
    under it" a single indexed `path LIKE 'prefix%'` query."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("Municipal federation of trade unions")
        DISTRICT = "district", _("District trade union")
        DEVELOPMENT_ZONE = "development_zone", _("Development zone trade union")
        INDUSTRY_UNION = "industry_union", _("Industrial trade union")
        BUREAU_UNION = "bureau_union", _("Bureau or group company trade union")
        STREET_UNION = "street_union", _("Street or township trade union")
        ENTERPRISE_UNION = "enterprise_union", _("Enterprise trade union")

    class MemberLevel(models.TextChoices):
        LEVEL_1 = "1", _("Level-1 member")
        LEVEL_2 = "2", _("Level-2 member")
        NONE = "", _("Not a member")

    class MembershipStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        NONE = "none", _("None")

    node_order_by = None
    SCOPE_FIELD = ""

    code = models.CharField(_("unit code"), max_length=32, unique=True)
    name = models.CharField(_("unit name"), max_length=200)
    kind = models.CharField(_("unit type"), max_length=32, choices=Kind.choices)
    member_level = models.CharField(
        _("member level"), max_length=1, choices=MemberLevel.choices, blank=True, default=""
    )
    membership_status = models.CharField(
        _("membership status"), max_length=16, choices=MembershipStatus.choices,
        default=MembershipStatus.NONE,
    )
    membership_since = models.DateField(_("member since"), null=True, blank=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("industry"),
        limit_choices_to={"section__isnull": False},
    )
    district = models.CharField(_("district"), max_length=20, blank=True)
    worker_count = models.PositiveIntegerField(_("number of workers"), null=True, blank=True)
    # IND-LEARNING-ORG-RATE counts a grass-roots unit in the years it existed; empty: every year.
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("union unit")
        verbose_name_plural = _("union units")
        permissions = [("export_unit", _("Can export units"))]
        # A subtree's units and their ids from the index alone (path LIKE 'prefix%'): the
        # indicators' drill-down starts from them (issue 11).
        indexes = [models.Index(fields=["path"], opclasses=["varchar_pattern_ops"], include=["id"],
                                name="unit_subtree")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def level(self) -> int:
        """0 for the municipal federation, 1 for district/industry unions, 2 below."""
        return self.depth - 1


class User(AbstractUser):
    """MEM-2: a staff account belongs to exactly one unit and works inside its subtree."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        verbose_name=_("unit"),
    )
    # A worker's own log-in for the public site (EDU-8); staff accounts leave it empty.
    worker = models.OneToOneField(
        "Worker", on_delete=models.SET_NULL, null=True, blank=True, related_name="account", verbose_name=_("worker"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


class WorkerQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> "WorkerQuerySet":
        """MEM-3: the workers still on the roll on ``on`` (today by default): no leaving date, or
        one after that day. Leavers keep their whole record but drop out of current lists and
        counts; every list or count of "the workers" starts here."""
        on = on or timezone.localdate()
        return self.filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=on))

    def leavers(self, on: dt.date | None = None) -> "WorkerQuerySet":
        on = on or timezone.localdate()
        return self.filter(left_on__lte=on)

    def on_roll(self, on: dt.date) -> "WorkerQuerySet":
        """The workers registered on ``on`` (issue 11's worker base P(Y) for ``on`` = 31 Dec Y):
        joined the union on or before that day (or no join date recorded) and not left by then."""
        return self.current(on).filter(models.Q(joined_union_on__isnull=True) | models.Q(joined_union_on__lte=on))


class Worker(models.Model):
    """MEM-3: one person city-wide, found by the keyed hash of the ID number."""

    class LeavingReason(models.TextChoices):
        # Officers upload the Chinese words (upload_kinds.LEAVING_REASON_WORDS); stored as the codes.
        RESIGNED = "resigned", _("Resigned")
        RETIRED = "retired", _("Retired")
        OTHER = "other", _("Other")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school or below")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary or vocational")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    SCOPE_FIELD = "unit"
    # A record's owner through its worker (``worker__unit``) is read for each row: a district's
    # 200,000 workers are too many to gather for every list of their records (scoping._probed).
    SCOPE_OWNER_PROBED = True

    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    # Indexed through (unit, name) below, which also serves every lookup by unit alone.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="workers", verbose_name=_("unit"), db_index=False
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    is_frontline = models.BooleanField(_("front-line worker"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    is_needy = models.BooleanField(_("needy worker"), default=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    joined_union_on = models.DateField(_("union join date"), null=True, blank=True)
    # MEM-3 离会: a leaver keeps the whole record (learning, credits, transfers); from this day on
    # they are out of current lists and counts (WorkerQuerySet.current).
    left_on = models.DateField(_("leaving date"), null=True, blank=True)
    # db_default: the seed, the bench and other COPY writers that predate the column stay valid.
    leaving_reason = models.CharField(_("leaving reason"), max_length=16, choices=LeavingReason.choices, blank=True,
                                      default="", db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # UPL-2 (issue 13): the keyed digest of the roster row (its cells as the file gave them, see
    # uploads.fingerprint.cells_digester) that last wrote this worker. A re-upload finds a row with
    # this digest to be the row written then, and reports it unchanged without validating it again
    # (WorkerKind.recognise_written). Any other change of the worker clears it (the trigger below),
    # so it never stands for a worker edited since. NULL: unknown (written elsewhere, or changed).
    upload_row_digest = models.CharField(max_length=32, null=True, blank=True, editable=False)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["id"]
        # The id included: a subtree's workers (scoping's worker__in=…) come from the index alone,
        # not from one heap page per worker (the talent database's counts for a district); with the
        # membership dates, so do the workers of P(Y) in a subtree (the indicators' drill-down).
        indexes = [models.Index(fields=["unit", "name"], include=["id", "joined_union_on", "left_on"],
                                name="worker_unit_name"),
                   # The list's order with what its default filters read (the scope's unit, the
                   # roll's leaving date): a page's ids come from this index alone (issue 13); and
                   # a worker's membership on a day, for the drill-down's movers.
                   models.Index(fields=["id"], include=["unit", "left_on", "joined_union_on"],
                                name="worker_list_order"),
                   models.Index(fields=["upload_row_digest"], condition=models.Q(upload_row_digest__isnull=False),
                                name="worker_upload_row_digest")]
        # UPL-2: an UPDATE that does not write a new row digest (the admin, a service, SQL in a
        # shell) clears the one stored: the worker is then no longer what that row wrote.
        triggers = [pgtrigger.Trigger(
            name="upload_row_digest_cleared", when=pgtrigger.Before, operation=pgtrigger.Update,
            condition=pgtrigger.Q(old__upload_row_digest__isnull=False,
                                  new__upload_row_digest=pgtrigger.F("old__upload_row_digest")),
            func="NEW.upload_row_digest := NULL; RETURN NEW;",
        )]
        permissions = [
            ("reveal_id_number", _("Can reveal full ID numbers (each reveal is logged)")),
            ("export_worker", _("Can export workers")),
        ]
        constraints = [
            # A leaving date always says why, and a reason is never given without a date.
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, leaving_reason="")
                | (models.Q(left_on__isnull=False) & ~models.Q(leaving_reason="")),
                name="worker_leaving_date_with_reason",
                violation_error_message=_("A leaving date needs a leaving reason, and a reason needs a date.")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class WorkerTransfer(models.Model):
    """MEM-3: a move between units is history on the one worker record, never a second worker.

    A move inside one officer's units is one step. Between districts it is two (issue 8): the
    releasing unit marks the worker 调出 (``released_on``, ``to_unit`` still empty: the worker
    stays theirs), then an officer of the receiving unit takes them in by upload or in the admin,
    which fills ``to_unit`` and ``effective_on`` on the same row. ``effective_on`` is the day the
    worker belongs to ``to_unit`` from, as the officers give it, not when it was typed: counts on
    a past date place the worker by it (selectors.worker_units_on)."""

    # SCOPE (set at the end of this module, which scoping imports): the receiving unit owns the
    # row; the releasing unit sees it (a pending release is only theirs to see).

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("worker"))
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("from unit")
    )
    # Empty while a release waits for the receiving unit.
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("to unit"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    released_on = models.DateField(_("release date"), null=True, blank=True)
    released_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("released by"))
    # When the move (or the release) was recorded, and by whom; for a release, the take-in's are
    # taken_in_at and moved_by.
    moved_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    moved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("moved by")
    )
    taken_in_at = models.DateTimeField(_("taken in at"), null=True, blank=True)
    upload = models.ForeignKey(
        "uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("upload"),
    )

    class Meta:
        verbose_name = _("worker transfer")
        verbose_name_plural = _("worker transfers")
        ordering = ["-moved_at"]
        indexes = [models.Index(fields=["worker", "effective_on"], name="transfer_worker_effective")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_unit__isnull=True, effective_on__isnull=True)
                | models.Q(to_unit__isnull=False, effective_on__isnull=False),
                name="transfer_effective_date_when_moved"),
            # At most one release waits per worker.
            models.UniqueConstraint(fields=["worker"], condition=models.Q(to_unit__isnull=True),
                                    name="one_pending_release_per_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.from_unit_id} → {self.to_unit_id or '…'}"

    @property
    def is_pending(self) -> bool:
        return self.to_unit_id is None


class IdNumberReveal(models.Model):
    """MEM-4: every time a full ID number is shown, who saw whose and when."""

    SCOPE_FIELD = "worker__unit"

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="reveals", verbose_name=_("worker"))
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("ID number reveal")
        verbose_name_plural = _("ID number reveals")
        ordering = ["-revealed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.worker}"




class IdNumberLookup(models.Model):
    """MEM-4: each answer that an ID number is registered outside the asker's units (adding a
    worker, uploading a roster) and each search by a full ID number — who asked, when, about which
    number (masked), through which door. Such answers are limited per user and day
    (ID_NUMBER_LOOKUPS_PER_DAY); a question asked over the limit is recorded unanswered."""

    class Source(models.TextChoices):
        WORKER_FORM = "worker_form", _("Adding a worker")
        UPLOAD = "upload", _("Worker roster upload")
        SEARCH = "search", _("Search by full ID number")

    # Visible where the asker works: the question is the asker's act, and the worker asked about
    # lies outside their units by definition.
    SCOPE_FIELD = "user__unit"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    source = models.CharField(_("asked through"), max_length=16, choices=Source.choices)
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    worker = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("worker"),
    )
    upload = models.ForeignKey(
        "uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("upload"),
    )
    answered = models.BooleanField(_("answered"), default=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("ID number lookup")
        verbose_name_plural = _("ID number lookups")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["user", "asked_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.id_number_masked}"


class MemberServiceRequest(models.Model):
    """MEM-5 会员资源: a member unit asks the federation for training consulting (培训咨询) or
    teacher coordination (师资协调); municipal staff answer it and close it with the outcome.
    Only level-1 and level-2 members in good standing may ask (membership.member_resources)."""

    class Kind(models.TextChoices):
        TRAINING_CONSULTING = "training_consulting", _("Training consulting")
        TEACHER_COORDINATION = "teacher_coordination", _("Teacher coordination")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    # The asking unit sees its requests; municipal staff (the tree's root) see and answer all.
    SCOPE_FIELD = "unit"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="service_requests",
                             verbose_name=_("member unit"))
    kind = models.CharField(_("service"), max_length=24, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    starts_on = models.DateField(_("wanted from"))
    ends_on = models.DateField(_("wanted until"))
    need = models.TextField(_("what is needed"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("asked by"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    answer = models.TextField(_("federation's answer"), blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member service request")
        verbose_name_plural = _("member service requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="service_request_ends_after_start"),
            # A closed request always says how it ended.
            models.CheckConstraint(condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                                   name="closed_service_request_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"


class PasswordResetCode(models.Model):
    """EDU-8, MEM-2: a one-time code an officer issues to a worker who forgot their password (and
    has no e-mail address to reset by). Recorded: who issued it to whom and when, when it expires
    and when it was used. Only its hash is stored; it works once, until ``expires_at``, and is
    spent after a few wrong tries (membership.password_reset)."""

    # The worker's unit when the code was issued: the issuing subtree keeps seeing its record.
    SCOPE_FIELD = "unit"

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="password_reset_codes",
                               verbose_name=_("worker"))
    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    code_hash = models.CharField(max_length=128, editable=False)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("password reset code")
        verbose_name_plural = _("password reset codes")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["account", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.issued_at:%Y-%m-%d %H:%M}"


# scoping.py reads Unit from this module, so the scope that names two owners is attached last.
from .scoping import Owner, Scope  # noqa: E402

WorkerTransfer.SCOPE = Scope(owners=(Owner("to_unit"), Owner("from_unit", change=False)))
