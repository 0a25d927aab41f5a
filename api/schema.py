"""drf-spectacular learns the token scheme (``Authorization: Token <key>``)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token <令牌>：由本单位或上级单位的工作人员在管理后台“数据接口令牌”中创建，只显示一次。"}
