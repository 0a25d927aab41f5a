"""api.renderers.FastJSONRenderer writes the same bytes as DRF's JSONRenderer for every kind of
value the large lists' answers hold, and falls back to DRF's way for what orjson refuses."""
from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer

SAMPLES = [
    None,
    {},
    [],
    {"id": 12, "name": "王秀兰", "id_number": None, "is_needy": False, "is_migrant": True, "big": 2**63 - 1},
    {"text": "引号\" 反斜杠\\ 控制\x00\x01\x1f\x7f 换行\n\r\t\b\f 分隔\u2028\u2029 表情😀"},
    {"next": "http://testserver/api/v1/workers/?cursor=cD0xMjM%3D&page_size=1000", "previous": None,
     "results": [{"id": 3, "unit": "91110105MA01CY0E1X", "left_on": "2026-06-30"}] * 3},
    {"day": dt.date(2026, 6, 30), "utc": dt.datetime(2026, 6, 30, 8, 1, 2, 345678, tzinfo=dt.timezone.utc),
     "beijing": dt.datetime(2026, 6, 30, 16, 1, 2, tzinfo=ZoneInfo("Asia/Shanghai")),
     "naive": dt.datetime(2026, 6, 30, 16, 1, 2), "time": dt.time(9, 30), "span": dt.timedelta(hours=1)},
    {"label": gettext_lazy("Retired"), "error": ErrorDetail("这是必填项。", code="required"),
     "key": uuid.UUID("12345678-1234-5678-1234-567812345678"), "tuple": (1, "二", None)},
    {"nested": {"errors": [{"field": "hours", "messages": ["请填写一个有效的数字。"]}]}},
    {1: "a key that is not a string", "huge": 2**70},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_same_bytes_as_drf(data, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_pretty_printing_asked_for_is_drfs():
    data = {"results": [{"id": 1, "name": "王秀兰"}]}
    media_type = "application/json; indent=4"
    assert FastJSONRenderer().render(data, media_type) == JSONRenderer().render(data, media_type)
    assert b"\n    " in FastJSONRenderer().render(data, media_type)


def test_what_drf_refuses_is_refused():
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"value": object()})
