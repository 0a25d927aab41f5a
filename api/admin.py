"""Issue 12: API tokens in the admin. Staff of a unit's subtree make a token for a unit of their
subtree with a role no higher than their own (api.services.token_check), read its key once on
the page that answers the creation, list tokens by prefix, unit, role and last use, and revoke
them (an action on the list, a button on the token's page; both ask for confirmation)."""
from __future__ import annotations

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from membership import roles, scoping
from membership.admin_scoped import ScopedAdmin
from membership.services import groups_grantable_by

from . import services
from .models import ApiToken


class ApiTokenAddForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=())
    # One token per add form: the page that shows the key answers the POST, so refreshing it sent
    # the form again and made a second, active token whose key nobody saw. The form carries a
    # random mark, taken once in the cache (shared by every process) when the form is accepted.
    once = forms.CharField(widget=forms.HiddenInput, required=False, label="")
    ONCE_SECONDS = 24 * 3600

    class Meta:
        model = ApiToken
        fields = ["name", "unit", "role", "rate_per_minute"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        # Group names are the roles' Chinese names, as staff read them on their own accounts. Only
        # the roles the officer may hand out (a 朝阳 officer was offered 市总工会工作人员 first, as the
        # default, and refused on saving), their own role picked to begin with.
        grantable = set(groups_grantable_by(request.user).values_list("name", flat=True)) if request else set()
        self.fields["role"].choices = [(key, name) for key, name in roles.GROUPS.items() if name in grantable]
        own = set(request.user.groups.values_list("name", flat=True)) if request else set()
        self.fields["role"].initial = next((key for key, name in self.fields["role"].choices if name in own), None)
        self.fields["once"].initial = secrets.token_urlsafe(16)

    def clean(self):
        cleaned = super().clean()
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if unit is not None and role:
            try:
                services.token_check(by=self.request.user, unit=unit, role=role)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        once = cleaned.get("once") or ""
        if not self.errors and once and not cache.add(f"api-token-form:{once}", True, self.ONCE_SECONDS):
            raise ValidationError(_("This form was sent already and its token made. To make another token, "
                                    "open Add again."))
        return cleaned


def _revoke_confirmation(modeladmin, request, tokens, *, action: str | None):
    context = {**modeladmin.admin_site.each_context(request), "opts": ApiToken._meta, "tokens": tokens,
               "action": action, "title": _("Revoke API tokens")}
    return TemplateResponse(request, "admin/api/apitoken/revoke_confirmation.html", context)


@admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
def revoke_tokens(modeladmin, request, queryset):
    tokens = list(queryset.filter(revoked_at__isnull=True).select_related("unit", "user"))
    if request.POST.get("post") != "yes":
        return _revoke_confirmation(modeladmin, request, tokens, action="revoke_tokens")
    for token in tokens:
        services.token_revoke(token, by=request.user)
    messages.success(request, _("%(count)d tokens were revoked.") % {"count": len(tokens)})
    return None


class RoleFilter(admin.SimpleListFilter):
    """The role by its Chinese name (the field keeps the role's key)."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(roles.GROUPS.items())

    def queryset(self, request, queryset):
        return queryset.filter(role=self.value()) if self.value() else queryset


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ("name", "prefix", "unit", "role_name", "rate_per_minute", "last_used_at", "created_at",
                    "revoked_at")
    list_select_related = ("unit",)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), RoleFilter)
    search_fields = ("name", "prefix", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    actions = [revoke_tokens]
    readonly_fields = ("prefix", "unit", "role_name", "created_by", "created_at", "last_used_at", "revoked_at")
    change_form_template = "admin/api/apitoken/change_form.html"

    @admin.display(description=_("role"))
    def role_name(self, token):
        return roles.GROUPS.get(token.role, token.role)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "unit", "role", "rate_per_minute", "once"]
        return ["name", "prefix", "unit", "role_name", "rate_per_minute", "created_by", "created_at",
                "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A revoked token stays revoked: nothing of it changes any more.
        return self.readonly_fields + (("name", "rate_per_minute") if obj.revoked_at else ())

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        form = super().get_form(request, obj, form=ApiTokenAddForm, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        RequestForm.__name__ = form.__name__
        return RequestForm

    def has_delete_permission(self, request, obj=None):
        # A token is revoked, never deleted: its service account is named in the audit trail and
        # in the uploads it made.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        token, key = services.token_create(name=data["name"], unit=data["unit"], role=data["role"], by=request.user,
                                           rate_per_minute=data["rate_per_minute"])
        obj.pk, obj.prefix = token.pk, token.prefix
        # Kept on this request only: the page that answers the creation shows it, nothing stores it.
        request._api_token_key = key

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, ApiToken.objects.get(pk=obj.pk), message)

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_api_token_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        token = ApiToken.objects.select_related("unit").get(pk=obj.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "token": token, "key": key,
                   "role_name": self.role_name(token), "title": _("The token's key")}
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        # The key must not stay in any cache between here and the officer's screen.
        response["Cache-Control"] = "no-store"  # the admin adds its own never_cache on top
        return response

    def get_urls(self):
        return [path("<int:pk>/revoke/", self.admin_site.admin_view(self.revoke_view), name="api_apitoken_revoke"),
                *super().get_urls()]

    def revoke_view(self, request, pk):
        token = scoping.changeable_by(ApiToken.objects.select_related("unit", "user"), request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        if not self.has_change_permission(request, token):
            raise PermissionDenied
        if request.method == "POST":
            services.token_revoke(token, by=request.user)
            messages.success(request, _("The token %(token)s was revoked.") % {"token": token})
            return redirect("admin:api_apitoken_change", token.pk)
        return _revoke_confirmation(self, request, [token] if token.revoked_at is None else [], action=None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if str(object_id).isdigit():
            extra_context["revoke_url"] = reverse("admin:api_apitoken_revoke", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)
