from django import template

from meetings.models import shown_name as shown_name_of

register = template.Library()


@register.filter
def shown_name(tag):
    """The tag's name as public pages show it (see meetings.models.shown_name)."""
    return shown_name_of(tag)
