"""Demo data: an admin; a provider with one schedule (Mon-Fri 09:00-17:00, London) used by two
event types, a 30-minute consultation (with published slots over the next 14 days, for the
brief's plain booking form) and a 60-minute session; and a client. Safe to run again: it only
adds what is missing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from appointments.event_types.services import default_schedule, event_type_create, schedule_create
from appointments.models import Calendar, TimeSlot
from appointments.provider import services as slot_services

PROVIDER_ZONE = "Europe/London"
LOGINS = [
    # username, password, e-mail, is_staff
    ("admin", "admin-demo-pass", "admin@example.com", True),
    ("provider", "provider-demo-pass", "provider@example.com", False),
    ("client", "client-demo-pass", "client@example.com", False),
]
DAY_START, DAY_END, SLOT_MINUTES, DAYS = time(9), time(17), 30, 14


def ensure_user(username: str, password: str, email: str, staff: bool):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    user.email, user.is_staff, user.is_superuser = email, staff, staff
    user.set_password(password)
    user.save()
    return user


def wanted_slots(zone: ZoneInfo, now: datetime) -> list[tuple[datetime, datetime]]:
    today = timezone.localtime(now, zone).date()
    slots = []
    for offset in range(DAYS):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, DAY_START, zone)
        day_end = datetime.combine(day, DAY_END, zone)
        while start + timedelta(minutes=SLOT_MINUTES) <= day_end:
            end = start + timedelta(minutes=SLOT_MINUTES)
            if start > now:
                slots.append((start, end))
            start = end
    return slots


class Command(BaseCommand):
    help = "Create (or complete) the demo admin, provider, client, calendar and slots; prints the logins."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        users = {name: ensure_user(name, pw, email, staff) for name, pw, email, staff in LOGINS}
        provider = users["provider"]
        provider.profile.time_zone = PROVIDER_ZONE
        provider.profile.save(update_fields=["time_zone"])
        schedule = default_schedule(provider) or schedule_create(
            owner=provider,
            time_zone=PROVIDER_ZONE,
            hours={weekday: [(DAY_START, DAY_END)] for weekday in range(5)},
        )
        consultation = self.ensure_event_type(
            provider, schedule, slug="dr-demo", name="Dr Demo's consultations", length=30
        )
        self.ensure_event_type(
            provider, schedule, slug="dr-demo-session", name="Treatment session", length=60
        )
        self.publish_missing_slots(consultation)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (username / password):"))
        for name, password, _, staff in LOGINS:
            role = (
                "admin, opens /admin/"
                if staff
                else ("provider" if name == "provider" else "client")
            )
            self.stdout.write(f"  {name} / {password}   ({role})")

    def ensure_event_type(self, provider, schedule, *, slug: str, name: str, length: int):
        existing = Calendar.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        return event_type_create(
            owner=provider, name=name, slug=slug, length_minutes=length, schedule=schedule
        )

    def publish_missing_slots(self, calendar: Calendar) -> None:
        now = timezone.now()
        existing = TimeSlot.objects.filter(calendar=calendar, is_generated=False, end_time__gt=now)
        taken = {(s.start_time, s.end_time) for s in existing}
        missing = [
            slot
            for slot in wanted_slots(calendar.zone, now)
            if not any(slot[0] < end and start < slot[1] for start, end in taken)
        ]
        if missing:
            slot_services.time_slots_create(calendar=calendar, slots=missing, now=now)
        self.stdout.write(f"Published {len(missing)} new slot(s) on “{calendar.name}”.")
