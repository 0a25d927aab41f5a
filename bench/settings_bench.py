"""Settings for bench/course_menu.py: the deployed configuration (DEBUG off, persistent
connections) plus one bare view to measure the server itself."""
from portal.settings.base import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"handlers": [], "level": "ERROR"}}
