from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class QueryForm(forms.Form):
    """A public page's query parameters; every app's query forms derive from it. Anything a visitor
    can type into the address bar arrives here: a value that does not validate is dropped (the page
    shows its default), never passed to the database (a NUL byte, nan or inf there is a server error)."""

    def values(self) -> dict:
        """The cleaned values, each invalid one replaced by the field's blank value."""
        if self.is_valid():
            return self.cleaned_data
        valid = {name: value for name, value in self.data.items() if name in self.fields and name not in self.errors}
        fallback = type(self)(valid)
        fallback.is_valid()  # every field of a query form accepts a blank value
        return fallback.cleaned_data


def search_text(value: str) -> str:
    """A query form's free-text search, for a clean_<field> method."""
    # A search is cut, not refused: a long paste still finds what its first words find.
    return value.strip()[:100]


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


class PasswordResetCodeForm(forms.Form):
    """EDU-8: a new password with the one-time code the worker's union issued."""

    username = forms.CharField(label=_("Log-in name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    code = forms.CharField(label=_("Code from your union"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
