"""Strings of third-party apps that ship no Simplified Chinese catalogue (django-axes), or one that
lacks their newer strings (Django 5.2). Listing
them here lets makemessages collect them into locale/zh_Hans, which Django consults for every
app, so the admin pages for log-in attempts read in Chinese like the rest."""
from django.utils.translation import gettext_noop, ngettext_lazy

AXES = [
    gettext_noop("Access attempts"), gettext_noop("Access Attempt"), gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"), gettext_noop("Attempt Time"), gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"), gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"), gettext_noop("IP Address"), gettext_noop("Locked Out"), gettext_noop("Logout Time"),
    gettext_noop("Meta Data"), gettext_noop("Not set"), gettext_noop("POST Data"), gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."), gettext_noop("User Agent"),
    gettext_noop("Username"), gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
]

# Django 5.2's admin and auth strings that its zh_Hans catalogue has not caught up with: the admin
# index's screen-reader headings, the user-add page, the log-in page, the password validators'
# newer message, a form error. Django consults locale/zh_Hans for its own apps too.
DJANGO = [
    gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"), gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
]
DJANGO_PLURAL = [
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters."),
]

# django-pghistory's models have derived English names, shown in the admin's permission lists.
PGHISTORY = [gettext_noop("context"), gettext_noop("events"), gettext_noop("middleware events")]

# django-import-export's export page: its zh_Hans catalogue leaves this one empty.
IMPORT_EXPORT = [gettext_noop("Select all")]

# django-celery-beat (REP-1: the nightly run's schedule in the admin): strings its zh_Hans catalogue
# lacks.
CELERY_BEAT = [gettext_noop("Execution Options"), gettext_noop("Periodic Tasks Using This Schedule")]
