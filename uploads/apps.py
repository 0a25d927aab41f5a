from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = _("Spreadsheet uploads")

    def ready(self) -> None:
        # Each app declares its upload kinds in its own `upload_kinds` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("upload_kinds")
