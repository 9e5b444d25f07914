from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import path

from appointments.admin_explain import explain_view
from appointments.booking import services
from appointments.errors import BookingError, SlotError
from appointments.event_types import services as event_type_services
from appointments.models import (
    Appointment,
    AppointmentHost,
    BookingAnswer,
    Calendar,
    DateOverride,
    Host,
    Membership,
    Schedule,
    Team,
    TeamInvitation,
    TimeOff,
    TimeSlot,
    WorkingHours,
)
from appointments.provider import services as slot_services


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class DateOverrideInline(admin.TabularInline):
    model = DateOverride
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "time_zone", "is_default")
    list_filter = ("is_default",)
    search_fields = ("name", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    inlines = [WorkingHoursInline, DateOverrideInline, TimeOffInline]


class HostInline(admin.TabularInline):
    model = Host
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "team", "assignment", "length_minutes", "is_active")
    list_filter = ("is_active", "assignment")
    search_fields = ("name", "slug", "provider__username", "provider__email", "team__name")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("provider", "team")
    raw_id_fields = ("provider", "schedule")
    inlines = [HostInline]
    actions = ["delete_or_archive_selected"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # through event_type_delete only: bookings are never removed by a cascade

    @admin.action(
        description="Delete the selected event types (bookings to come cancelled with notices; "
        "archived when they have history)",
        permissions=["change"],
    )
    def delete_or_archive_selected(self, request, queryset) -> None:
        for calendar in queryset:
            cancelled = event_type_services.event_type_retire(calendar=calendar)
            self.message_user(
                request, f"{calendar}: removed; {len(cancelled)} booking(s) cancelled with notices."
            )

    def get_urls(self):
        explain = self.admin_site.admin_view(partial(explain_view, self))
        return [
            path("<path:object_id>/explain/", explain, name="appointments_calendar_explain"),
            *super().get_urls(),
        ]


class TimeSlotAdminForm(forms.ModelForm):
    class Meta:
        model = TimeSlot
        fields = ("calendar", "start_time", "end_time")

    def clean(self):
        data = super().clean()
        calendar, start, end = data.get("calendar"), data.get("start_time"), data.get("end_time")
        if self.instance.pk is None and calendar and start and end:
            try:
                slot_services.time_slot_validate(calendar=calendar, start=start, end=end)
            except SlotError as error:
                raise ValidationError(str(error)) from None
        return data


@admin.register(TimeSlot)
class TimeSlotAdmin(admin.ModelAdmin):
    form = TimeSlotAdminForm
    list_display = ("start_time", "end_time", "calendar", "is_generated")
    list_filter = ("calendar", "is_generated")
    search_fields = ("calendar__name",)
    date_hierarchy = "start_time"
    list_select_related = ("calendar",)

    def has_change_permission(self, request, obj=None) -> bool:
        # Moving a slot would silently move its appointment; publish a new slot instead.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        created = slot_services.time_slot_create(
            calendar=obj.calendar, start=obj.start_time, end=obj.end_time
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj) -> None:
        try:
            slot_services.time_slot_delete(time_slot=obj)
        except SlotError as error:
            self.message_user(request, str(error), level=messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        # "Delete selected" goes through the same guard as one deletion: booked slots stay.
        for time_slot in queryset:
            try:
                slot_services.time_slot_delete(time_slot=time_slot)
            except SlotError as error:
                self.message_user(request, f"{time_slot}: {error}", level=messages.ERROR)


class AppointmentAdminForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ("user", "time_slot", "description")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("user") and data.get("time_slot"):
            try:
                services.appointment_validate(user=data["user"], time_slot=data["time_slot"])
                data["description"] = services.clean_description(data.get("description", ""))
            except BookingError as refusal:
                raise ValidationError(refusal.message) from None
        return data


class AppointmentHostInline(admin.TabularInline):
    model = AppointmentHost
    extra = 0
    can_delete = False
    readonly_fields = ("user",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # hosts are assigned by the booking service


CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "contact_time_zone")


class BookingAnswerInline(admin.TabularInline):
    """The booker's answers to the event type's questions (staff see them as hosts do)."""

    model = BookingAnswer
    extra = 0
    can_delete = False
    fields = ("label", "value")
    readonly_fields = ("label", "value")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    form = AppointmentAdminForm
    list_display = (
        "start_time",
        "end_time",
        "calendar",
        "contact_name",
        "contact_email",
        "user",
        "status",
        "created_at",
    )
    list_filter = ("status", "calendar")
    search_fields = (
        "user__username",
        "user__email",
        "contact_name",
        "contact_email",
        "calendar__name",
        "description",
    )
    date_hierarchy = "start_time"
    list_select_related = ("calendar", "user")
    readonly_fields = ("uid", "sequence", "status", "cancelled_at", "created_at", "updated_at")
    raw_id_fields = ("user", "time_slot")
    actions = ["cancel_selected"]
    inlines = [AppointmentHostInline, BookingAnswerInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # appointments are cancelled, never deleted: they are people's history

    def get_inlines(self, request, obj=None):
        # Hosts are shown once the appointment exists; the add form books through the service.
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "time_slot", "description")
        return (
            "user",
            "time_slot",
            "calendar",
            "start_time",
            "end_time",
            *CONTACT_FIELDS,
            "description",
            "cancel_reason",
            *self.readonly_fields,
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "user",
            "time_slot",
            "calendar",
            "start_time",
            "end_time",
            *CONTACT_FIELDS,
            "cancel_reason",
            *self.readonly_fields,
        )

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save(update_fields=["description", "updated_at"])
            return
        booked = services.appointment_book(
            user=obj.user, time_slot=obj.time_slot, description=obj.description
        )
        obj.pk = booked.pk
        obj.refresh_from_db()

    @admin.action(description="Cancel the selected appointments (through the booking rules)")
    def cancel_selected(self, request, queryset) -> None:
        for appointment in queryset.select_related("calendar"):
            try:
                services.appointment_cancel(appointment=appointment, by_user=appointment.organizer)
            except BookingError as refusal:
                self.message_user(
                    request, f"{appointment}: {refusal.message}", level=messages.WARNING
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    list_display = ("team", "address", "user", "state", "invited_by", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("user", "invited_by")
