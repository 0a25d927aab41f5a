from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LargeListPagination(CursorPagination):
    """Cursor pagination for the large lists (workers, records, ledger): a page costs the same
    however deep, and rows added while a system pages through do not shift it."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    # "-id", not "-pk": the cursor reads the position from each row, and a list served from
    # .values() (dicts, no model instances: the fast way through a million rows) has "id", not "pk".
    ordering = "-id"
