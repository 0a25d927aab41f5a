"""The project composes admin pages of apps that may not import membership: uploads' pages
(uploads/admin.py) are registered here, scoped by membership's ScopedAdmin (MEM-2), so that the
upload pipeline stays below membership and no import loop runs between the two apps."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from core.permission_labels import label_permissions
from membership.admin_scoped import ScopedAdmin
from uploads.admin import RejectedRowsRevealAdmin, UploadAdmin
from uploads.models import RejectedRowsReveal, Upload


@admin.register(Upload)
class ScopedUploadAdmin(ScopedAdmin, UploadAdmin):
    pass


@admin.register(RejectedRowsReveal)
class ScopedRejectedRowsRevealAdmin(ScopedAdmin, RejectedRowsRevealAdmin):
    pass


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(GroupAdmin):
    """A role's permissions listed in the user's language, not as Django stored them (English)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            label_permissions(formfield)
        return formfield


# REP-1: the nightly indicator run's schedule is data staff see and change (django-celery-beat). The
# portal schedules by crontab only, so the clocked, solar and interval schedules are not offered, nor
# the broker's routing options; labels, help and the schedule's description are the portal's own, in
# the user's language (the package's are English, and cron_descriptor names weekdays in English).
def _celery_beat_admin() -> None:
    from django import forms
    from django.utils.translation import gettext_lazy as _
    from django_celery_beat import admin as beat_admin
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from portal.schedules import crontab_text

    for model in (ClockedSchedule, IntervalSchedule, SolarSchedule, PeriodicTask, CrontabSchedule):
        admin.site.unregister(model)

    class CrontabForm(forms.ModelForm):
        timezone = forms.ChoiceField(label=_("time zone"))

        class Meta:
            model = CrontabSchedule
            fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
            labels = {"minute": _("minute"), "hour": _("hour"), "day_of_month": _("day of the month"),
                      "month_of_year": _("month of the year"), "day_of_week": _("day of the week")}
            help_texts = {
                "minute": _("Cron syntax: a number 0–59, a list such as 0,30, a range such as 0-10, "
                            "a step such as */15, or * for every minute."),
                "hour": _("Cron syntax: a number 0–23 (2 is two o'clock at night), or * for every hour."),
                "day_of_month": _("Cron syntax: 1–31, or * for every day."),
                "month_of_year": _("Cron syntax: 1–12, or * for every month."),
                "day_of_week": _("Cron syntax: 0–6 with 0 for Sunday, or * for every day of the week."),
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            current = str(self.instance.timezone) if self.instance.pk else "Asia/Shanghai"
            choices = [("Asia/Shanghai", _("Beijing time (Asia/Shanghai)")), ("UTC", "UTC")]
            if current not in dict(choices):
                choices.append((current, current))
            self.fields["timezone"].choices = choices
            self.fields["timezone"].initial = current

    @admin.register(CrontabSchedule)
    class PortalCrontabAdmin(admin.ModelAdmin):
        form = CrontabForm
        list_display = ("schedule_text", "timezone")

        @admin.display(description=_("schedule"))
        def schedule_text(self, obj):
            return crontab_text(obj)

    class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            labels = {"name": (_("name"), _("A short name staff recognise, such as 指标夜间计算.")),
                      "regtask": (_("task (registered)"), _("The portal's task this schedule runs.")),
                      "task": (_("task (custom)"), _("Leave empty when a registered task is chosen.")),
                      "enabled": (_("enabled"), _("Clear to pause the schedule without deleting it.")),
                      "description": (_("description"), ""),
                      "crontab": (_("schedule"), _("When the task runs.")),
                      "start_time": (_("start from"), _("Leave empty to start at once.")),
                      "one_off": (_("run once"), _("Run once at the next scheduled time, then pause.")),
                      "expires": (_("expires at"), _("After this time the task no longer runs."))}
            for name, (label, help_text) in labels.items():
                if name in self.fields:
                    self.fields[name].label, self.fields[name].help_text = label, help_text
            if "crontab" in self.fields:
                self.fields["crontab"].label_from_instance = crontab_text

    @admin.register(PeriodicTask)
    class PortalPeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
        form = PeriodicTaskForm
        change_form_template = "admin/change_form.html"
        list_display = ("name", "enabled", "schedule_text", "last_run_at", "one_off")
        list_filter = ["enabled", "one_off", "last_run_at"]
        fieldsets = (
            (None, {"fields": ("name", "regtask", "task", "enabled", "description")}),
            (_("schedule"), {"fields": ("crontab", "start_time", "last_run_at", "one_off", "expires")}),
        )
        readonly_fields = ("last_run_at",)

        @admin.display(description=_("schedule"))
        def schedule_text(self, obj):
            return crontab_text(obj.crontab) if obj.crontab_id else str(obj.scheduler)

        def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
            # The package's view adds every crontab's English description for its own template.
            return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


_celery_beat_admin()
