from django_tasks import task

from . import mail


@task(queue_name="email")
def letter_answered_email(letter_id: int) -> bool:
    return mail.letter_answered_send(letter_id=letter_id)
