from django.urls import path

from appointments.confirmation import views

urlpatterns = [
    path("<int:pk>/accept/", views.appointment_accept, name="appointment_accept"),
    path("<int:pk>/decline/", views.appointment_decline, name="appointment_decline"),
]
