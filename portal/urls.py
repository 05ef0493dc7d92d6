from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.views import sign_out_everywhere_view
from meetings import media
from meetings.caching import cached_public_page
from meetings.sitemaps import SECTIONS as SITEMAP_SECTIONS
from meetings.sitemaps import section as sitemap_section
from portal import health

admin.site.site_header = f"{settings.PORTAL_SITE_NAME}: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Relations pages and meeting readouts"

urlpatterns = [
    # For load balancers: outside the i18n patterns, no session, never cached (portal/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "admin/sign-out-everywhere/",
        admin.site.admin_view(sign_out_everywhere_view),
        name="sign_out_everywhere",
    ),
    # django-otp-webauthn's registration of a passkey and its script's translations (the
    # sign-in with one is the admin's, second_factor/passkey_sign_in.py).
    path("admin/passkeys/", include("django_otp_webauthn.urls")),
    path("admin/", admin.site.urls),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # An index of sections, each in pages of a fixed size (meetings/sitemaps.py).
    path(
        "sitemap.xml",
        cached_public_page(sitemaps.index),
        {"sitemaps": SITEMAP_SECTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached_public_page(sitemap_section),
        name="sitemap-section",
    ),
    # Always routed, in production too: the view keeps unpublished meetings' photos hidden.
    path(f"{settings.MEDIA_URL.lstrip('/')}photos/<path:path>", media.photo, name="photo"),
]

# The public site: English at the plain addresses, Japanese under /ja/.
urlpatterns += i18n_patterns(
    path("relations/", include("meetings.relations_urls")),
    path("", include("meetings.urls")),
    prefix_default_language=False,
)

handler500 = "portal.middleware.server_error"
