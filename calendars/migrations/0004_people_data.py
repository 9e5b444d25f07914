"""Busy sources belong to people (2 of 3): each source and its blocks move from the calendar
to the calendar's provider. Backwards, a source goes to its owner's first personal calendar."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Calendar = apps.get_model("appointments", "Calendar")
    BusySource = apps.get_model("calendars", "BusySource")
    BusyBlock = apps.get_model("calendars", "BusyBlock")
    owner = Subquery(Calendar.objects.filter(pk=OuterRef("calendar_id")).values("provider_id"))
    BusySource.objects.update(user_id=owner)
    source_owner = Subquery(BusySource.objects.filter(pk=OuterRef("source_id")).values("user_id"))
    BusyBlock.objects.update(user_id=source_owner)


def backwards(apps, schema_editor):
    Calendar = apps.get_model("appointments", "Calendar")
    BusySource = apps.get_model("calendars", "BusySource")
    BusyBlock = apps.get_model("calendars", "BusyBlock")
    first = Subquery(
        Calendar.objects.filter(provider_id=OuterRef("user_id"), team=None)
        .order_by("pk")
        .values("pk")[:1]
    )
    BusySource.objects.update(calendar_id=first)
    BusySource.objects.filter(calendar=None).delete()
    source_calendar = Subquery(
        BusySource.objects.filter(pk=OuterRef("source_id")).values("calendar_id")
    )
    BusyBlock.objects.update(calendar_id=source_calendar)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0003_people")]

    operations = [migrations.RunPython(forwards, backwards)]
