from django.conf import settings
from django.utils import translation


def site_name():
    """The ministry's name in the language of the page being made."""
    if translation.get_language() == "ja":
        return settings.PORTAL_SITE_NAME_JA
    return settings.PORTAL_SITE_NAME
