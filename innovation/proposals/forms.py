from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.models import Worker

from ..models import Proposal


class ProposalForm(forms.ModelForm):
    """INN-2: what a worker writes on the site. Co-submitters are picked among their unit's workers."""

    co_submitters = forms.ModelMultipleChoiceField(queryset=Worker.objects.none(), required=False,
                                                   label=_("co-submitters"), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Proposal
        fields = ["title", "category", "description", "expected_benefit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "expected_benefit": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, worker: Worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        picked = self.data.getlist("co_submitters") if self.is_bound else []
        queryset = Worker.objects.filter(unit_id=worker.unit_id).exclude(pk=worker.pk)
        self.fields["co_submitters"].queryset = queryset
        # Only the picked workers are rendered as choices: a unit may have thousands of workers,
        # who are found by name through the search box.
        self.fields["co_submitters"].widget.choices = [
            (each.pk, each.name) for each in queryset.filter(pk__in=[p for p in picked if str(p).isdigit()])]


class BoardFilterForm(forms.Form):
    unit = forms.CharField(required=False)
    round = forms.IntegerField(required=False)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    state = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)

    def value(self, name, default=None):
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default
