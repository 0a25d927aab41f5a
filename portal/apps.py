from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from pghistory.apps import PGHistoryConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Worker portal")


# Third-party apps named in the user's language: their names head admin sections, breadcrumbs and
# the permission lists (django-axes would read "Axes", django-pghistory "Pghistory").
class AxesConfig(AxesAppConfig):
    verbose_name = _("Login security")


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("Change history")
