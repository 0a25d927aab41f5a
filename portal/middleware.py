from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """The interface is Simplified Chinese unless the user chose another language (the
    set_language view's cookie). Browsers' Accept-Language is ignored on purpose: officers'
    machines often run English systems, and the portal is a Chinese service."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
