"""One JSON shape for every error (issue 12): ``{"detail": "…", "errors": [{"field": "code",
"label": "单位代码", "message": "…"}]}`` — ``field`` is the stable name, ``label`` the field's name in
the user's language. The services' Django ValidationErrors get the same shape as the serializers'."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler

NON_FIELD = "non_field_errors"


def _label(view, field: str) -> str:
    if view is None or field == NON_FIELD or not hasattr(view, "get_serializer"):
        return ""
    try:
        fields = view.get_serializer().fields
    except Exception:  # noqa: BLE001 - a view without a usable serializer still answers its errors
        return ""
    if field in fields and fields[field].label:
        return str(fields[field].label)
    return ""


def _flatten(detail, prefix=""):
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                yield from _flatten(value, f"{prefix}[{index}]" if prefix else str(index))
            else:
                yield prefix or NON_FIELD, str(value)
    else:
        yield prefix or NON_FIELD, str(detail)


def _in_words(exc):
    """The errors whose words DRF or Django write in English whatever the language, in the user's:
    a missing object ("No Worker matches the given query.", which names a class), a body that is not
    JSON, a session call without its CSRF token."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    detail = str(getattr(exc, "detail", ""))
    if isinstance(exc, exceptions.ParseError) and detail.startswith("JSON parse error"):
        return exceptions.ParseError(_("The request body is not valid JSON (%(error)s).")
                                     % {"error": detail.removeprefix("JSON parse error - ")})
    if isinstance(exc, exceptions.PermissionDenied) and detail.startswith("CSRF Failed"):
        return exceptions.PermissionDenied(_("The CSRF check failed: send the csrftoken cookie's value in the "
                                             "X-CSRFToken header, or call with a token instead of the session."))
    return exc


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    exc = _in_words(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        view = context.get("view")
        errors = [{"field": field, "label": _label(view, field.split(".")[0]), "message": message}
                  for field, message in _flatten(exc.detail)]
        response.data = {"detail": _("Some values are not valid."), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "errors": []}
    return response


def not_found(request, *args, **kwargs):
    """An address under /api/ that names no endpoint: the API's 404 in its one error shape, not
    the site's HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": str(exceptions.NotFound.default_detail), "errors": []}, status=404,
                        json_dumps_params={"ensure_ascii": False})
