"""An admin page for a record nobody writes by hand: a log (reveals, look-ups), a trail, a ledger.
Its rows are written by services and triggers; the admin only lists and shows them."""
from __future__ import annotations


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
