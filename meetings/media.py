"""Uploaded photos, served only while a meeting showing them is public, and to staff.

Photos are stored under unguessable names (`models.photo_upload_path`) and this view is the
only way to them: a photo must not leak before its meeting is public, nor stay reachable
after it is taken down. A photo's renditions (`models.renditions`) carry its name in theirs
and are served by exactly its rule. In production the view can leave sending the file to
nginx (`PORTAL_MEDIA_ACCEL_REDIRECT`); the decision stays here.
"""

import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from .models import Meeting, PhotoSession, PreviewLink, renditions

# Short, because a photo leaves the public site when its meeting is taken down or expires:
# browsers and proxies may keep showing it for this long.
PUBLIC_MAX_AGE = 300

IMAGE_FIELD = PhotoSession._meta.get_field("image")


@require_safe
def photo(request, path):
    name = f"photos/{path}"
    # A rendition is the photo it was made from, smaller: the same rule decides. Its name
    # is that photo's, plain, then a width and an extension, so it is plain too.
    photo_name = renditions.photo_name_of(name) or name
    if not is_plain_name(photo_name):
        raise Http404("No such photo.")
    token = request.GET.get("preview")
    if is_public_photo(photo_name):
        cache_control = {"public": True, "max_age": PUBLIC_MAX_AGE}
    elif can_see_every_photo(request.user) or in_shared_preview(photo_name, token):
        cache_control = {"private": True, "no_store": True}
    else:
        # 404, not 403: a photo under embargo must not even be known to exist.
        raise Http404("No such photo.")
    response = photo_response(request, name)
    patch_cache_control(response, **cache_control)
    return response


def is_plain_name(name):
    """Whether `name` could be a name the storage gave: relative, normalised, not too long."""
    return (
        len(name) <= IMAGE_FIELD.max_length
        and "\x00" not in name
        and "\\" not in name
        and posixpath.normpath(name) == name
    )


def is_public_photo(name):
    """Whether a page the public sees shows the file, in one query.

    A correction draft shares its files with the live meeting, so one row on a public
    meeting is enough. A withdrawn meeting's page stays public, with its photos."""
    return PhotoSession.objects.filter(
        image=name, meeting__in=Meeting.objects.with_public_page()
    ).exists()


def can_see_every_photo(user):
    """Staff who may view meetings: the admin's thumbnails and previews show any photo."""
    return user.is_staff and user.has_perm("meetings.view_meeting")


def in_shared_preview(name, token):
    """Whether a valid preview link shows the photo: `?preview=<token>` on its address."""
    try:
        link = PreviewLink.objects.select_related("meeting").get(token=token)
    except (PreviewLink.DoesNotExist, ValidationError, ValueError):
        return False
    return link.is_valid and link.meeting.photo_sessions.filter(image=name).exists()


def photo_response(request, name):
    """The file, once the view has decided the visitor may have it: from nginx, from the
    storage's own signed address, or streamed from the storage (any storage: a folder, a
    bucket), in that order of preference (settings)."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel_prefix = settings.PORTAL_MEDIA_ACCEL_REDIRECT
    if accel_prefix:
        # nginx sends the file from an `internal` location, with Last-Modified and 304s of
        # its own; it keeps the Content-Type and Cache-Control given here.
        return HttpResponse(
            content_type=content_type, headers={"X-Accel-Redirect": accel_prefix + quote(name)}
        )
    storage = IMAGE_FIELD.storage
    if settings.PORTAL_MEDIA_REDIRECT:
        # The bucket sends the file, at an address signed for a short while (settings refuse
        # an unsigned one): the bucket stays private, and the decision stays here.
        return HttpResponseRedirect(storage.url(name))
    try:
        file = storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation) as error:  # missing, or a folder
        raise Http404("No such photo.") from error
    modified = storage.get_modified_time(name).timestamp()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        file.close()
        return HttpResponseNotModified()
    response = FileResponse(file, content_type=content_type)
    response.headers["Last-Modified"] = http_date(modified)
    return response
