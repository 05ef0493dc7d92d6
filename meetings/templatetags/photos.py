"""A photo as the public page shows it: `{% picture photo preview=shared_link as picture %}`."""

from django import template

from meetings.models import renditions

register = template.Library()


@register.simple_tag
def picture(photo, preview=None):
    """The photo's renditions and original; on a shared preview, each address carries its
    token, without which the photos of a meeting not yet public are not found."""
    return renditions.picture_of(photo, f"?preview={preview.token}" if preview else "")
