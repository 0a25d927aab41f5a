"""Serializer fields the apps' API writes share (issue 12). Only Django REST framework and
membership here: the api app builds on membership, so membership never imports it."""
from __future__ import annotations

from rest_framework import serializers

from . import scoping
from .models import Worker


class ScopedWorkerField(serializers.PrimaryKeyRelatedField):
    """A worker (by id) the caller may change (MEM-2): another district's worker answers as not
    found, exactly like an id that does not exist."""

    def get_queryset(self):
        return scoping.changeable_by(Worker.objects.all(), self.context["request"].user)
