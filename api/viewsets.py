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
