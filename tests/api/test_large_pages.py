"""Issue 12 (Speed): a system pulling a whole large list asks for pages of up to 5,000 rows; a larger
page_size is answered with 5,000, and the description says so."""
from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import LargeListPagination, PagePagination


def _size(pagination, query: str):
    return pagination().get_page_size(Request(APIRequestFactory().get(f"/x/{query}")))


@pytest.mark.parametrize(("query", "size"), [("", 100), ("?page_size=1000", 1000), ("?page_size=5000", 5000),
                                             ("?page_size=5001", 5000), ("?page_size=1000000", 5000)])
def test_a_large_list_pages_up_to_5000(query, size):
    assert _size(LargeListPagination, query) == size


def test_the_small_lists_keep_their_limit():
    assert _size(PagePagination, "?page_size=5000") == 500


def test_the_description_states_the_limit():
    schema = (Path(__file__).resolve().parents[2] / "api" / "schema.yml").read_text(encoding="utf-8")
    assert "最多 5000" in schema and "最多 500（" in schema
    assert "每页返回的结果数量。" not in schema  # DRF's words, which say no limit
