"""Filters every app's API shares."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _


def year_filter(date_field: str) -> django_filters.NumberFilter:
    # A year far out of range would overflow the date bounds of the lookup: refused as a bad value.
    return django_filters.NumberFilter(field_name=date_field, lookup_expr="year", label=_("year"),
                                       min_value=1900, max_value=2100)
