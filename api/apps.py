from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Data interface (API)")

    def ready(self):
        # Each app's api.py registers its routes on the one router (api.registry).
        from django.utils.module_loading import autodiscover_modules

        from . import schema  # noqa: F401 - registers the token scheme with drf-spectacular

        autodiscover_modules("api")
