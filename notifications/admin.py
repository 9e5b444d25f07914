from django.contrib import admin

from notifications.models import Notification, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("message", "user", "timestamp", "is_read")
    list_filter = ("is_read",)
    search_fields = ("message", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user", "appointment")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("remind_at", "appointment", "offset_minutes", "state", "sent_at")
    list_filter = ("state",)
    search_fields = ("appointment__user__username", "appointment__calendar__name")
    list_select_related = ("appointment", "appointment__calendar", "appointment__user")
    raw_id_fields = ("appointment",)
