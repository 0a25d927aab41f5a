"""Helpers the course admin's actions share."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


def _each(modeladmin, request, queryset, call):
    done = 0
    for course in queryset:
        try:
            call(course)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            messages_text = "；".join(getattr(error, "messages", [str(error) or _("Not permitted.")]))
            modeladmin.message_user(request, f"{course}：{messages_text}", messages.WARNING)
    return done




def _intermediate(modeladmin, request, queryset, form, action, title):
    return TemplateResponse(request, "admin/courses/course_action.html", {
        **modeladmin.admin_site.each_context(request), "title": title, "courses": queryset, "form": form,
        "action": action, "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })
