"""CalDAV against a real Radicale server."""

from __future__ import annotations

import socket
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import caldav
import pytest

import calendars.caldav.client
from calendars.caldav.client import CalDavSource, CalDavWriter
from calendars.caldav.connection import AddressGuard
from calendars.fetch import FetchError
from calendars.ics.export import EventData, build_calendar
from calendars.sources import BusySource, RemoteCalendar, SourceError
from calendars.tests.servers import HttpServer, RadicaleServer, Route

WINDOW = (datetime(2025, 3, 10, tzinfo=UTC), datetime(2025, 3, 17, tzinfo=UTC))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def vcalendar(*events: str) -> str:
    body = "".join(textwrap.dedent(event).strip() + "\n" for event in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n"


def vevent(uid: str, *lines: str) -> str:
    properties = "\n".join(lines)
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20250101T000000Z\n{properties}\nEND:VEVENT"


def source_for(server: RadicaleServer, **options: object) -> CalDavSource:
    options.setdefault("default_tz", "Europe/Berlin")
    options.setdefault("allow_loopback", True)
    return CalDavSource(server.url, server.username, server.password, **options)


def writer_for(server: RadicaleServer, calendar: caldav.Calendar) -> CalDavWriter:
    return CalDavWriter(
        server.url, server.username, server.password, str(calendar.url), allow_loopback=True
    )


def appointment(uid: str, summary: str, sequence: int = 0) -> bytes:
    event = EventData(
        uid=uid,
        sequence=sequence,
        start=utc(2025, 3, 12, 13),
        end=utc(2025, 3, 12, 14),
        summary=summary,
    )
    return build_calendar([event])


def summaries(calendar: caldav.Calendar) -> list[str]:
    return sorted(str(event.icalendar_component["SUMMARY"]) for event in calendar.events())


def test_caldav_inside_the_package_is_the_installed_library() -> None:
    library = calendars.caldav.client.caldav
    assert hasattr(library, "DAVClient")
    assert Path(library.__file__).parent.name == "caldav"
    assert "site-packages" in library.__file__


def test_it_lists_the_accounts_calendars(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    listed = source_for(radicale_server).calendars()

    assert RemoteCalendar(str(dav_calendar.url), dav_calendar.get_display_name()) in listed


def test_busy_time_follows_the_same_rules_as_feeds(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    dav_calendar.add_event(
        vcalendar(
            vevent("single", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"),
        )
    )
    dav_calendar.add_event(
        vcalendar(
            vevent(
                "series",
                "DTSTART;TZID=Europe/Berlin:20250311T080000",
                "DTEND;TZID=Europe/Berlin:20250311T083000",
                "RRULE:FREQ=DAILY;COUNT=4",
                "EXDATE;TZID=Europe/Berlin:20250312T080000",
            ),
            vevent(
                "series",
                "RECURRENCE-ID;TZID=Europe/Berlin:20250313T080000",
                "DTSTART;TZID=Europe/Berlin:20250313T170000",
                "DTEND;TZID=Europe/Berlin:20250313T180000",
            ),
        )
    )
    dav_calendar.add_event(
        vcalendar(vevent("holiday", "DTSTART;VALUE=DATE:20250316", "DTEND;VALUE=DATE:20250317"))
    )
    dav_calendar.add_event(
        vcalendar(
            vevent(
                "free", "DTSTART:20250314T090000Z", "DTEND:20250314T100000Z", "TRANSP:TRANSPARENT"
            )
        )
    )
    dav_calendar.add_event(
        vcalendar(vevent("later", "DTSTART:20250320T090000Z", "DTEND:20250320T100000Z"))
    )
    source: BusySource = source_for(radicale_server, calendar_urls=[str(dav_calendar.url)])

    assert source.busy(*WINDOW) == [
        (utc(2025, 3, 10, 9), utc(2025, 3, 10, 10)),
        (utc(2025, 3, 11, 7), utc(2025, 3, 11, 7, 30)),
        (utc(2025, 3, 13, 16), utc(2025, 3, 13, 17)),
        (utc(2025, 3, 14, 7), utc(2025, 3, 14, 7, 30)),
        (utc(2025, 3, 15, 23), utc(2025, 3, 16, 23)),  # all day, Berlin midnights
    ]


def test_only_the_chosen_calendars_count(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    other = dav_calendar.parent.make_calendar(name="Other")
    dav_calendar.add_event(
        vcalendar(vevent("mine", "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"))
    )
    other.add_event(
        vcalendar(vevent("theirs", "DTSTART:20250311T090000Z", "DTEND:20250311T100000Z"))
    )

    chosen = source_for(radicale_server, calendar_urls=[str(other.url)])
    everything = source_for(radicale_server)

    assert chosen.busy(*WINDOW) == [(utc(2025, 3, 11, 9), utc(2025, 3, 11, 10))]
    assert {
        (utc(2025, 3, 10, 9), utc(2025, 3, 10, 10)),
        (utc(2025, 3, 11, 9), utc(2025, 3, 11, 10)),
    } <= set(everything.busy(*WINDOW))


def test_a_wrong_password_is_reported_in_plain_words(radicale_server: RadicaleServer) -> None:
    source = CalDavSource(
        radicale_server.url,
        radicale_server.username,
        "not the password",
        default_tz="UTC",
        allow_loopback=True,
    )

    with pytest.raises(
        SourceError, match=r"^The CalDAV server refused the username or password\.$"
    ):
        source.calendars()
    with pytest.raises(SourceError, match="refused the username or password"):
        source.busy(*WINDOW)


def test_an_unreachable_server_is_reported_in_plain_words() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    source = CalDavSource(
        f"http://127.0.0.1:{port}/", "alice", "pw", default_tz="UTC", allow_loopback=True
    )

    with pytest.raises(SourceError, match="Could not connect to the CalDAV server"):
        source.calendars()


def test_a_server_on_this_machine_is_refused_unless_allowed(
    radicale_server: RadicaleServer,
) -> None:
    source = source_for(radicale_server, allow_loopback=False)

    with pytest.raises(SourceError, match=r"this server itself \(127\.0\.0\.1\)"):
        source.calendars()


def test_a_stored_calendar_address_on_a_private_network_is_refused(
    radicale_server: RadicaleServer, outside_connections: list[object]
) -> None:
    source = source_for(radicale_server, calendar_urls=["http://10.0.0.7/alice/work/"])

    with pytest.raises(SourceError, match=r"private network \(10\.0\.0\.7\)"):
        source.busy(*WINDOW)
    assert outside_connections == []


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    http_server: HttpServer, outside_connections: list[object]
) -> None:
    http_server.redirect("/dav/", "http://10.0.0.1/dav/", status=301)
    source = CalDavSource(
        http_server.url("/dav/"), "alice", "pw", default_tz="UTC", allow_loopback=True
    )

    with pytest.raises(SourceError, match=r"private network \(10\.0\.0\.1\)"):
        source.calendars()
    assert outside_connections == []
    assert {request.method for request in http_server.received} == {"PROPFIND"}


def test_a_web_page_instead_of_a_caldav_server_is_an_error_not_a_crash(
    http_server: HttpServer,
) -> None:
    url = http_server.add(
        "/", Route(body=b"<html><body>Welcome</body></html>", headers={"Content-Type": "text/html"})
    )
    source = CalDavSource(url, "alice", "pw", default_tz="UTC", allow_loopback=True)

    with pytest.raises(SourceError, match="does not look like a CalDAV server"):
        source.calendars()


# --- writing appointments back ------------------------------------------------------------------


def test_put_creates_the_event_under_its_uid(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer_for(radicale_server, dav_calendar).put(
        "appointment-1@slotwise", appointment("appointment-1@slotwise", "Haircut")
    )

    stored = dav_calendar.event_by_uid("appointment-1@slotwise")
    assert str(stored.icalendar_component["SUMMARY"]) == "Haircut"
    assert unquote(str(stored.url)).endswith("/appointment-1@slotwise.ics")


def test_putting_the_same_uid_again_updates_instead_of_duplicating(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer = writer_for(radicale_server, dav_calendar)
    uid = "appointment-2@slotwise"

    writer.put(uid, appointment(uid, "Haircut"))
    writer.put(uid, appointment(uid, "Haircut and beard", sequence=1))
    writer.put(uid, appointment(uid, "Haircut and beard", sequence=1))  # a retry

    assert summaries(dav_calendar) == ["Haircut and beard"]


def test_an_invitation_is_stored_without_its_method(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    uid = "appointment-3@slotwise"
    invitation = build_calendar(
        [
            EventData(
                uid=uid,
                sequence=0,
                start=utc(2025, 3, 12, 13),
                end=utc(2025, 3, 12, 14),
                summary="Consultation",
                organizer=("Sam", "sam@example.com"),
            )
        ],
        method="REQUEST",
    )

    writer_for(radicale_server, dav_calendar).put(uid, invitation)

    assert "METHOD" not in dav_calendar.event_by_uid(uid).data


def test_put_refuses_a_file_for_another_uid(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    with pytest.raises(ValueError, match="UID"):
        writer_for(radicale_server, dav_calendar).put(
            "appointment-4@slotwise", appointment("appointment-5@slotwise", "Mixed up")
        )


def test_delete_removes_the_event_and_a_missing_one_is_fine(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer = writer_for(radicale_server, dav_calendar)
    writer.put("appointment-6@slotwise", appointment("appointment-6@slotwise", "Haircut"))
    writer.put("appointment-7@slotwise", appointment("appointment-7@slotwise", "Shave"))

    writer.delete("appointment-6@slotwise")
    writer.delete("appointment-6@slotwise")  # a retry
    writer.delete("never-written@slotwise")

    assert summaries(dav_calendar) == ["Shave"]


def test_a_uid_with_a_slash_stays_inside_the_calendar(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer = writer_for(radicale_server, dav_calendar)
    uid = "../escape/1@slotwise"

    writer.put(uid, appointment(uid, "Odd UID"))
    assert summaries(dav_calendar) == ["Odd UID"]
    writer.delete(uid)
    assert summaries(dav_calendar) == []


def test_written_appointments_count_as_busy(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer_for(radicale_server, dav_calendar).put(
        "appointment-8@slotwise", appointment("appointment-8@slotwise", "Haircut")
    )

    busy = source_for(radicale_server, calendar_urls=[str(dav_calendar.url)]).busy(*WINDOW)

    assert busy == [(utc(2025, 3, 12, 13), utc(2025, 3, 12, 14))]


def test_the_writer_reports_a_wrong_password(
    radicale_server: RadicaleServer, dav_calendar: caldav.Calendar
) -> None:
    writer = CalDavWriter(
        radicale_server.url,
        radicale_server.username,
        "not the password",
        str(dav_calendar.url),
        allow_loopback=True,
    )

    with pytest.raises(SourceError, match="refused the username or password"):
        writer.put("appointment-9@slotwise", appointment("appointment-9@slotwise", "Haircut"))


def test_the_address_actually_connected_to_is_checked_before_anything_is_sent(
    http_server: HttpServer,
) -> None:
    # Skips the check of the URL, as if DNS had answered differently for caldav's own lookup.
    client = caldav.DAVClient(url=http_server.url("/dav/"), enable_rfc6764=False)
    guard = AddressGuard(allow_private=False, allow_loopback=False)
    guard.install(client)

    with pytest.raises(FetchError, match=r"this server itself \(127\.0\.0\.1\)"):
        client.propfind(http_server.url("/dav/"))
    assert http_server.received == []
