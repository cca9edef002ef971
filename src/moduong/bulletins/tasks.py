"""Background work after an edition is published: its print files, then its emails."""

from django_tasks import task

from . import services


@task()
def edition_print_build(edition_id: int) -> str:
    printed = services.edition_print_build(edition_id=edition_id)
    return printed.status if printed else "gone"


@task(queue_name="email")
def edition_mail_send(edition_id: int) -> int:
    return services.edition_mail_send(edition_id=edition_id)
