"""The upload pages (UPL-1…5). uploads sits below membership (membership's kinds build on the
pipeline), so it cannot import membership's scoped admin: these classes are registered, scoped by
membership.admin_scoped.ScopedAdmin (MEM-2), in portal/admin.py, where the project composes its
apps. Unregistered here, an unscoped upload page cannot exist by mistake."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin_read_only import ReadOnlyAdminMixin
from portal.client_address import client_address
from portal.upload_limits import LimitedUploadFormMixin

from . import services
from .kinds import all_kinds, get_kind
from .models import Upload
from .pipeline import flatten_errors, progress_key
from .spreadsheets import XLSX_CONTENT_TYPE, rejected_rows_xlsx, template_xlsx


class UploadForm(LimitedUploadFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"))
    file = forms.FileField(label=_("file"), help_text=_("xlsx, xls or CSV (UTF-8 or GBK)"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, kind.label) for kind in kinds]


def _kinds_for(user):
    return [kind for kind in all_kinds() if user.has_perm(kind.permission)]


class UploadAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind_label", "user", "unit", "status", "rows", "new", "updated", "unchanged",
                    "rejected", "written", "created_at", "open_link")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("file_name", "sha256", "user__username")
    list_select_related = ("user", "unit")
    date_hierarchy = "created_at"

    @admin.display(description=_("kind"))
    def kind_label(self, upload):
        try:
            return get_kind(upload.kind).label
        except LookupError:
            return upload.kind

    @admin.display(description="")
    def open_link(self, upload):
        return format_html('<a href="{}">{}</a>', reverse("admin:uploads_upload_preview", args=[upload.pk]), _("Open"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        get_object_or_404(self.get_queryset(request), pk=object_id)
        return redirect("admin:uploads_upload_preview", object_id)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": bool(_kinds_for(request.user))}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("new/", view(self.new_view), name="uploads_upload_new"),
            path("template/<str:kind>/", view(self.template_view), name="uploads_upload_template"),
            path("<int:pk>/preview/", view(self.preview_view), name="uploads_upload_preview"),
            path("<int:pk>/progress/", view(self.progress_view), name="uploads_upload_progress"),
            path("<int:pk>/commit/", view(require_POST(self.commit_view)), name="uploads_upload_commit"),
            path("<int:pk>/retry/", view(require_POST(self.retry_view)), name="uploads_upload_retry"),
            path("<int:pk>/rejected.xlsx", view(self.rejected_view), name="uploads_upload_rejected"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def new_view(self, request):
        kinds = _kinds_for(request.user)
        if not kinds:
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds, request=request,
                          initial={"kind": request.GET.get("kind")})
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            data = uploaded.read()
            upload = services.upload_receive(
                user=request.user, kind_code=form.cleaned_data["kind"], file_name=uploaded.name, data=data
            )
            return redirect("admin:uploads_upload_preview", upload.pk)
        # Plain dicts: a template would call a kind class instead of reading its attributes.
        # Issue 8: an optional column is marked, as it may be left out of a file.
        choices = [{"code": kind.code, "label": kind.label,
                    "headers": [_("%(header)s (may be left out)") % {"header": c.header} if c.optional else c.header
                                for c in kind.columns]}
                   for kind in kinds]
        return TemplateResponse(request, "admin/uploads/new.html",
                                self._context(request, form=form, kinds=choices, title=_("Upload a spreadsheet")))

    def template_view(self, request, kind):
        try:
            kind_class = get_kind(kind)
        except LookupError:
            raise Http404 from None
        if not request.user.has_perm(kind_class.permission):
            raise PermissionDenied
        response = HttpResponse(template_xlsx(kind_class), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{kind}-template.xlsx"
        return response

    def _get(self, request, pk) -> Upload:
        return get_object_or_404(self.get_queryset(request).select_related("user", "unit"), pk=pk)

    def preview_view(self, request, pk):
        upload = self._get(request, pk)
        kind = get_kind(upload.kind)
        page = Paginator(list(flatten_errors(upload.errors)), 100).get_page(request.GET.get("page"))
        # Issue 8: every row the commit will update, each change as before → after (IDs masked).
        changes = Paginator(upload.changes, 100).get_page(request.GET.get("changes")) if upload.changes else None
        can_commit = upload.status == Upload.Status.PREVIEWED and request.user.has_perm(kind.permission) \
            and (upload.new or upload.updated)
        can_retry = upload.status == Upload.Status.FAILED and request.user.has_perm(kind.permission)
        return TemplateResponse(request, "admin/uploads/preview.html", self._context(
            request, upload=upload, kind_label=kind.label, page=page, changes=changes, can_commit=can_commit,
            can_retry=can_retry,
            title=_("Upload %(name)s") % {"name": upload.file_name},
        ))

    def progress_view(self, request, pk):
        upload = self._get(request, pk)
        progress = cache.get(progress_key(upload.pk)) or {}
        return JsonResponse({"status": upload.status, "finished": upload.is_finished or upload.status == Upload.Status.COMMITTED,
                             "rows": progress.get("rows", 0), "phase": progress.get("phase", "")})

    def commit_view(self, request, pk):
        upload = self._get(request, pk)
        if not request.user.has_perm(get_kind(upload.kind).permission):
            raise PermissionDenied
        if upload.status != Upload.Status.PREVIEWED:
            messages.warning(request, _("This upload has already been written or cannot be written."))
            return redirect("admin:uploads_upload_preview", upload.pk)
        upload = services.upload_start(upload=upload, commit=True)
        if upload.status == Upload.Status.COMMITTED:
            messages.success(request, _("%(count)d rows were written.") % {"count": upload.written})
        return redirect("admin:uploads_upload_preview", upload.pk)

    def retry_view(self, request, pk):
        upload = self._get(request, pk)
        if not request.user.has_perm(get_kind(upload.kind).permission):
            raise PermissionDenied
        if upload.status != Upload.Status.FAILED:
            messages.warning(request, _("Only an upload that failed can be run again."))
            return redirect("admin:uploads_upload_preview", upload.pk)
        services.upload_retry(upload=upload)
        return redirect("admin:uploads_upload_preview", upload.pk)

    def rejected_view(self, request, pk):
        upload = self._get(request, pk)
        # The uploader gets back what they sent; anyone else in the scope sees ID numbers masked
        # unless they hold the reveal permission, and then the download is recorded (MEM-4).
        reveal = services.rejected_rows_reveal(upload=upload, user=request.user, address=client_address(request))
        content = rejected_rows_xlsx(get_kind(upload.kind), upload.errors, reveal=reveal)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''rejected-{upload.pk}.xlsx"
        return response


class RejectedRowsRevealAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("revealed_at", "user", "upload", "address")
    list_select_related = ("user", "upload")
    search_fields = ("user__username", "upload__file_name")
    date_hierarchy = "revealed_at"
