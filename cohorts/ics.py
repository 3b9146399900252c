"""A small iCalendar (RFC 5545) writer for session feeds: text escaping, line folding, time zones.

Written here rather than taken from a library because a feed needs only VEVENTs
and the VTIMEZONEs they refer to; the zone rules come from Python's zoneinfo.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
UTC = datetime.UTC


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime  # aware, in the zone the event should be shown in
    end: datetime.datetime
    time_zone: str  # IANA name, e.g. America/New_York
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None


def escape_text(value):
    """TEXT values: backslash, semicolon, comma and newlines are escaped (RFC 5545 3.3.11)."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line):
    """Split a content line into lines of at most 75 octets; each continuation starts with a space.

    Splits fall between characters, never inside a multi-byte UTF-8 sequence.
    """
    parts, current, size = [], [], 0
    limit = MAX_LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [" "], 1  # the leading space counts toward the next line's 75
        current.append(character)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def _param_value(value):
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _utc_stamp(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local_stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%S")


def _offset(delta):
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _transitions(zone, start, end):
    """(instant, offset before, offset after) for each change of UTC offset between two UTC instants."""
    found = []
    moment = start
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + datetime.timedelta(days=1)
        after = following.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, following
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(microsecond=0), before, after))
            before = after
        moment = following
    return found


def vtimezone(name, first_year, last_year):
    """A VTIMEZONE for `name` covering the given years, one observance per offset change."""
    zone = ZoneInfo(name)
    start = datetime.datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    first = start.astimezone(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]

    def observance(moment_utc, before, after):
        local = moment_utc.astimezone(zone)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        wall_clock_before = (moment_utc + before).replace(tzinfo=None)  # DTSTART is in the old offset
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{_local_stamp(wall_clock_before)}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{escape_text(local.tzname())}",
            f"END:{kind}",
        ]

    # The offset in force at the start of the range, so every event has an observance.
    lines += observance(start, first.utcoffset(), first.utcoffset())
    for moment, before, after in _transitions(zone, start, end):
        lines += observance(moment, before, after)
    lines.append("END:VTIMEZONE")
    return lines


def calendar(events, *, name, stamp):
    """The whole feed as text with CRLF line endings. `stamp` (aware) becomes every DTSTAMP."""
    events = list(events)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pathways//Session calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    years = {}
    for event in events:
        span = years.setdefault(event.time_zone, [event.start.year, event.end.year])
        span[0] = min(span[0], event.start.year)
        span[1] = max(span[1], event.end.year)
    for zone_name, (first_year, last_year) in sorted(years.items()):
        lines += vtimezone(zone_name, first_year, last_year)
    for event in events:
        tzid = _param_value(event.time_zone)
        zone = ZoneInfo(event.time_zone)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{_utc_stamp(stamp)}",
            f"DTSTART;TZID={tzid}:{_local_stamp(event.start.astimezone(zone))}",
            f"DTEND;TZID={tzid}:{_local_stamp(event.end.astimezone(zone))}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.last_modified:
            lines.append(f"LAST-MODIFIED:{_utc_stamp(event.last_modified)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
