"""The WSGI module leaves what start-up loaded out of the garbage collector's passes."""
from __future__ import annotations

import gc
import importlib


def test_loading_the_wsgi_application_freezes_the_start_up_objects():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        module = importlib.reload(importlib.import_module("portal.wsgi"))
        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
