from django.utils.functional import SimpleLazyObject

from meetings.sharing import language_versions

from .site import site_name


def site(request):
    return {"site_name": site_name()}


def languages(request):
    """The page in each of the site's languages, for the language switch and hreflang links.

    `language_versions`: [{code, name, url (absolute, query string kept), is_current}]. Public
    pages give their own, made from their canonical address (meetings.sharing); read only
    where a template uses it, so those pages and the admin do not resolve addresses for it."""
    return {
        "language_versions": SimpleLazyObject(
            lambda: language_versions(request, request.get_full_path())
        )
    }
