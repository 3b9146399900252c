"""The session calendar feed as iCalendar (RFC 5545), written by the icalendar library: each event in its
cohort's time zone, with the VTIMEZONE that zone needs generated from zoneinfo."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

REFRESH = datetime.timedelta(hours=6)  # how often calendar apps are asked to fetch the feed again


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


def calendar(events, *, name, stamp):
    """The whole feed as bytes (UTF-8, CRLF lines folded at 75 octets). `stamp` (aware) becomes every DTSTAMP."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Pathways//Session calendar//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", icalendar.vDuration(REFRESH))
    events = list(events)
    for event in events:
        zone = ZoneInfo(event.time_zone)
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp.astimezone(datetime.UTC))
        entry.add("dtstart", event.start.astimezone(zone))
        entry.add("dtend", event.end.astimezone(zone))
        entry.add("summary", event.summary)
        if event.last_modified:
            entry.add("last-modified", event.last_modified.astimezone(datetime.UTC))
        if event.location:
            entry.add("location", event.location)
        if event.description:
            entry.add("description", event.description)
        if event.url:
            entry.add("url", event.url)
        entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        feed.add_component(entry)
    if events:
        # Each zone's rules over the years the events span (a year either side), not 1970–2038.
        feed.add_missing_timezones(
            first_date=datetime.date(min(event.start.year for event in events) - 1, 1, 1),
            last_date=datetime.date(max(event.end.year for event in events) + 2, 1, 1),
        )
    return feed.to_ical()
