from django.urls import path

from appointments.provider import views

urlpatterns = [
    path("schedule/", views.provider_schedule, name="provider_schedule"),
    path("schedule/why/", views.provider_why, name="provider_why"),
    path("availability/", views.provider_availability, name="provider_availability"),
    path("availability/settings/", views.availability_settings, name="availability_settings"),
    path("availability/hours/", views.availability_hours, name="availability_hours"),
    path("availability/overrides/", views.override_add, name="override_add"),
    path(
        "availability/overrides/<int:pk>/remove/",
        views.override_remove,
        name="override_remove",
    ),
    path("availability/time-off/", views.time_off_add, name="time_off_add"),
    path("availability/time-off/<int:pk>/remove/", views.time_off_remove, name="time_off_remove"),
    path("slots/publish/", views.publish_slots, name="publish_slots"),
]
