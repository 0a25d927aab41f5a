"""Issue 13: the admin lists' editable columns render their inputs and empty error lists in Python
(core.form_renderer): the HTML is the templates' own, character for character."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe

from core.form_renderer import FastInputRenderer

WIDGETS = [forms.TextInput, forms.NumberInput, forms.HiddenInput, forms.EmailInput, forms.URLInput,
           forms.PasswordInput, forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.CheckboxInput,
           forms.FileInput, forms.ColorInput, forms.SearchInput, forms.TelInput, admin_widgets.AdminIntegerFieldWidget,
           admin_widgets.AdminTextInputWidget, admin_widgets.AdminBigIntegerFieldWidget]
VALUES = [None, "", "张伟", 'a "quoted" <b>&amp;</b>', mark_safe("<b>safe</b>"), 0, 16, Decimal("7.50"),
          datetime.date(2026, 11, 27), True, False]
ATTRS = [{}, {"id": "id_form-0-score", "required": True, "step": "0.5", "disabled": False, "min": 0,
              "data-x": 'a"<b>', "class": "vIntegerField"}]


@pytest.mark.parametrize("widget_class", WIDGETS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_an_input_renders_as_its_template_renders_it(widget_class, value, attrs):
    widget = widget_class(attrs=attrs)
    expected = widget.render("form-0-field", value, renderer=DjangoTemplates())
    assert widget.render("form-0-field", value, renderer=FastInputRenderer()) == expected


@pytest.mark.parametrize("errors", [[], ["必须填写。"], ["<b>bad</b>", "two"]])
def test_an_error_list_renders_as_its_template_renders_it(errors):
    expected = str(ErrorList(errors, renderer=DjangoTemplates()))
    assert str(ErrorList(errors, renderer=FastInputRenderer())) == expected


def test_other_widgets_are_rendered_by_their_templates():
    widget = forms.Select(choices=[("1", "一"), ("2", "<二>")])
    assert (widget.render("f", "2", renderer=FastInputRenderer())
            == widget.render("f", "2", renderer=DjangoTemplates()))
