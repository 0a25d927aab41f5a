from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Quality education")

    def ready(self):
        from . import menu_cache

        menu_cache.connect()
