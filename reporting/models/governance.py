"""MEM-7: the programme's leading group and its office, their quarterly coordination meetings with
decisions and follow-up actions, and each unit's annual work plan with its training items."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class LeadingGroup(models.Model):
    """The leading group (领导小组) of a unit's programme and its office (办公室)."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="leading_groups",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    office = models.CharField(_("office"), max_length=200, help_text=_("The group's office and where it sits"))
    established_on = models.DateField(_("established on"))

    class Meta:
        verbose_name = _("leading group")
        verbose_name_plural = _("leading groups")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class LeadingGroupMember(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        DEPUTY = "deputy", _("Deputy head")
        MEMBER = "member", _("Member")
        OFFICE_DIRECTOR = "office_director", _("Office director")

    SCOPE_FIELD = "group__unit"

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("leading group"))
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("position"), max_length=200)
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("leading group member")
        verbose_name_plural = _("leading group members")
        ordering = ["group", "role", "name"]

    def __str__(self) -> str:
        return self.name


class CoordinationMeeting(models.Model):
    """A quarterly coordination meeting (季度协调会) of the leading group's office."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="coordination_meetings",
                             verbose_name=_("convening unit"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), help_text=_("Who attended, one per line or separated by commas"))
    minutes = models.TextField(_("meeting minutes"), blank=True)

    class Meta:
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def quarter(self) -> int:
        return (self.held_on.month - 1) // 3 + 1


class MeetingDecision(models.Model):
    SCOPE_FIELD = "meeting__unit"

    meeting = models.ForeignKey(CoordinationMeeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("meeting"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUpQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(state=FollowUpAction.State.DONE).filter(due_on__lt=today)


class FollowUpAction(models.Model):
    """A follow-up action of a decision: the unit that owes it (it sees and updates the action) and
    its due date. The convening unit sees and changes it too."""

    class State(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    SCOPE = Scope(owners=(Owner("decision__meeting__unit"), Owner("owner_unit")))

    decision = models.ForeignKey(MeetingDecision, on_delete=models.CASCADE, related_name="actions",
                                 verbose_name=_("decision"))
    description = models.CharField(_("what is to be done"), max_length=300)
    owner_unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="follow_up_actions",
                                   verbose_name=_("responsible unit"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("progress note"), max_length=300, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today=None) -> bool:
        return self.state != self.State.DONE and self.due_on < (today or timezone.localdate())


QUARTERS = [(1, _("First quarter")), (2, _("Second quarter")), (3, _("Third quarter")), (4, _("Fourth quarter"))]


class WorkPlan(models.Model):
    """A unit's annual work plan (年度工作计划) for the programme."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="work_plans", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("annual work plan")
        verbose_name_plural = _("annual work plans")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="work_plan_one_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"


class WorkPlanItem(models.Model):
    """A training item of a work plan."""

    SCOPE_FIELD = "plan__unit"

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("work plan"))
    title = models.CharField(_("training item"), max_length=200)
    target_group = models.CharField(_("for whom"), max_length=200, blank=True)
    planned_participants = models.PositiveIntegerField(_("planned participants"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True,
                                               choices=QUARTERS)

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["plan", "quarter", "pk"]

    def __str__(self) -> str:
        return self.title
