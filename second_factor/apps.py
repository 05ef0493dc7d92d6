from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SecondFactorConfig(AppConfig):
    name = "second_factor"
    verbose_name = "Two-factor sign-in"


class PortalAdminConfig(AdminConfig):
    """Django's admin, served by the site that asks for the second factor (Django's own way
    to replace the default site: every `admin.site` and `@admin.register` then names it)."""

    default_site = "second_factor.admin_site.PortalAdminSite"
