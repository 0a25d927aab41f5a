"""The test suite runs against real PostgreSQL and Redis (never the SQLite demo)."""
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from .base import *  # noqa: E402,F401,F403
from .base import BASE_DIR  # noqa: E402

# Hashing with Argon2 on every factory-made user would dominate the run; base.py keeps Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No Celery worker runs unless a test starts one: commits run in the request, as in the demo;
# the tests of the background path turn this on.
UPLOAD_COMMIT_IN_BACKGROUND = False
SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
