"""The topics vocabulary: defining, renaming and merging topics, and their old addresses.

Every change here keeps one canonical tag per topic and retires cached public pages; an
address a topic had before a rename or merge redirects to its page from then on.
"""

from django.db import transaction
from taggit.models import Tag, TaggedItem

from .models import Meeting, Topic, TopicRedirect, parse_synonyms
from .models.topics import tags_from_text, text_from_tags
from .search import indexing


def tag_named(name):
    """The one tag for a name, whatever its case; created when there is none."""
    name = name.strip()
    tag = Tag.objects.filter(name__iexact=name).first()
    return tag or Tag.objects.create(name=name)


@transaction.atomic
def define_topic(name, synonyms=""):
    """A topic for the name (reusing its tag), with its synonyms; returns the Topic."""
    topic, _ = Topic.objects.get_or_create(tag=tag_named(name))
    if synonyms:
        topic.synonyms = "\n".join(parse_synonyms(synonyms))
        topic.save(update_fields=["synonyms"])
    return topic


@transaction.atomic
def rename_topic(tag, new_name):
    """Give the tag a new name and address; the old address redirects to the new one."""
    new_name = new_name.strip()
    clash = Tag.objects.filter(name__iexact=new_name).exclude(pk=tag.pk).first()
    if clash:
        raise ValueError(f"There is already a topic named “{clash.name}”: merge the two instead.")
    old_slug = tag.slug
    tag.name = new_name
    tag.slug = _unique_slug(tag)
    tag.save()
    if tag.slug != old_slug:
        _redirect(old_slug, tag)
    return tag


@transaction.atomic
def merge_topics(tags, into):
    """Fold the tags into one: their items and meetings carry it, their addresses redirect."""
    merged = [tag for tag in tags if tag.pk != into.pk]
    # The kept topic's synonyms first, then what the merged ones bring.
    topics = sorted(
        Topic.objects.filter(tag__in=[into, *merged]), key=lambda t: t.tag_id != into.pk
    )
    keep_topic = bool(topics)
    synonyms = [synonym for topic in topics for synonym in parse_synonyms(topic.synonyms)]
    # Their tags move by bulk updates, which no one listens to: their documents are
    # rewritten here, to hold the kept topic's name.
    retagged = [
        list(Meeting.objects.carrying_topic(tag).values_list("pk", flat=True)) for tag in merged
    ]
    for tag in merged:
        synonyms.append(tag.name)
        _move_tagged_items(tag, into)
        TopicRedirect.objects.filter(tag=tag).update(tag=into)
        old_slug = tag.slug
        tag.delete()
        _redirect(old_slug, into)
    if keep_topic:
        topic, _ = Topic.objects.get_or_create(tag=into)
        seen, unique = {into.name.casefold()}, []
        for synonym in synonyms:
            if synonym.casefold() not in seen:
                seen.add(synonym.casefold())
                unique.append(synonym)
        topic.synonyms = "\n".join(unique)
        topic.save(update_fields=["synonyms"])
    indexing.index_meetings(sorted({pk for pks in retagged for pk in pks}))
    return into


def _move_tagged_items(tag, into):
    """Re-tag what carries `tag` with `into`; what carries both keeps one."""
    carrying_into = set(
        TaggedItem.objects.filter(tag=into).values_list("content_type_id", "object_id")
    )
    duplicates, moving = [], []
    for pk, content_type_id, object_id in TaggedItem.objects.filter(tag=tag).values_list(
        "pk", "content_type_id", "object_id"
    ):
        (duplicates if (content_type_id, object_id) in carrying_into else moving).append(pk)
    TaggedItem.objects.filter(pk__in=duplicates).delete()
    TaggedItem.objects.filter(pk__in=moving).update(tag=into)


def _unique_slug(tag):
    """taggit's slug for the tag's name, with its “_1”, “_2” suffixes where taken."""
    slug, number = tag.slugify(tag.name), 1
    while Tag.objects.filter(slug=slug).exclude(pk=tag.pk).exists():
        slug = tag.slugify(tag.name, number)
        number += 1
    return slug


def _redirect(old_slug, tag):
    if old_slug and old_slug != tag.slug:
        TopicRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})
    TopicRedirect.objects.filter(old_slug=tag.slug).delete()


def redirect_for(slug):
    """The tag an old topic address now leads to, or None."""
    found = TopicRedirect.objects.select_related("tag").filter(old_slug=slug).first()
    return found.tag if found else None


def split_tag_names(text):
    """Tag names as taggit reads an editor's comma-separated input (sorted, each once)."""
    return tags_from_text(text)


def tag_input(names):
    """Tag names as one comma-separated input that `split_tag_names` reads back."""
    return text_from_tags([Tag(name=name) for name in names])
