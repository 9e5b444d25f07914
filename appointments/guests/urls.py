from django.urls import path

from appointments.guests import editor, privacy_views, views

# A booking's private links: its uid and a token (stored hashed) both have to match.
urlpatterns = [
    path("booking/<uuid:uid>/<str:token>/", views.booking_manage, name="booking_manage"),
    path(
        "booking/<uuid:uid>/<str:token>/cancel/",
        views.booking_manage_cancel,
        name="booking_manage_cancel",
    ),
    path(
        "booking/<uuid:uid>/<str:token>/reschedule/",
        views.booking_manage_reschedule,
        name="booking_manage_reschedule",
    ),
    path(
        "booking/<uuid:uid>/<str:token>/ics/", views.booking_manage_ics, name="booking_manage_ics"
    ),
    path(
        "provider/event-types/<int:pk>/questions/",
        editor.event_type_questions,
        name="event_type_questions",
    ),
    path(
        "provider/event-types/<int:pk>/policy/", editor.event_type_policy, name="event_type_policy"
    ),
    path("provider/questions/<int:pk>/move/", editor.question_move, name="question_move"),
    path("provider/questions/<int:pk>/remove/", editor.question_remove, name="question_remove"),
    path(
        "appointments/<int:pk>/export/",
        privacy_views.appointment_export,
        name="appointment_export",
    ),
    path("appointments/<int:pk>/erase/", privacy_views.appointment_erase, name="appointment_erase"),
]
