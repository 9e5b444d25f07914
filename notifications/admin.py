from django.contrib import admin, messages
from django.db import transaction

from notifications.models import Notification, OutboundEmail, Reminder, SchedulerChain
from notifications.outbox import outbox_retry_now


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


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox: every e-mail, its state, attempts and last error. Read-only but for retry."""

    list_display = (
        "recipient",
        "subject",
        "kind",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("recipient", "subject", "message_id")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_outboundemail")

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset) -> None:
        from notifications.services import delivery_enqueue

        with transaction.atomic():
            ids = outbox_retry_now(queryset)
            transaction.on_commit(lambda: delivery_enqueue(ids))
        self.message_user(
            request, f"{len(ids)} e-mail(s) queued for delivery now.", messages.SUCCESS
        )


@admin.register(SchedulerChain)
class SchedulerChainAdmin(admin.ModelAdmin):
    list_display = ("name", "next_tick_at", "token")
    readonly_fields = ("name", "token", "next_tick_at")

    def has_add_permission(self, request) -> bool:
        return False
