from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "innovation"
    verbose_name = _("Innovation")

    def ready(self):
        # INN-6: the honours ladder shows each candidate's adopted proposals.
        from membership.name_followers import names_follower_register

        from .proposals.ladder_evidence import register
        from .proposals.services import proposals_names_follow

        register()
        # INN-2: the board shows submitters' and units' names.
        names_follower_register(proposals_names_follow)
