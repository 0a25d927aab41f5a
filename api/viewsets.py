"""The base of every API view (issue 12): rows come through membership/scoping.py with the same
owners as the admin — reads see ``visible_to``, writes reach only ``changeable_by`` — so a detail
outside the caller's subtree is a 404 and a write to it a 404 too."""
from __future__ import annotations

from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS

from membership import scoping

from .permissions import ModelPermissions


class ScopedMixin:
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        queryset = super().get_queryset()
        if not scoping.is_scoped(queryset.model):
            return queryset
        if self.request.method in SAFE_METHODS:
            return scoping.visible_to(queryset, self.request.user)
        return scoping.changeable_by(queryset, self.request.user)


class ScopedReadOnlyViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedMixin, viewsets.ModelViewSet):
    pass


class ValuesListMixin:
    """A list served as the rows' values (issue 12, Speed): ``list_fields`` maps each output name to
    an ORM path (``{"id": "id", "unit_code": "unit__code"}``), and a page is one ``.values()`` query
    rendered as it comes, with no model instance and no per-row serializer — model instances and
    DRF's per-field serializing were 80% of a 1,000-row page (bench/api.py). The serializer still
    describes the list in the schema and serves the detail: the two must give the same names and
    values (schemathesis checks the answers against the description). Filtering, ordering, cursor
    pagination and scoping apply as to any list."""

    list_fields: dict[str, str] = {}

    def list(self, request, *args, **kwargs):
        if not self.list_fields:
            return super().list(request, *args, **kwargs)
        from django.db.models import F
        from rest_framework.response import Response

        queryset = self.filter_queryset(self.get_queryset())
        same = [name for name, path in self.list_fields.items() if name == path]
        renamed = {name: F(path) for name, path in self.list_fields.items() if name != path}
        rows = queryset.values(*same, **renamed)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(page)
        return Response(list(rows))
