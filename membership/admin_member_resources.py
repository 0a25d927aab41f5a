"""MEM-5 in the admin: a member unit's staff ask the federation for training consulting or teacher
coordination; municipal staff answer and close. Staff of a unit that may not ask are told why."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import member_resources, scoping
from .admin_scoped import ScopedAdmin
from .models import MemberServiceRequest

ASKED_FIELDS = ("unit", "kind", "subject", "starts_on", "ends_on", "need")
RECORD_FIELDS = ("requested_by", "created_at", "status", "answered_by", "answered_at", "closed_at")


class MemberServiceRequestAddForm(forms.ModelForm):
    class Meta:
        model = MemberServiceRequest
        fields = ASKED_FIELDS
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None:
            reason = member_resources.why_unit_may_not_ask(unit)
            if reason:
                self.add_error("unit", reason)
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date comes before the start date."))
        return data


class MemberServiceRequestAnswerForm(forms.ModelForm):
    class Meta:
        model = MemberServiceRequest
        fields = ("answer", "outcome")

    def clean(self):
        data = super().clean()
        if self.instance.status == MemberServiceRequest.Status.CLOSED:
            raise forms.ValidationError(_("This request is closed."))
        if data.get("outcome", "").strip() and not data.get("answer", "").strip():
            self.add_error("answer", _("Answer the request before closing it."))
        return data


@admin.register(MemberServiceRequest)
class MemberServiceRequestAdmin(ScopedAdmin):
    list_display = ("subject", "kind", "unit", "starts_on", "ends_on", "status", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("subject", "need", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "created_at"
    change_list_template = "admin/membership/memberservicerequest/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberServiceRequestAnswerForm if obj is not None else MemberServiceRequestAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ASKED_FIELDS
        return (*ASKED_FIELDS, *RECORD_FIELDS, "answer", "outcome")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self.has_change_permission(request, obj):
            return (*ASKED_FIELDS, *RECORD_FIELDS)
        return (*ASKED_FIELDS, *RECORD_FIELDS, "answer", "outcome")

    def has_change_permission(self, request, obj=None):
        # Municipal staff answer and close; a closed request is kept as it ended.
        if obj is not None and obj.status == MemberServiceRequest.Status.CLOSED:
            return False
        return super().has_change_permission(request, obj) and scoping.is_municipal(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit" and formfield is not None:
            # Only the member units the user may ask for; their own unit first when it may ask.
            formfield.queryset = member_resources.units_that_may_ask(request.user)
            formfield.help_text = _("Level-1 and level-2 member units in good standing may ask.")
        return formfield

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        unit_id = getattr(request.user, "unit_id", None)
        if unit_id and member_resources.units_that_may_ask(request.user).filter(pk=unit_id).exists():
            initial.setdefault("unit", unit_id)
        return initial

    def _cannot_ask(self, request) -> str:
        """Why this user may not ask (a unit's staff whose units are no members in good standing)."""
        if not super().has_add_permission(request) or member_resources.units_that_may_ask(request.user).exists():
            return ""
        unit = getattr(request.user, "unit", None)
        return member_resources.why_unit_may_not_ask(unit) or _(
            "No unit in your care is a level-1 or level-2 member in good standing.")

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "cannot_ask": self._cannot_ask(request)})

    def add_view(self, request, form_url="", extra_context=None):
        reason = self._cannot_ask(request)
        if reason:
            messages.error(request, reason)
            return redirect("admin:membership_memberservicerequest_changelist")
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            created = member_resources.member_request_create(
                by=request.user, **{name: form.cleaned_data[name] for name in ASKED_FIELDS})
            obj.__dict__.update(created.__dict__)
            return
        current = MemberServiceRequest.objects.get(pk=obj.pk)
        if "answer" in form.changed_data:
            current = member_resources.member_request_answer(request=current, answer=form.cleaned_data["answer"],
                                                             by=request.user)
        if "outcome" in form.changed_data and form.cleaned_data["outcome"].strip():
            current = member_resources.member_request_close(request=current, outcome=form.cleaned_data["outcome"],
                                                            by=request.user)
        obj.__dict__.update(current.__dict__)
