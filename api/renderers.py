"""Issue 12 (Speed): DRF's JSON, byte for byte, written by orjson for the large lists.

DRF's renderer (the standard library's encoder) took as long as reading the rows from PostgreSQL
for a page of 1,000 workers; orjson takes a tenth. The bytes are the same for what those answers
hold — strings, integers, booleans, None, lists and dicts: compact, UTF-8 unescaped, U+2028/U+2029
escaped as DRF does. Dates and times go through DRF's own encoder (orjson writes datetimes its own
way), and so does anything else orjson does not know (Decimal, lazy translations).

Floats are the one thing orjson writes differently (``1e-7`` for ``1e-07``, ``null`` for NaN):
give this renderer only to views whose answers hold no float (tests/api/test_renderers.py)."""
from __future__ import annotations

import re

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# U+2028 and U+2029 in UTF-8. One search for both: bytes.replace twice took three times orjson's
# own time on a page of workers, whose birth bands' en dash (E2 80 93) starts a near match in
# every row.
_LINE_SEPARATORS = re.compile(b"\xe2\x80[\xa8\xa9]")
_ESCAPED = {b"\xe2\x80\xa8": b"\\u2028", b"\xe2\x80\xa9": b"\\u2029"}


class FastJSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        # Pretty printing asked for, or DRF's JSON settings changed: DRF's way.
        if (self.get_indent(accepted_media_type, renderer_context or {}) is not None or not self.compact
                or self.ensure_ascii or self.encoder_class is not encoders.JSONEncoder):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            answer = orjson.dumps(data, default=encoders.JSONEncoder().default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # What orjson refuses (keys that are not strings, integers beyond 64 bits, a value the
            # encoder cannot write): DRF's way, which writes it or raises as it always did.
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: the two line separators are valid JSON but end a line in JavaScript.
        if _LINE_SEPARATORS.search(answer):
            answer = _LINE_SEPARATORS.sub(lambda match: _ESCAPED[match.group()], answer)
        return answer
