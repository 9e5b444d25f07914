from django.urls import path

from appointments.embed import views

urlpatterns = [path("embed/<slug:slug>/", views.embed_calendar, name="embed_calendar")]
