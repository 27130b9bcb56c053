from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound


# Exempt: API clients send no CSRF token, and a write to nowhere changes nothing.
@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """An address under /api/ that names nothing (``/api/problems/abc/``): answered in
    JSON like every other refusal of the API, not with the site's HTML page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
