"""Issue 8: strings of Django 5.2 (and its admin's JavaScript) that their zh_Hans catalogues lack read
in Chinese through the project's catalogue (portal/third_party_strings.py, tr_chinese.py)."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_minimum_length_message_of_django_5_2_is_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        MinimumLengthValidator(min_length=8).validate("abc")
    message = error.value.messages[0]
    assert "too short" not in message and CJK.search(message) and "8" in message


def test_the_admin_selector_widgets_speak_chinese(client, municipal):
    client.force_login(municipal)
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    script = response.content.decode()
    assert response.status_code == 200
    for msgid in ("Choose all %s", "Remove all %s", "Choose selected %s", "(click to clear)"):
        assert f'"{msgid}": "' in script, f"{msgid} has no Chinese in the admin's catalogue"


def test_the_admin_index_headings_for_screen_readers_are_chinese(client, municipal):
    client.force_login(municipal)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Model name" not in page and "Change or view list link" not in page
