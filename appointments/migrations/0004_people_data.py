"""People, not calendars (2 of 3): every calendar's hours become a schedule of its provider.

Each calendar gets its own schedule (named after it; the provider's first one is the default)
holding exactly its weekly hours, date overrides and time off, so every calendar offers the
same times as before from its own rules. The provider becomes the calendar's host and the host
of its appointments; generated slots record that host; every active appointment gets one
occupation row for its host and one for its booker.

History may already hold overlapping active appointments of one person (on two calendars,
which nothing forbade before): they are kept, but only the first of such a pair gets
occupation rows, or the exclusion constraint of 0005 could not be created. The migration
prints how many it left unlocked."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def calendars_to_schedules(apps, schema_editor):
    Calendar = apps.get_model("appointments", "Calendar")
    Schedule = apps.get_model("appointments", "Schedule")
    Host = apps.get_model("appointments", "Host")
    with_default = set(
        Schedule.objects.filter(is_default=True).values_list("owner_id", flat=True)
    )
    for calendar in Calendar.objects.order_by("provider_id", "pk"):
        first = calendar.provider_id not in with_default
        schedule = Schedule.objects.create(
            owner_id=calendar.provider_id,
            name="Working hours" if first else f"{calendar.name} hours",
            time_zone=calendar.time_zone,
            is_default=first,
        )
        with_default.add(calendar.provider_id)
        for model in ("WorkingHours", "DateOverride", "TimeOff"):
            rows = apps.get_model("appointments", model).objects.filter(calendar_id=calendar.pk)
            rows.update(schedule=schedule)
        calendar.schedule = schedule
        calendar.save(update_fields=["schedule"])
        Host.objects.create(calendar_id=calendar.pk, user_id=calendar.provider_id)


def appointments_to_people(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    AppointmentHost = apps.get_model("appointments", "AppointmentHost")
    Occupation = apps.get_model("appointments", "Occupation")
    TimeSlot = apps.get_model("appointments", "TimeSlot")
    Calendar = apps.get_model("appointments", "Calendar")
    provider = Subquery(Calendar.objects.filter(pk=OuterRef("calendar_id")).values("provider_id"))
    TimeSlot.objects.filter(is_generated=True).update(host_id=provider)
    rows = Appointment.objects.order_by("start_time", "pk").values_list(
        "pk", "user_id", "calendar__provider_id", "start_time", "end_time", "status"
    )
    hosts, occupations, busy_until, unlocked = [], [], {}, 0
    for pk, booker, host, start, end, status in rows.iterator(chunk_size=BATCH):
        hosts.append(AppointmentHost(appointment_id=pk, user_id=host))
        if status == "confirmed":
            people = ((host, True), (booker, False))
            # Sorted by start: a row overlaps an earlier one of that person iff it starts
            # before the latest end seen so far.
            if any(start < busy_until.get(person, start) for person, _ in people):
                unlocked += 1
            else:
                for person, is_host in people:
                    busy_until[person] = max(end, busy_until.get(person, end))
                    occupations.append(
                        Occupation(
                            appointment_id=pk,
                            person_id=person,
                            is_host=is_host,
                            start_time=start,
                            end_time=end,
                        )
                    )
        if len(hosts) >= BATCH:
            AppointmentHost.objects.bulk_create(hosts)
            Occupation.objects.bulk_create(occupations)
            hosts, occupations = [], []
    AppointmentHost.objects.bulk_create(hosts)
    Occupation.objects.bulk_create(occupations)
    if unlocked:
        print(
            f"\n  {unlocked} active appointment(s) overlap another of the same person; "
            "kept, without occupation rows."
        )


def forwards(apps, schema_editor):
    calendars_to_schedules(apps, schema_editor)
    appointments_to_people(apps, schema_editor)


def backwards(apps, schema_editor):
    """Back to per-calendar rows: each calendar takes its schedule's hours (a schedule used by
    several calendars is copied to each), and its zone."""
    Calendar = apps.get_model("appointments", "Calendar")
    for calendar in Calendar.objects.exclude(schedule=None).select_related("schedule"):
        calendar.time_zone = calendar.schedule.time_zone
        calendar.save(update_fields=["time_zone"])
        for model in ("WorkingHours", "DateOverride", "TimeOff"):
            Model = apps.get_model("appointments", model)
            for row in Model.objects.filter(schedule_id=calendar.schedule_id):
                if row.calendar_id is None:
                    row.calendar_id = calendar.pk
                    row.save(update_fields=["calendar"])
                elif row.calendar_id != calendar.pk:
                    row.pk, row.calendar_id = None, calendar.pk
                    row.save()
    for model in ("WorkingHours", "DateOverride", "TimeOff"):
        apps.get_model("appointments", model).objects.filter(calendar=None).delete()
    for model in ("Occupation", "AppointmentHost", "Host", "TeamInvitation", "Membership"):
        apps.get_model("appointments", model).objects.all().delete()
    Calendar.objects.exclude(team=None).delete()
    Calendar.objects.update(schedule=None)
    apps.get_model("appointments", "Schedule").objects.all().delete()
    apps.get_model("appointments", "Team").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_people")]

    operations = [migrations.RunPython(forwards, backwards)]
