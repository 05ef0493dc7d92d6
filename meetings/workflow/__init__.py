"""The editorial workflow: who may move a meeting from one state to another, and the log.

    draft ──submit──▶ in review ──approve──▶ published (now, or scheduled for a time)
      ▲                  │  ▲                   │
      └──────reject──────┘  └──unschedule───────┤ (while its time is still ahead)
      ▲                                         └──take down──▶ taken down
      └──────────────restore as a draft──────────────────────────────┘

A publisher may not approve what they submitted themselves. “Publish without review” is
for emergencies: it needs a written reason and leaves the meeting waiting for another
publisher's approval. Every change is checked here, on the server, then recorded in the
publication log, and cached public pages are retired.

Each step is one transaction that starts by locking the meeting's row: the step, its log
row, its revision, the cache retirement and the emails happen together or not at all (the
last two once the transaction commits), and two steps on one meeting queue up. Approval is
bound to a version: it publishes the content the reviewer saw, or nothing.

An archive back-fill (`backfill`) publishes a new meeting at its own date, unannounced.
"""

from .actors import (
    PUBLISH_PERMISSION,
    SITE,
    can_publish,
    publishers_besides,
    refusal,
    require_publisher,
)
from .backfill import backfill, backfill_publication_time
from .clock import record_due_transitions
from .corrections import apply_correction, copy_content, restore_revision, start_correction
from .previews import PREVIEW_DAYS, revoke_preview, share_preview
from .steps import (
    approve,
    approve_retrospectively,
    publish,
    publish_without_review,
    record_edit,
    reject,
    restore_as_draft,
    set_expiry,
    submit_for_review,
    take_down,
    unpublish,
    unschedule,
)

__all__ = [
    "PREVIEW_DAYS",
    "PUBLISH_PERMISSION",
    "SITE",
    "apply_correction",
    "approve",
    "approve_retrospectively",
    "backfill",
    "backfill_publication_time",
    "can_publish",
    "copy_content",
    "publish",
    "publish_without_review",
    "publishers_besides",
    "record_due_transitions",
    "record_edit",
    "refusal",
    "reject",
    "require_publisher",
    "restore_as_draft",
    "restore_revision",
    "revoke_preview",
    "set_expiry",
    "share_preview",
    "start_correction",
    "submit_for_review",
    "take_down",
    "unpublish",
    "unschedule",
]
