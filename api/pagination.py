import re

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination, PageNumberPagination

# A cursor position the keyset statement takes as it is: a plain id. Anything else (signs, spaces,
# underscores, other scripts' digits, a number beyond bigint) goes the ORM's way, which has its
# own answers for them.
_PLAIN_ID = re.compile(r"[0-9]{1,18}")


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_query_description = _("Number of results to return per page: 50 unless asked for, at most 500 "
                                    "(a larger number is answered with 500).")


class LargeListPagination(CursorPagination):
    """Cursor pagination for the large lists (workers, records, ledger): a page costs the same
    however deep, and rows added while a system pages through do not shift it."""

    page_size = 100
    page_size_query_param = "page_size"
    # A system pulling a whole list (a district's 200,000 workers) pages through it in pages of up to
    # 5,000: a request's fixed cost (token, middleware, the cursor's links) is then spread over 5,000
    # rows, and the API pages through 1,000,000 workers at 2.5x the plain SQL read of the same rows
    # in the same pages, against 3.6x at 1,000 (bench/api.py, issue 12). A larger page_size is
    # answered with 5,000 rows, as DRF clamps it: said in the description, not as the schema's
    # maximum, which would make the clamped answer a breach of it.
    max_page_size = 5000
    page_size_query_description = _("Number of results to return per page: 100 unless asked for, at most "
                                    "5,000 (a larger number is answered with 5,000).")
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

    def paginate_keyset(self, request, view, fetch):
        """The page :meth:`paginate_queryset` gives, for the one shape a system paging through a
        list asks for — the default ordering (``-id``), no cursor or a forward cursor at a plain
        id — with the rows read by ``fetch(before, limit)``: the first ``limit`` rows with an id
        below ``before`` (None: from the newest), newest first, each a dict with its ``id``. The
        same state is kept as there, so ``next`` and ``previous`` come out the same. None for
        any other shape (another ordering, a backward cursor, an offset): ask paginate_queryset."""
        if "ordering" in request.query_params or self.ordering != "-id":
            return None
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.ordering = self.get_ordering(request, None, view)
        if self.ordering != ("-id",):
            return None
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        position = None
        if self.cursor is not None:
            if self.cursor.offset or self.cursor.reverse:
                return None
            position = self.cursor.position
            if position is not None and not _PLAIN_ID.fullmatch(position):
                return None
        results = fetch(None if position is None else int(position), self.page_size + 1)
        self.page = results[:self.page_size]
        # As paginate_queryset does for a forward cursor.
        self.has_next = len(results) > len(self.page)
        if self.has_next:
            self.next_position = self._get_position_from_instance(results[-1], self.ordering)
        self.has_previous = position is not None
        if self.has_previous:
            self.previous_position = position
        if (self.has_previous or self.has_next) and self.template is not None:
            self.display_page_controls = True
        return self.page
