"""Writing a meeting back in the readout text shape that `import_readout` reads.

Importing what this writes gives the same meeting: the same relations page, date, title,
photo captions, lead and overview (and so the same start time, duration, place and
participants, which are read off the lead). Each paragraph and item is written on one line;
agenda items are numbered straight on, as the page numbers them.
"""

from .importing.parsing import PHOTO_PREFIX

BULLET = "•"


def export_readout(meeting):
    """The meeting as readout text, and a list of reasons it may not import back as it is."""
    problems = []
    page_title = meeting.relations_page.title
    lines = [page_title, "", f"{meeting.date:%B} {meeting.date.day}, {meeting.date.year}"]

    captions = [session.caption for session in meeting.photo_sessions.all()]
    if meeting.title in captions:
        main = captions.index(meeting.title)
        lines += [f"(Photo) {c}" if i == main else c for i, c in enumerate(captions)]
    elif captions:
        lines += [*captions, f"(Photo) {meeting.title}"]
        problems.append(
            "no photo caption is the title: the title is written as the main photo's caption"
        )
    else:
        lines.append(meeting.title)

    paragraphs = [_one_line(p) for p in meeting.lead.split("\n\n") if p.strip()]
    if not paragraphs or not paragraphs[0].startswith("On "):
        problems.append("the lead does not start with “On ”, as an importable readout's does")
    for paragraph in paragraphs:
        lines += ["", paragraph]

    overview = meeting.overview()
    if overview:
        lines.append("")
    for number, (item, sub_items) in enumerate(overview, start=1):
        lines.append(f"  {number}. {_one_line(item.text)}")
        for sub_number, sub_item in enumerate(sub_items, start=1):
            lines.append(f"  {BULLET} ({sub_number}) {_one_line(sub_item.text)}")

    lines += ["", f"Back to {page_title}"]
    if any(PHOTO_PREFIX.match(c) for c in captions):
        problems.append("a caption starts with “(Photo)”")
    return "\n".join(lines) + "\n", problems


def _one_line(text):
    return " ".join(text.split())
