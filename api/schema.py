"""drf-spectacular learns the token scheme (``Authorization: Token <key>``) and the one error shape."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    # The schemes are listed by name in the documentation page's Authorize dialog: "apiToken" comes
    # before the portal's own session cookie ("cookieAuth"), where a system's developer pasted the
    # token first and got a 401.
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token <令牌>：由本单位或上级单位的工作人员在管理后台“数据接口令牌”中创建，只显示一次。"}


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="出错的字段（英文名，稳定不变）；整体的问题为 non_field_errors。")
    label = serializers.CharField(allow_blank=True, help_text="字段的中文名。")
    message = serializers.CharField(help_text="原因。")


class ErrorSerializer(serializers.Serializer):
    """Every error answer of the API (api.exceptions)."""

    detail = serializers.CharField(help_text="错误说明。")
    errors = ErrorItemSerializer(many=True, help_text="逐字段的错误；非校验错误时为空列表。")
