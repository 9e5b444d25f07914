"""PostgreSQL only: exclusion constraints so the database itself forbids overlaps.

SQLite has no exclusion constraints; there the booking services run in BEGIN IMMEDIATE
transactions (serialised writers) and their re-check decides.
"""

from django.db import migrations

RANGE = "tstzrange(start_time, end_time, '[)')"

CONSTRAINTS = [
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


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, expression, condition in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({expression}) {condition}"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _, _ in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
