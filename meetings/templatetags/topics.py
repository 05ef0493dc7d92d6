from django import template

from meetings.models import topic_name as name_of_topic

register = template.Library()


@register.filter
def topic_name(tag):
    """{{ tag|topic_name }}: the topic as the page's language names it."""
    return name_of_topic(tag)
