"""The query forms of the courses app's public pages (see portal.forms.QueryForm)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import QueryForm, search_text

from .models import Activity, Course, Dependant


class MenuFilterForm(QueryForm):
    """EDU-1: the course menu's search and filters."""

    q = forms.CharField(required=False, strip=True)
    # Values only: the page builds its own options, and a form is made for every request of the
    # busiest page (issue 13), where deep-copying translated labels cost more than the rest.
    category = forms.ChoiceField(required=False, choices=[(value, value) for value in Course.Category.values])
    group = forms.SlugField(required=False, max_length=50)
    delivery = forms.ChoiceField(required=False, choices=[(value, value) for value in Course.Delivery.values])
    discipline = forms.ChoiceField(required=False, choices=[(value, value) for value in Course.Discipline.values])
    district = forms.CharField(required=False, max_length=20)
    # The menu offers 1 to 4; any sensible minimum is accepted, never nan, inf or a huge number.
    credits = forms.DecimalField(required=False, min_value=0, max_value=100, max_digits=5, decimal_places=1)
    free = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False,
                             choices=[(key, key) for key in ("code", "starts", "credits", "hours", "title")])
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return search_text(self.cleaned_data["q"])

    def clean_sort(self):
        return self.cleaned_data["sort"] or "code"


class ActivityFilterForm(QueryForm):
    """EDU-6/7: the activity list's search and type."""

    kind = forms.ChoiceField(required=False, choices=Activity.Kind.choices)
    q = forms.CharField(required=False, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return search_text(self.cleaned_data["q"])


class TrainingCertificateCheckForm(QueryForm):
    """EDU-3: the public check of a training certificate's verification code."""

    code = forms.CharField(required=False, max_length=16, strip=True)

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class DependantForm(forms.Form):
    """EDU-7: a worker's child, named on 我的学习."""

    name = forms.CharField(label=_("Child's name"), max_length=50, strip=True)
    relation = forms.ChoiceField(label=_("Relation"), choices=Dependant.Relation.choices)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=30)
