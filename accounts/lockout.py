"""The answer to a sign-in refused because of too many failures (django-axes's
AXES_LOCKOUT_CALLABLE): the admin's own page, saying why and what to do, with 429."""

from django.contrib import admin
from django.template.response import TemplateResponse

from .addresses import client_address


def lockout_response(request, original_response=None, credentials=None):
    from django.conf import settings

    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "minutes": settings.PORTAL_LOGIN_COOLOFF_MINUTES,
        "failure_limit": settings.PORTAL_LOGIN_FAILURE_LIMIT,
        "address": client_address(request),
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response.headers["Retry-After"] = str(settings.PORTAL_LOGIN_COOLOFF_MINUTES * 60)
    response.headers["Cache-Control"] = "no-store"
    return response.render()
