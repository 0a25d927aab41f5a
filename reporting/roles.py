"""REP-1…3, MEM-6, MEM-7: what the reporting app's models allow each staff role. Leadership reads every
dashboard and changes nothing (REP-3)."""
from __future__ import annotations


def _crud(*models: str, delete: bool = False) -> list[str]:
    actions = ("add", "change", "view", "delete") if delete else ("add", "change", "view")
    return [f"reporting.{action}_{model}" for model in models for action in actions]


_VIEW_ALL = [f"reporting.view_{model}" for model in (
    "fundsreturn", "learningorgstatus", "campaignyear", "leadinggroup", "leadinggroupmember", "coordinationmeeting",
    "meetingdecision", "followupaction", "workplan", "workplanitem", "plan", "indicator", "target", "run",
    "indicatorvalue")]

ROLES = {
    "municipal": [
        *_VIEW_ALL, *_crud("fundsreturn", "learningorgstatus", "campaignyear", "leadinggroup", "coordinationmeeting",
                           "workplan", "plan", "indicator", "target"),
        *_crud("leadinggroupmember", "meetingdecision", "followupaction", "workplanitem", delete=True),
        "reporting.start_run",
        # The nightly run's schedule is data municipal staff see and change (django-celery-beat).
        "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule", "django_celery_beat.change_crontabschedule",
        "django_celery_beat.add_crontabschedule",
    ],
    "level1": [
        *_VIEW_ALL, *_crud("fundsreturn", "learningorgstatus", "campaignyear", "coordinationmeeting", "workplan"),
        *_crud("meetingdecision", "followupaction", "workplanitem", delete=True),
    ],
    "level2": [
        *_VIEW_ALL, *_crud("fundsreturn", "learningorgstatus", "workplan"),
        "reporting.change_followupaction", *_crud("workplanitem", delete=True),
    ],
    "leadership": list(_VIEW_ALL),
}
