"""Settings for the benchmarks: the deployed configuration (DEBUG off, persistent connections,
the cache in Redis when BENCH_CACHE_URL names one) plus one bare view to measure the server
itself."""
import os

from portal.settings.base import *  # noqa: F401,F403

if os.environ.get("BENCH_CACHE_URL"):
    # Redis for the cache only: the benchmarks run no Celery broker.
    CACHES = {"default": {"BACKEND": "core.redis_cache.RedisCache",
                          "LOCATION": os.environ["BENCH_CACHE_URL"]}}

# bench/course_menu.py measures the course menu without its cache as well as with it.
COURSE_MENU_CACHE = os.environ.get("BENCH_MENU_CACHE", "1") == "1"

ROOT_URLCONF = "bench.urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"handlers": [], "level": "ERROR"}}
