from django.urls import path

from calendars.views import feed, push, sources

urlpatterns = [
    path("feed/", feed.feed_page, name="calendar_feed_page"),
    path("feed/regenerate/", feed.feed_regenerate, name="calendar_feed_regenerate"),
    path("feed/revoke/", feed.feed_revoke, name="calendar_feed_revoke"),
    path("feed/<slug:token>.ics", feed.feed_ics, name="calendar_feed"),
    path("sources/", sources.source_list, name="calendar_sources"),
    path("sources/add/ics/", sources.source_add_ics, name="calendar_source_add_ics"),
    path("sources/add/caldav/", sources.source_add_caldav, name="calendar_source_add_caldav"),
    path("sources/<int:pk>/", sources.source_detail, name="calendar_source"),
    path("sources/<int:pk>/sync/", sources.source_sync, name="calendar_source_sync"),
    path("sources/<int:pk>/delete/", sources.source_delete, name="calendar_source_delete"),
    path("push/", push.push_page, name="calendar_push"),
    path("push/<int:calendar_pk>/connect/", push.push_connect, name="calendar_push_connect"),
    path("push/<int:calendar_pk>/choose/", push.push_choose, name="calendar_push_choose"),
    path("push/<int:calendar_pk>/delete/", push.push_delete, name="calendar_push_delete"),
]
