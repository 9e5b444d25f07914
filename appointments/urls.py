from django.urls import path

from appointments import seed_views, views
from appointments.booking import api as api_views

urlpatterns = [
    path("", views.appointment_list, name="appointment_list"),
    path("create/", views.appointment_create, name="appointment_create"),
    path("<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("calendars/<slug:slug>/slots/", api_views.calendar_slots, name="calendar_slots"),
    path("summary/", seed_views.appointment_summary, name="appointment_summary"),
    path("time-slots/", seed_views.get_time_slots, name="get_time_slots"),
]
