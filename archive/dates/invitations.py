"""Invitations written as a sentence: the event's day, hours and venue.

``Wir laden Sie am Mittwoch, dem 6. November 2019, 9:30 bis 15:00 Uhr, in das Rathaus
Erfurt, Fischmarkt 1, ein.`` gives 2019-11-06, 09:30-15:00 and ``Rathaus Erfurt,
Fischmarkt 1``. :func:`parse_invitation` is separate from
:func:`archive.dates.parse_event_line`, which reads the site's event lines
(``21.03.2024 | 13:00 bis 14:30 Uhr | online``): a record's type rules use that one, and a
sentence that names a day is not by itself an event line.
"""

from __future__ import annotations

import re

from archive.dates.datelines import _ONLINE_RE, EventLine
from archive.dates.scanning import _prepare, _scan
from archive.dates.spans import DateContext

MAX_INVITATION_CHARS = 2000  # an invitation's sentence, not a whole programme

# Where the event takes place, after its date: "in das Rathaus Erfurt, Fischmarkt 1, ein",
# "im Landratsamt Gotha statt", "ins Augustinerkloster ein". The venue ends at the verb's
# particle or at the end of the sentence.
_VENUE_RE = re.compile(
    r"^\s*,?\s*(?:(?:in\s+(?:das|die|den|dem|der)|ins|im)\s+)"
    r"(?P<venue>[A-ZÄÖÜ0-9„\"].*?)\s*,?\s*"
    r"(?:(?:herzlich\s+)?(?:ein|statt|eingeladen|stattfinden)\b|[.;!?](?:\s|$)|$)"
)


def parse_invitation(text: str, context: DateContext | None = None) -> EventLine | None:
    """The day, hours and venue an invitation sentence names, or None.

    The first day date (or day range) with the times written right after it; the venue is
    what ``in das``/``in die``/``im``/``ins`` names after them. A day alone, with neither
    hours nor venue nor an online note, is not read as an invitation.
    """
    line = " ".join(_prepare(text)[:MAX_INVITATION_CHARS].split())
    if not line:
        return None
    found = [f for f in _scan(line, context) if f.span.precision == "day"]
    if not found:
        return None
    first = found[0]
    after = line[first.end :]
    venue_match = _VENUE_RE.match(after)
    venue = venue_match.group("venue").strip(" ,") if venue_match else None
    online = bool(_ONLINE_RE.search(venue if venue else after[:120]))
    if venue and _ONLINE_RE.fullmatch(venue):
        venue = None
    if venue is None and first.span.start_time is None and not online:
        return None
    return EventLine(span=first.span, venue=venue or None, online=online)


__all__ = ["MAX_INVITATION_CHARS", "parse_invitation"]
