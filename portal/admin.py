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
# portal schedules by crontab only, so the clocked, solar and interval schedules are not offered;
# the task list's "scheduler" column has an English heading in the package, so it gets a Chinese one.
def _celery_beat_admin() -> None:
    from django.utils.translation import gettext_lazy as _
    from django_celery_beat import admin as beat_admin
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

    for model in (ClockedSchedule, IntervalSchedule, SolarSchedule, PeriodicTask):
        admin.site.unregister(model)

    @admin.register(PeriodicTask)
    class PortalPeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
        list_display = ("name", "enabled", "schedule_text", "last_run_at", "one_off")
        list_filter = ["enabled", "one_off", "last_run_at"]

        @admin.display(description=_("schedule"))
        def schedule_text(self, obj):
            return obj.crontab.human_readable if obj.crontab_id else str(obj.scheduler)


_celery_beat_admin()
