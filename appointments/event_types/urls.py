from django.urls import path

from appointments.event_types import views

urlpatterns = [
    path("event-types/", views.event_type_list, name="event_type_list"),
    path("event-types/start/", views.event_type_start, name="event_type_start"),
    path("event-types/new/", views.event_type_create, name="event_type_create"),
    path("event-types/<int:pk>/", views.event_type_edit, name="event_type_edit"),
    path(
        "event-types/<int:pk>/duplicate/", views.event_type_duplicate, name="event_type_duplicate"
    ),
    path("event-types/<int:pk>/active/", views.event_type_active, name="event_type_active"),
    path("event-types/<int:pk>/delete/", views.event_type_delete, name="event_type_delete"),
    path("schedules/", views.schedule_list, name="schedule_list"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("schedules/<int:pk>/default/", views.schedule_default, name="schedule_default"),
    path("schedules/<int:pk>/delete/", views.schedule_delete, name="schedule_delete"),
    path("u/<str:username>/", views.person_page, name="person_page"),
]
