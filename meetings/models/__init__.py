from . import renditions
from .meetings import Meeting, MeetingType, describe_duration, numbered_overview
from .presence import EditingPresence
from .public import (
    dated_by_last_public_change,
    public_relations_pages,
    public_tags,
    regions_with_public_pages,
)
from .publication import (
    ChangeNote,
    FormerAddress,
    MeetingRevision,
    PreviewLink,
    PublicationLogEntry,
    PublicContentVersion,
)
from .querysets import MeetingQuerySet
from .readout import (
    AgendaItem,
    OrderedRowQuerySet,
    Participant,
    PhotoSession,
    photo_upload_path,
    validate_photo,
)
from .search import SearchDocument
from .topics import (
    Topic,
    TopicEntry,
    TopicRedirect,
    attach_tags,
    parse_synonyms,
    tag_list,
    topic_name,
)

__all__ = [
    "AgendaItem",
    "ChangeNote",
    "EditingPresence",
    "FormerAddress",
    "Meeting",
    "MeetingQuerySet",
    "MeetingRevision",
    "MeetingType",
    "OrderedRowQuerySet",
    "Participant",
    "PhotoSession",
    "PreviewLink",
    "PublicContentVersion",
    "PublicationLogEntry",
    "SearchDocument",
    "Topic",
    "TopicEntry",
    "TopicRedirect",
    "attach_tags",
    "dated_by_last_public_change",
    "describe_duration",
    "numbered_overview",
    "parse_synonyms",
    "photo_upload_path",
    "public_relations_pages",
    "public_tags",
    "regions_with_public_pages",
    "renditions",
    "tag_list",
    "topic_name",
    "validate_photo",
]
