"""Issue 12: the bulk endpoints (one per upload kind) and the documentation page."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.identity import mask_id_numbers_in_text
from uploads.kinds import UploadKind, all_kinds

from . import bulk
from .schema import ErrorSerializer


class BulkRequestSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(allow_empty=True), allow_empty=False, label=_("rows of the sheet"))
    commit = serializers.BooleanField(default=False, label=_("commit"))


class RejectedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="行号，与表格相同：表头为第 1 行，rows[0] 为第 2 行。")
    index = serializers.IntegerField(help_text="该行在 rows 中的位置（从 0 起）。")
    column = serializers.CharField(help_text="出错的列（模板中的中文列名）；整行的问题为空。")
    reason = serializers.CharField(help_text="原因（身份证号已打码）。")


class BulkSummarySerializer(serializers.Serializer):
    upload = serializers.IntegerField(help_text="本次上传的记录编号（管理后台“表格上传”中可查）。")
    kind = serializers.CharField()
    commit = serializers.BooleanField(help_text="false 为预检（未写入），true 为已请求写入。")
    status = serializers.CharField(help_text="previewed（已预检）、committed（已写入）、refused（整体拒收）、failed（失败）。")
    message = serializers.CharField(allow_blank=True)
    rows = serializers.IntegerField(help_text="收到的行数。")
    new = serializers.IntegerField(help_text="新增行数。")
    updated = serializers.IntegerField(help_text="更新行数。")
    unchanged = serializers.IntegerField(help_text="未变行数（按自然键与已有记录相同）。")
    written = serializers.IntegerField(help_text="实际写入的行数（预检时为 0）。")
    rejected_count = serializers.IntegerField(help_text="被拒绝的行数。")
    rejected = RejectedRowSerializer(many=True)


def _row_serializer(kind: type[UploadKind]):
    fields = {column.header: serializers.CharField(
        required=False, allow_null=True, allow_blank=True,
        help_text=("（可省略）" if column.optional else "") + column.rule
        + (f"。例：{mask_id_numbers_in_text(column.example)}" if column.example else ""))
        for column in kind.columns}
    return inline_serializer(name=f"{kind.code.title().replace('_', '')}UploadRow", fields=fields)


class BulkUploadView(APIView):
    """The rows of one upload kind's sheet as JSON (see api.bulk)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    kind_code: str = ""

    def post(self, request, *args, **kwargs):
        incoming = BulkRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        commit = incoming.validated_data["commit"]
        upload = bulk.bulk_upload(user=request.user, kind_code=self.kind_code,
                                  rows=incoming.validated_data["rows"], commit=commit)
        answer = bulk.summary(upload, commit=commit)
        if upload.status == upload.Status.REFUSED:
            return Response({"detail": upload.message, "errors": []}, status=400)
        return Response(answer)


def bulk_view(kind: type[UploadKind]):
    """A view of its own per kind, so the description names the kind's columns."""
    # The public description carries no full ID number, even the standard's specimen one.
    example = {column.header: mask_id_numbers_in_text(column.example) for column in kind.columns if column.example}
    request = inline_serializer(name=f"{kind.code.title().replace('_', '')}Upload", fields={
        "rows": serializers.ListField(child=_row_serializer(kind), help_text="表格的行：键为模板的中文列名。"),
        "commit": serializers.BooleanField(default=False, help_text="true 时写入；默认 false 只预检，不写入。"),
    })

    def post(self, request, *args, **kwargs):  # a function of its own: extend_schema annotates it
        return BulkUploadView.post(self, request, *args, **kwargs)

    description = (f"批量上传“{kind.label}”：与管理后台上传表格走同一流程（同样的校验、管辖范围和自然键），"
                   f"逐行给出新增、更新、未变和被拒绝的行及原因；默认只预检，commit 为 true 时写入。"
                   f"每次上传都记入“表格上传”。需要与后台上传相同的权限（{kind.permission}）。"
                   f"每次最多 {bulk.max_rows()} 行。")
    post = extend_schema(
        operation_id=f"uploads_{kind.code}", summary=f"批量上传：{kind.label}", description=description,
        tags=["uploads"], request=request,
        responses={200: BulkSummarySerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
                   429: ErrorSerializer},
        examples=[OpenApiExample("一行", value={"rows": [example], "commit": False}, request_only=True)],
    )(post)
    view = type(f"{kind.code.title().replace('_', '')}BulkUploadView", (BulkUploadView,),
                {"kind_code": kind.code, "post": post})
    return view.as_view()


def bulk_urls():
    from django.conf import settings
    from django.urls import path
    from django.utils import translation

    # The descriptions are the project's own Chinese, whichever language was active when the URLs loaded.
    with translation.override(settings.LANGUAGE_CODE):
        return [path(f"v1/uploads/{kind.code}/", bulk_view(kind), name=f"api-uploads-{kind.code}")
                for kind in all_kinds()]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the portal's own static files (drf-spectacular-sidecar), its start-up script
    a separate file (?script): the portal's Content-Security-Policy allows no inline script, and
    drf-spectacular's own template's inline <style> is replaced by a static stylesheet."""

    template_name = "api/swagger_ui.html"
    title = "首都职工素质建设工程 数据接口文档"
