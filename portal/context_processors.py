from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site_name():
    """The ministry's name in the language of the page being made."""
    if translation.get_language() == "ja":
        return settings.PORTAL_SITE_NAME_JA
    return settings.PORTAL_SITE_NAME


def site(request):
    return {"site_name": site_name()}


def languages(request):
    """The page in each of the site's languages, for the language switch and hreflang links.

    `language_versions`: [{code, name, url (absolute, query string kept), is_current}]."""
    current = translation.get_language()
    path = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        versions.append(
            {
                "code": code,
                "name": name,
                "url": request.build_absolute_uri(translate_url(path, code)),
                "is_current": code == current,
            }
        )
    return {"language_versions": versions}
