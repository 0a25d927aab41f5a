from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For the load balancer: the process answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
