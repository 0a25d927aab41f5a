import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()
# What start-up loaded (Django, the apps, their modules and settings) lives as long as the
# process: kept out of the collector's passes, which would otherwise walk all of it again every
# few hundred requests that build large answers (issue 12, Speed: a page of 1,000 workers makes
# thousands of short-lived objects).
gc.freeze()
