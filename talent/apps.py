from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Skilled talent")

    def ready(self):
        # INN-6: the honours ladder shows each candidate's skill certificates.
        from .ladder_evidence import register

        register()
