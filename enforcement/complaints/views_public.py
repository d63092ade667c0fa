"""Public complaint pages (being written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


new_complaint = lookup = track = qr_code = rate = request_review = _todo
