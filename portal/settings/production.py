"""Deployment: DEBUG off, demo keys refused, HTTPS-only cookies."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SMS_BACKEND, env, refuse_demo_secrets

DEBUG = False
refuse_demo_secrets()

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# The console backend writes registration codes into the process's log and the locmem one drops
# them: with either, production silently sends no code (issue 6 item 11). A staging box without a
# gateway may allow them explicitly with SMS_ALLOW_CONSOLE=1.
_NOT_A_GATEWAY = ("portal.sms.backends.console.SmsBackend", "portal.sms.backends.locmem.SmsBackend")
if SMS_BACKEND in _NOT_A_GATEWAY and not env.bool("SMS_ALLOW_CONSOLE", default=False):
    raise ImproperlyConfigured(
        f"SMS_BACKEND is {SMS_BACKEND}, which sends no text message: set SMS_BACKEND to your SMS gateway's "
        "backend (a subclass of portal.sms.backends.base.BaseSmsBackend), or SMS_ALLOW_CONSOLE=1 on a "
        "staging server where registration codes may go to the log."
    )
