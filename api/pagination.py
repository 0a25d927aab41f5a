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

    def paginate_queryset(self, queryset, request, view=None):
        # A crafted cursor whose position does not fit the ordering's column (p=abc on an id) is an
        # invalid cursor, not a server error.
        from django.core.exceptions import ValidationError
        from rest_framework.exceptions import NotFound

        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, ValidationError):
            raise NotFound(self.invalid_cursor_message) from None
