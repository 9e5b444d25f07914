from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # `make run` migrates before starting the worker: that starts the periodic delivery chain.
        post_migrate.connect(start_scheduler, sender=self)


def start_scheduler(sender, **kwargs) -> None:
    import logging

    from django.db import DatabaseError

    from notifications.scheduler import scheduler_ensure

    try:
        scheduler_ensure()
    except DatabaseError as error:  # e.g. the task tables are not migrated yet
        logging.getLogger(__name__).warning("Delivery scheduler not started: %s", error)
