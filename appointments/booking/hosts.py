"""Who hosts a booking, and the occupation rows that hold each person's time.

Called inside the booking transaction, after the rules were re-checked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Max, Q

from appointments.models import Appointment, AppointmentHost, Calendar, Host, Occupation
from appointments.scheduling import HostLoad, round_robin_choice

# Round-robin fairness looks at the bookings of the event type made in this period.
FAIRNESS_PERIOD = timedelta(days=30)


# The first key of the advisory locks taken on people (PostgreSQL), the second being their id
# (a guest's: the hash of their e-mail address, under the second first key).
PERSON_LOCK = 5107
GUEST_LOCK = 5108


def lock_people(calendar: Calendar, booker) -> None:
    """Inside the booking transaction, on PostgreSQL: wait until no other booking involving the
    event type's hosts or the booker is in progress.

    The exclusion constraint alone would keep the guarantee, but two transactions inserting
    conflicting occupation rows at the same moment each find the other's uncommitted row and
    wait for it, which PostgreSQL breaks by aborting one (a deadlock, not a friendly refusal).
    Locking every person first, in id order, makes the re-check after it see the winner's
    committed rows and refuse in words. SQLite needs nothing: BEGIN IMMEDIATE already lets one
    writer in at a time."""
    if connection.vendor != "postgresql":
        return
    people = {*Host.objects.filter(calendar=calendar).values_list("user_id", flat=True)}
    if booker.pk is not None:
        people.add(booker.pk)
    with connection.cursor() as cursor:
        # The sorted subquery fixes the order in which the locks are taken; a guest's lock comes
        # after every account's, so the order is the same in every transaction.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, person) FROM "
            "(SELECT unnest(%s::integer[]) AS person ORDER BY 1) AS people",
            [PERSON_LOCK, sorted(people)],
        )
        if booker.pk is None:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [GUEST_LOCK, booker.email.lower()]
            )


def host_loads(calendar: Calendar, candidates: Sequence[int], *, now: datetime) -> list[HostLoad]:
    """Each candidate's active bookings of the event type made in the last 30 days, and when
    they were last booked on it: one query."""
    active = Q(appointment__status__in=Appointment.HOLDING)
    recent = active & Q(appointment__created_at__gte=now - FAIRNESS_PERIOD)
    stats = {
        row["user_id"]: row
        for row in AppointmentHost.objects.filter(
            appointment__calendar=calendar, user_id__in=candidates
        )
        .values("user_id")
        .annotate(
            recent=Count("pk", filter=recent),
            last=Max("appointment__created_at", filter=active),
        )
    }
    return [
        HostLoad(pk, stats.get(pk, {}).get("recent", 0), stats.get(pk, {}).get("last"))
        for pk in candidates
    ]


def choose_hosts(
    calendar: Calendar, free: Sequence[int], *, now: datetime, keep: Sequence[int] = ()
) -> list[int]:
    """The hosts of a booking among the free ones: every host of a collective event type, the
    only host of a personal one, else the round-robin choice (a rescheduled appointment keeps
    its host when that host is free)."""
    if calendar.assignment != Calendar.Assignment.ROUND_ROBIN or len(free) <= 1:
        return list(free)
    kept = [host for host in keep if host in free]
    if kept:
        return kept[:1]
    return [round_robin_choice(host_loads(calendar, free, now=now))]


def hold(appointment: Appointment, hosts: Sequence[int]) -> None:
    """Record the hosts and occupy every person's time (on PostgreSQL the exclusion constraint
    over these rows is the final word)."""
    AppointmentHost.objects.bulk_create(
        AppointmentHost(appointment=appointment, user_id=host) for host in hosts
    )
    occupy(appointment, hosts)


def occupy(appointment: Appointment, hosts: Sequence[int]) -> None:
    """One row per host and one for the booker: their account, or a guest's e-mail address."""
    booker_email = appointment.contact_email.lower() if appointment.user_id is None else ""
    people = [(host, "", True) for host in hosts] + [(appointment.user_id, booker_email, False)]
    Occupation.objects.bulk_create(
        Occupation(
            appointment=appointment,
            person_id=person,
            guest_email=guest_email,
            is_host=is_host,
            start_time=appointment.start_time,
            end_time=appointment.end_time,
        )
        for person, guest_email, is_host in people
    )


def release(appointment: Appointment) -> None:
    Occupation.objects.filter(appointment=appointment).delete()


def reassign(appointment: Appointment, hosts: Sequence[int]) -> None:
    """Move the appointment's occupation to its new times (and hosts, if they changed)."""
    current = list(appointment.host_rows.values_list("user_id", flat=True))
    release(appointment)
    if sorted(current) != sorted(hosts):
        AppointmentHost.objects.filter(appointment=appointment).delete()
        AppointmentHost.objects.bulk_create(
            AppointmentHost(appointment=appointment, user_id=host) for host in hosts
        )
        # The prefetch cache (if any) describes the old hosts.
        getattr(appointment, "_prefetched_objects_cache", {}).pop("host_rows", None)
    occupy(appointment, hosts)


def host_users(pks: Sequence[int]) -> list:
    users = get_user_model().objects.in_bulk(pks)
    return [users[pk] for pk in pks]
