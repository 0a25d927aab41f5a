"""The one router of /api/v1/: each app's api.py calls ``router.register(prefix, viewset, basename)``."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
