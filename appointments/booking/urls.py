from django.urls import path

from appointments.booking import views as booking_views

urlpatterns = [
    path("book/", booking_views.book_index, name="book_index"),
    path("book/<slug:slug>/", booking_views.book_calendar, name="book_calendar"),
    path(
        "appointments/<int:pk>/reschedule/",
        booking_views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path("appointments/<int:pk>/ics/", booking_views.appointment_ics, name="appointment_ics"),
]
