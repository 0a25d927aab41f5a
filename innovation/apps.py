from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "innovation"
    verbose_name = _("Innovation")

    def ready(self):
        # INN-6: the honours ladder shows each candidate's adopted proposals.
        from .proposals.ladder_evidence import register

        register()
