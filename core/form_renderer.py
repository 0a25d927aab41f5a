"""A form renderer for pages that render many small forms (the admin lists' editable columns,
issue 13): Django's template renderer, with the two templates such a page renders for every cell
written out in Python. An enrolment list's page renders 50 rows of two number inputs, a hidden id
and two empty error lists: 250 template renders, each building a context and walking
input.html and attrs.html (or the error list's two templates) for a line of HTML. The output is
the templates' own, character for character (tests/core/test_form_renderer.py compares them for
every input widget and for error lists with and without errors); any other template, and an error
list that holds errors, is rendered by the templates."""
from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# The widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "input", "number", "password",
                 "search", "tel", "text", "time", "url"))
ERROR_LIST_TEMPLATES = frozenset(("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"))


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as %s, escaped unless it was marked safe."""
    text = "%s" % (value,)
    return mark_safe(text) if isinstance(value, SafeData) else conditional_escape(text)


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html (with attrs.html) for a widget's context."""
    parts = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{_text(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"')
    parts.append(">")
    return "".join(parts)


class FastInputRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_html(context["widget"]))
        if template_name in ERROR_LIST_TEMPLATES and not context["errors"]:
            return ""
        return super().render(template_name, context, request)
