"""EDU-4 courseware files: which formats are accepted, recognised by their bytes, and how each is
served. A file is served from the portal's own origin to every logged-in worker, so a format a
browser could run (HTML, SVG, anything sniffed as such) would run script in their sessions: only
the formats courseware needs are accepted, and each is served with its true type, never the one
its name suggests."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enough for every signature below, including an EPUB's first zip entry (30-byte header, the
# name "mimetype", at most a short extra field, then "application/epub+zip").
HEAD_BYTES = 1024
EPUB_MIMETYPE = b"application/epub+zip"


@dataclass(frozen=True)
class FileFormat:
    name: str
    content_type: str
    courseware_kind: str  # Courseware.Kind value
    inline: bool  # the browser shows it itself (video player, PDF viewer) rather than saving it
    csp: str


# No format may run script: every file response is a sandbox without scripts. A video keeps its
# origin (allow-same-origin without allow-scripts runs nothing) so that a video opened on its own
# can still fetch itself: Chromium's media document is refused as a cross-origin load otherwise.
SANDBOX = "sandbox; default-src 'none'"
VIDEO_SANDBOX = "sandbox allow-same-origin; default-src 'none'; media-src 'self'"

FORMATS = {
    "mp4": FileFormat("mp4", "video/mp4", "video", True, VIDEO_SANDBOX),
    "webm": FileFormat("webm", "video/webm", "video", True, VIDEO_SANDBOX),
    # Chromium's PDF viewer renders under "sandbox; default-src 'none'" (checked with Chromium 156).
    "pdf": FileFormat("pdf", "application/pdf", "ebook", True, SANDBOX),
    # EPUB is zipped XHTML with script: a browser could be made to run it, so it is only saved.
    "epub": FileFormat("epub", "application/epub+zip", "ebook", False, SANDBOX),
}
# A stored file of any other format (from before formats were checked) is only ever saved.
UNKNOWN = FileFormat("", "application/octet-stream", "", False, SANDBOX)


def file_format(head: bytes) -> FileFormat:
    """The format of a file from its first HEAD_BYTES bytes, UNKNOWN when it is none we accept."""
    if head[4:8] == b"ftyp":  # ISO base media (MP4): the first box is ftyp
        return FORMATS["mp4"]
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML header (WebM)
        return FORMATS["webm"]
    if head[:5] == b"%PDF-":
        return FORMATS["pdf"]
    if _is_epub(head):
        return FORMATS["epub"]
    return UNKNOWN


def _is_epub(head: bytes) -> bool:
    # EPUB OCF: the zip's first entry is "mimetype", stored uncompressed, holding the media type.
    if head[:4] != b"PK\x03\x04" or len(head) < 30 or head[8:10] != b"\x00\x00":
        return False
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    start = 30 + name_length + extra_length
    return head[30:30 + name_length] == b"mimetype" and head[start:start + len(EPUB_MIMETYPE)] == EPUB_MIMETYPE


def field_file_head(field_file) -> bytes:
    """The first bytes of a FileField's file: a new upload is read in place and rewound (it has
    still to be saved), a stored file is opened from storage and closed."""
    if not field_file._committed:
        upload = field_file.file
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        return head
    with field_file.storage.open(field_file.name, "rb") as stored:
        return stored.read(HEAD_BYTES)


def courseware_file_check(*, field_file, kind: str) -> FileFormat:
    """EDU-4: a video is MP4 or WebM, an e-book PDF or EPUB, recognised by the bytes."""
    found = file_format(field_file_head(field_file))
    if found is UNKNOWN:
        raise ValidationError({"file": _("Courseware must be an MP4 or WebM video, or a PDF or EPUB e-book; "
                                         "this file is none of them.")}, code="format")
    if found.courseware_kind != kind:
        message = (_("A video must be an MP4 or WebM file.") if kind == "video"
                   else _("An e-book must be a PDF or EPUB file."))
        raise ValidationError({"file": message}, code="kind")
    return found
