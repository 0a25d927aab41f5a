from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


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


class RejectNulMiddleware:
    """A NUL byte can be neither stored nor searched in PostgreSQL text: a request that carries
    one in its path or query string is malformed, and is answered 400 before any view sees it.
    The views' query forms refuse it too; this is the guard for any view that forgets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("The address contains a NUL character."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
