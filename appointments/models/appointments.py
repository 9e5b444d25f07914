"""Bookings, who hosts them, and the per-person occupation rows the database keeps exclusive."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .event_types import Calendar, TimeSlot


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> AppointmentQuerySet:
        """Appointments that hold their time: confirmed ones and requests awaiting the host."""
        return self.filter(status__in=Appointment.HOLDING)

    def involving(self, user) -> AppointmentQuerySet:
        """Appointments the user booked or hosts, on any event type."""
        return self.filter(Q(user=user) | Q(host_rows__user=user)).distinct()


class Appointment(models.Model):
    """A booking of an event type (`calendar`) by `user`, hosted by one or more people. The
    times are copied from the slot; every person involved holds an `Occupation` row while the
    appointment is active, which is where the database forbids overlaps."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        # Host confirmation: a request holds its time until a host accepts it (CONFIRMED) or
        # declines it, or the worker declines it when nobody answered in time (DECLINED).
        REQUESTED = "requested", "Requested"
        DECLINED = "declined", "Declined"

    HOLDING = (Status.CONFIRMED, Status.REQUESTED)

    # History is never deleted by a cascade: a person is anonymised (accounts.services), an
    # event type archived (event_types.services), never removed under its bookings.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        help_text="The booker's account; empty for a guest (the contact fields say who booked).",
    )
    # The contact record of the booking: who booked, whether or not they have an account
    # (filled from the account for a signed-in booker). `contact_email` is stored lower-cased:
    # it keys a guest's per-person guarantee.
    contact_name = models.CharField("name", max_length=150, blank=True)
    contact_email = models.EmailField("e-mail", blank=True)
    contact_phone = models.CharField("phone", max_length=24, blank=True)
    contact_time_zone = models.CharField("time zone", max_length=64, blank=True)
    cancel_reason = models.TextField(
        blank=True, max_length=500, help_text="Why the booker cancelled, for the hosts."
    )
    time_slot = models.ForeignKey(
        TimeSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="appointments")
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AppointmentHost", related_name="hosted_appointments"
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    description = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: bumped on change."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    request_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A request not answered by then is declined by the worker (never after the start).",
    )
    decline_reason = models.TextField(
        blank=True, max_length=500, help_text="Why the host declined the request, for the booker."
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start_time"]
        indexes = [
            models.Index(fields=["calendar", "status", "start_time"]),
            models.Index(fields=["user", "status", "start_time"]),
            # The worker looks for expired requests on every tick: only requests are indexed.
            models.Index(
                fields=["request_expires_at"],
                condition=Q(status="requested"),
                name="appointment_request_expiry",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="appointment_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["time_slot"],
                condition=Q(status__in=["confirmed", "requested"]),
                name="one_active_appointment_per_slot",
                violation_error_message="That time was just taken.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Appointment for {self.booker.get_username()} at {self.start_time:%Y-%m-%d %H:%M} UTC"
        )

    @property
    def is_active(self) -> bool:
        """It holds its time (and its occupation rows): confirmed, or requested."""
        return self.status in self.HOLDING

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def booker(self):
        """Who booked, as notifications and calendar files address them: the account, or the
        guest of the contact record."""
        if self.user_id is not None:
            return self.user
        return Guest(
            name=self.contact_name,
            email=self.contact_email,
            zone=self.contact_time_zone,
            phone=self.contact_phone,
        )

    def link_holder(self) -> Guest:
        """Whoever opened this booking's manage link: its booker, account or not."""
        return Guest(
            name=self.booker_name,
            email=self.contact_email,
            zone=self.contact_time_zone,
            phone=self.contact_phone,
            appointment_pk=self.pk,
        )

    @property
    def booker_name(self) -> str:
        if self.user_id is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.contact_name

    @property
    def ical_uid(self) -> str:
        return f"{self.uid}@slotwise"

    @property
    def host_users(self) -> list:
        """The hosts, in the order they were assigned (the first is the organizer). Uses the
        prefetched rows when a selector prefetched `host_rows__user`."""
        return [row.user for row in self.host_rows.all()]

    @property
    def organizer(self):
        hosts = self.host_users
        return hosts[0] if hosts else self.calendar.provider

    def is_hosted_by(self, user) -> bool:
        return any(row.user_id == user.pk for row in self.host_rows.all())


@dataclass(frozen=True, eq=False)
class Guest:
    """A booker without an account, with the few attributes of a user the notifications and
    calendar files read. Two guests are the same person when their e-mail addresses match.
    `appointment_pk` is set when the guest acts through the booking's manage link."""

    name: str
    email: str
    zone: str = ""
    phone: str = ""
    appointment_pk: int | None = None

    pk = None
    is_authenticated = False

    def get_username(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    @property
    def profile(self) -> SimpleNamespace:
        return SimpleNamespace(time_zone=self.zone, email_reminders=True)

    def __eq__(self, other) -> bool:
        return isinstance(other, Guest) and other.email.lower() == self.email.lower()

    def __hash__(self) -> int:
        return hash(self.email.lower())


class AppointmentHost(models.Model):
    """Who hosts an appointment: kept for its whole history, cancelled ones included."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="host_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_host_rows"
    )

    class Meta:
        ordering = ["appointment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "user"], name="one_host_row_per_appointment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} hosts {self.appointment_id}"


class Occupation(models.Model):
    """One row per person (host or booker) of each ACTIVE appointment, with its times.

    This is the per-person no-overlap guarantee: on PostgreSQL an exclusion constraint forbids
    two rows of one person whose times overlap (migration 0003); on SQLite writers are
    serialised and the booking service re-checks these rows. Rows are created in the booking
    transaction, moved by a reschedule and deleted by a cancellation."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="occupations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occupations",
    )
    guest_email = models.CharField(
        max_length=254,
        blank=True,
        help_text="A guest booker (no account) is one person per lower-cased e-mail address.",
    )
    is_host = models.BooleanField(
        help_text="Hosts keep the buffers of the appointment's event type around it."
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()

    class Meta:
        ordering = ["start_time"]
        indexes = [
            models.Index(fields=["person", "start_time"]),
            models.Index(fields=["guest_email", "start_time"], name="occupation_guest_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="occupation_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["appointment", "person"], name="one_occupation_per_person"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_email=""),
                name="occupation_of_a_person_or_a_guest",
            ),
            # occupation_no_overlap_per_person (PostgreSQL only, migration 0005) and
            # occupation_no_overlap_per_guest (migration 0008_guests).
        ]

    def __str__(self) -> str:
        return f"{self.person or self.guest_email} busy {self.start_time:%Y-%m-%d %H:%M} UTC ({self.appointment_id})"
