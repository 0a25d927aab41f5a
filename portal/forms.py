from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Activity, Course


class QueryForm(forms.Form):
    """A public page's query parameters. Anything a visitor can type into the address bar arrives
    here: a value that does not validate is dropped (the page shows its default), never passed to
    the database (a NUL byte, nan or inf there is a server error)."""

    def values(self) -> dict:
        """The cleaned values, each invalid one replaced by the field's blank value."""
        if self.is_valid():
            return self.cleaned_data
        valid = {name: value for name, value in self.data.items() if name in self.fields and name not in self.errors}
        fallback = type(self)(valid)
        fallback.is_valid()  # every field of a query form accepts a blank value
        return fallback.cleaned_data


def _search_text(value: str) -> str:
    # A search is cut, not refused: a long paste still finds what its first words find.
    return value.strip()[:100]


class MenuFilterForm(QueryForm):
    """EDU-1: the course menu's search and filters."""

    q = forms.CharField(required=False, strip=True)
    category = forms.ChoiceField(required=False, choices=Course.Category.choices)
    group = forms.SlugField(required=False, max_length=50)
    delivery = forms.ChoiceField(required=False, choices=Course.Delivery.choices)
    district = forms.CharField(required=False, max_length=20)
    # The menu offers 1 to 4; any sensible minimum is accepted, never nan, inf or a huge number.
    credits = forms.DecimalField(required=False, min_value=0, max_value=100, max_digits=5, decimal_places=1)
    free = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False,
                             choices=[(key, key) for key in ("code", "starts", "credits", "hours", "title")])
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return _search_text(self.cleaned_data["q"])

    def clean_sort(self):
        return self.cleaned_data["sort"] or "code"


class ActivityFilterForm(QueryForm):
    """EDU-6/7: the activity list's search and type."""

    kind = forms.ChoiceField(required=False, choices=Activity.Kind.choices)
    q = forms.CharField(required=False, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return _search_text(self.cleaned_data["q"])


class CertificateCheckForm(QueryForm):
    """EDU-3: the public check of a certificate's verification code."""

    code = forms.CharField(required=False, max_length=16, strip=True)

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class RegistrationForm(forms.Form):
    """EDU-8, step 1: a worker claims their registry record by ID number, name and the mobile
    number their union registered."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            help_text=_("The mobile number your union registered for you. We send a code to it."))


class RegistrationConfirmForm(forms.Form):
    """EDU-8, step 2: the code from the SMS and a password."""

    code = forms.CharField(label=_("Code from the SMS"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
