"""People, not calendars (3 of 3): calendars no longer hold hours; the no-overlap guarantee
moves from calendars and bookers to people.

PostgreSQL only, like 0002: the per-calendar and per-booker exclusion constraints give way to
one over occupation rows (a person never holds two overlapping rows, whether host or booker;
round-robin hosts of one event type may each hold the same time). Published slots of one
calendar still never overlap; generated slots are per host and guarded by the occupations."""

import django.db.models.deletion
from django.db import migrations, models

RANGE = "tstzrange(start_time, end_time, '[)')"

OLD = [
    ("appointments_timeslot", "time_slot_no_overlap", f"calendar_id WITH =, {RANGE} WITH &&", ""),
    (
        "appointments_appointment",
        "appointment_no_overlap_per_calendar",
        f"calendar_id WITH =, {RANGE} WITH &&",
        "WHERE (status = 'confirmed')",
    ),
    (
        "appointments_appointment",
        "appointment_no_overlap_per_booker",
        f"user_id WITH =, {RANGE} WITH &&",
        "WHERE (status = 'confirmed')",
    ),
]
NEW = [
    (
        "appointments_timeslot",
        "published_slot_no_overlap",
        f"calendar_id WITH =, {RANGE} WITH &&",
        "WHERE (NOT is_generated)",
    ),
    (
        "appointments_occupation",
        "occupation_no_overlap_per_person",
        f"person_id WITH =, {RANGE} WITH &&",
        "",
    ),
]


def _swap(schema_editor, drop, add):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _, _ in drop:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
    for table, name, expression, condition in add:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({expression}) {condition}"
        )


def forwards(apps, schema_editor):
    _swap(schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _swap(schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0004_people_data")]

    operations = [
        migrations.RemoveIndex(model_name="dateoverride", name="appointment_calenda_f4400e_idx"),
        migrations.RemoveIndex(model_name="timeoff", name="appointment_calenda_2f1607_idx"),
        migrations.RemoveField(model_name="calendar", name="time_zone"),
        migrations.RemoveField(model_name="dateoverride", name="calendar"),
        migrations.RemoveField(model_name="timeoff", name="calendar"),
        migrations.RemoveField(model_name="workinghours", name="calendar"),
        migrations.AlterField(
            model_name="workinghours",
            name="schedule",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="working_hours", to="appointments.schedule"),
        ),
        migrations.AlterField(
            model_name="dateoverride",
            name="schedule",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="date_overrides", to="appointments.schedule"),
        ),
        migrations.AlterField(
            model_name="timeoff",
            name="schedule",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="time_off", to="appointments.schedule"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
