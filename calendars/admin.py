"""Support views of the integration state. Passwords are encrypted and never listed or edited
here; providers change them on their own pages."""

from __future__ import annotations

from django.contrib import admin

from calendars.models import AppointmentPush, BusySource, FeedToken, PushTarget


@admin.register(BusySource)
class BusySourceAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "kind", "is_active", "block_count", "last_success_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "user__username"]
    exclude = ["encrypted_password"]
    readonly_fields = [
        "last_synced_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "last_notice",
        "block_count",
    ]


@admin.register(PushTarget)
class PushTargetAdmin(admin.ModelAdmin):
    list_display = ["calendar", "url", "calendar_name", "enabled"]
    exclude = ["encrypted_password"]


@admin.register(AppointmentPush)
class AppointmentPushAdmin(admin.ModelAdmin):
    list_display = ["remote_uid", "calendar", "state", "attempts", "last_attempt_at"]
    list_filter = ["state"]
    readonly_fields = ["appointment", "calendar", "remote_uid", "pushed_sequence"]


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]  # a bearer secret: support staff need not see it
    readonly_fields = ["user", "created_at"]
