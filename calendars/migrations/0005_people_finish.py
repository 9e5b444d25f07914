"""Busy sources belong to people (3 of 3): the calendar columns go."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("calendars", "0004_people_data")]

    operations = [
        migrations.RemoveIndex(model_name="busyblock", name="calendars_b_calenda_603bd8_idx"),
        migrations.RemoveField(model_name="busyblock", name="calendar"),
        migrations.RemoveField(model_name="busysource", name="calendar"),
        migrations.AlterField(
            model_name="busyblock",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="busy_blocks", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="busysource",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="busy_sources", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name="busyblock",
            index=models.Index(fields=["user", "end_time", "start_time"], name="calendars_b_user_id_c9fe7a_idx"),
        ),
    ]
