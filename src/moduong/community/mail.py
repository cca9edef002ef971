"""The email a writer gets when the office answers the letter."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from moduong.core.selectors import site_contact

from .models import Letter


def letter_answered_send(*, letter_id: int) -> bool:
    """The writer is emailed the answer once: the letter is marked before the email leaves, so
    a task run again (its worker died mid-run, core.taskworker) sends no second copy."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("page")
            .filter(pk=letter_id)
            .first()
        )
        if (
            letter is None
            or letter.status != Letter.Status.ANSWERED
            or not letter.email
            or letter.answer_emailed_at is not None
        ):
            return False
        letter.answer_emailed_at = timezone.now()
        letter.save(update_fields=["answer_emailed_at"])
    page_url = letter.page.full_url or ""
    context = {
        "letter": letter,
        "office": site_contact().office_name,
        "url": f"{page_url}thu/{letter.pk}/" if page_url else "",
    }
    subject = render_to_string("community/email/letter_answered_subject.txt", context)
    body = render_to_string("community/email/letter_answered_message.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [letter.email])
    except Exception:
        # The mail server refused it: unmarked, so the task run again sends it.
        Letter.objects.filter(pk=letter.pk).update(answer_emailed_at=None)
        raise
    return True
