"""People, not calendars (1 of 3): schedules, hosts, teams and per-person occupation rows.

Adds everything new beside the old per-calendar rows; 0004 copies the data over and 0005 drops
what the calendars held themselves (and swaps the PostgreSQL constraints)."""

import accounts.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_postgres_no_overlap"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AppointmentHost',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'ordering': ['appointment', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Host',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['calendar', 'user_id'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('member', 'Member')], default='member', max_length=16)),
                ('joined_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['team', 'user__username'],
            },
        ),
        migrations.CreateModel(
            name='Occupation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_host', models.BooleanField(help_text="Hosts keep the buffers of the appointment's event type around it.")),
                ('start_time', models.DateTimeField()),
                ('end_time', models.DateTimeField()),
            ],
            options={
                'ordering': ['start_time'],
            },
        ),
        migrations.CreateModel(
            name='Schedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('time_zone', models.CharField(default='UTC', max_length=64, validators=[accounts.validators.validate_time_zone])),
                ('is_default', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-is_default', 'name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('slug', models.SlugField(help_text="The team page's address.", max_length=80, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='TeamInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('pending', 'Waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.AddField(
            model_name="calendar",
            name="archived_at",
            field=models.DateTimeField(blank=True, help_text="Deleted by its owner but kept for the history of its bookings.", null=True),
        ),
        migrations.AddField(
            model_name='calendar',
            name='assignment',
            field=models.CharField(choices=[('single', 'One host'), ('round_robin', 'Round-robin'), ('collective', 'Collective')], default='single', max_length=16),
        ),
        migrations.AddField(
            model_name='timeslot',
            name='host',
            field=models.ForeignKey(blank=True, help_text="A generated slot's host; empty for published slots and collective bookings.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='calendar',
            name='provider',
            field=models.ForeignKey(help_text="The owner: a personal event type's host, or who created a team event type.", on_delete=django.db.models.deletion.CASCADE, related_name='calendars', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='appointmenthost',
            name='appointment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='host_rows', to='appointments.appointment'),
        ),
        migrations.AddField(
            model_name='appointmenthost',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointment_host_rows', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='appointment',
            name='hosts',
            field=models.ManyToManyField(related_name='hosted_appointments', through='appointments.AppointmentHost', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='host',
            name='calendar',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='host_rows', to='appointments.calendar'),
        ),
        migrations.AddField(
            model_name='host',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='host_rows', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='calendar',
            name='hosts',
            field=models.ManyToManyField(related_name='hosted_event_types', through='appointments.Host', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='occupation',
            name='appointment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occupations', to='appointments.appointment'),
        ),
        migrations.AddField(
            model_name='occupation',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occupations', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='schedule',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='calendar',
            name='schedule',
            field=models.ForeignKey(blank=True, help_text="A personal event type's hours. Team hosts use their own default schedules.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='event_types', to='appointments.schedule'),
        ),
        migrations.AddField(
            model_name='dateoverride',
            name='schedule',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='date_overrides', to='appointments.schedule'),
        ),
        migrations.AddField(
            model_name='timeoff',
            name='schedule',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='time_off', to='appointments.schedule'),
        ),
        migrations.AddField(
            model_name='workinghours',
            name='schedule',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='working_hours', to='appointments.schedule'),
        ),
        migrations.AddIndex(
            model_name='dateoverride',
            index=models.Index(fields=['schedule', 'date'], name='appointment_schedul_d5d556_idx'),
        ),
        migrations.AddIndex(
            model_name='timeoff',
            index=models.Index(fields=['schedule', 'end_time', 'start_time'], name='appointment_schedul_205c3a_idx'),
        ),
        migrations.AddField(
            model_name='membership',
            name='team',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='appointments.team'),
        ),
        migrations.AddField(
            model_name='calendar',
            name='team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='event_types', to='appointments.team'),
        ),
        migrations.AddField(
            model_name='teaminvitation',
            name='invited_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='teaminvitation',
            name='team',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='appointments.team'),
        ),
        migrations.AddField(
            model_name='teaminvitation',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team_invitations', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='appointmenthost',
            constraint=models.UniqueConstraint(fields=('appointment', 'user'), name='one_host_row_per_appointment'),
        ),
        migrations.AddConstraint(
            model_name='host',
            constraint=models.UniqueConstraint(fields=('calendar', 'user'), name='one_host_row_per_person'),
        ),
        migrations.AddIndex(
            model_name='occupation',
            index=models.Index(fields=['person', 'start_time'], name='appointment_person__a72cf8_idx'),
        ),
        migrations.AddConstraint(
            model_name='occupation',
            constraint=models.CheckConstraint(condition=models.Q(('start_time__lt', models.F('end_time'))), name='occupation_start_before_end'),
        ),
        migrations.AddConstraint(
            model_name='occupation',
            constraint=models.UniqueConstraint(fields=('appointment', 'person'), name='one_occupation_per_person'),
        ),
        migrations.AddConstraint(
            model_name='schedule',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('owner',), name='one_default_schedule_per_person'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('team', 'user'), name='one_membership_per_person'),
        ),
        migrations.AddConstraint(
            model_name='teaminvitation',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('team', 'user'), name='one_pending_invitation_per_person'),
        ),
        # The old per-calendar rows become optional so 0004 can move them (and, backwards, back).
        migrations.AlterField(
            model_name="workinghours",
            name="calendar",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="working_hours", to="appointments.calendar"),
        ),
        migrations.AlterField(
            model_name="dateoverride",
            name="calendar",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="date_overrides", to="appointments.calendar"),
        ),
        migrations.AlterField(
            model_name="timeoff",
            name="calendar",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="time_off", to="appointments.calendar"),
        ),
    ]
