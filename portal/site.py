from django.conf import settings
from django.utils import timezone, translation


def site_name():
    """The ministry's name in the language of the page being made."""
    if translation.get_language() == "ja":
        return settings.PORTAL_SITE_NAME_JA
    return settings.PORTAL_SITE_NAME


def time_zone_name(at=None):
    """The site's time zone as editors read it: “Tokyo time (UTC+09:00)”."""
    zone = timezone.get_default_timezone()
    if "/" not in zone.key:
        return zone.key
    place = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    offset = timezone.localtime(at or timezone.now(), zone).strftime("%z")
    return f"{place} time (UTC{offset[:3]}:{offset[3:]})"
