"""Busy sources belong to people (1 of 3): a source's events block every event type its owner
hosts. Adds the owner beside the calendar; 0004 fills it, 0005 drops the calendar. (Three
migrations, so that no table is altered in the transaction that updates its rows.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0002_sync_push_feed"),
        ("appointments", "0003_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="busyblock",
            name="user",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="busy_blocks", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="busysource",
            name="user",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="busy_sources", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="busyblock",
            name="calendar",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="busy_blocks", to="appointments.calendar"),
        ),
        migrations.AlterField(
            model_name="busysource",
            name="calendar",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="busy_sources", to="appointments.calendar"),
        ),
    ]
