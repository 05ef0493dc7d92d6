"""The address a request came from, as the per-address sign-in limit counts it.

Behind nginx (and perhaps a load balancer), REMOTE_ADDR is the nearest proxy's and the
client's address is in X-Forwarded-For, which each proxy extends with the address it was
reached from. Only the entries the trusted proxies wrote are believed: counted from the
right, PORTAL_TRUSTED_PROXY_COUNT of them. Whatever a client writes there itself stands to
their left, so it cannot move the limit onto another address.
"""

from django.conf import settings


def client_address(request):
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        # Not through every proxy (a health check, a request straight to an app server):
        # the connection's own address is the only one known to be true.
        return remote
    return forwarded[-proxies]
