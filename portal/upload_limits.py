"""Issue 6: an uploaded file is stopped at its page's limit while it streams in.

Django keeps a file of up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and writes a larger one to a
temporary file, whatever its size; the pages then read it. LimitedUploadHandler stands first in
FILE_UPLOAD_HANDLERS and counts the bytes of the request's files as they arrive: past the limit
it raises SkipFile, so the handlers after it never see the rest (the parser closes, and so
deletes, the temporary file they began) and the file is missing from request.FILES. The handler
notes the field on the request, and LimitedUploadFormMixin turns that into a form error on the
field instead of "this field is required" — or, on a change page, a silent keep of the old file.

The limit is the spreadsheet limit (UPLOAD_MAX_BYTES) everywhere except the pages in
_LIMIT_SETTINGS, named by their URL names.
"""
from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

_LIMIT_SETTINGS = {
    # EDU-4 courseware: video and e-books, far larger than any roster.
    "admin:courses_courseware_add": "COURSEWARE_MAX_BYTES",
    "admin:courses_courseware_change": "COURSEWARE_MAX_BYTES",
}
_REQUEST_ATTRIBUTE = "refused_uploads"


def upload_limit(request) -> int:
    """The most bytes of files the page at ``request`` accepts."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = ""
    return getattr(settings, _LIMIT_SETTINGS.get(view_name, "UPLOAD_MAX_BYTES"))


def refused_uploads(request) -> dict[str, int]:
    """{field name: limit in bytes} of the files stopped while this request streamed in."""
    return getattr(request, _REQUEST_ATTRIBUTE, None) or {}


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(limit)d MB, the most this page accepts; nothing of it was kept.") % {
        "limit": limit // (1024 * 1024)}


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit(request) if request is not None else settings.UPLOAD_MAX_BYTES
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # Counted over the whole request: many files just under the limit are one large upload.
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, _REQUEST_ATTRIBUTE, {**refused_uploads(self.request), self.field_name: self.limit})
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the handlers after this one build the file


class LimitedUploadFormMixin:
    """For a form with file fields: a file the handler stopped is an error on its field.
    Set ``upload_request`` (ModelAdmin: see LimitedUploadAdminMixin) or pass request=…"""

    upload_request = None

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            self.upload_request = request
        for name in self._refused():
            if name in self.fields:
                self.fields[name].required = False  # missing because refused, not because forgotten

    def _refused(self) -> dict[str, int]:
        return refused_uploads(self.upload_request) if self.upload_request is not None and self.is_bound else {}

    def clean(self):
        cleaned_data = super().clean()
        for name, limit in self._refused().items():
            self.add_error(name if name in self.fields else None, too_large_message(limit))
        return cleaned_data


class LimitedUploadAdminMixin:
    """For a ModelAdmin with file fields: its add and change forms report a stopped file."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (LimitedUploadFormMixin, form), {"upload_request": request})
