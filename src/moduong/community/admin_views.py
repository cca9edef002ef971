"""The moderators' screens in Wagtail's admin: one letter or one question, its text, and the
decision, carried out through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from moduong.core import files

from . import services
from .forms import LetterModerationForm, QuestionModerationForm
from .models import Letter, Question


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def letter_moderate(request: HttpRequest, pk: Any, *, index_url: str) -> HttpResponse:
    _require(request, "community.change_letter")
    letter = get_object_or_404(Letter.objects.select_related("page", "user"), pk=pk)
    form = LetterModerationForm(
        request.POST or None, initial={"reply": letter.reply, "reason": letter.reject_reason}
    )
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "approve":
                services.letter_approve(letter=letter)
                messages.success(request, _("The letter is published."))
            elif action == "reject":
                services.letter_reject(letter=letter, reason=form.cleaned_data["reason"])
                messages.success(request, _("The letter is rejected; the reason is kept."))
            else:
                services.letter_reply(
                    letter=letter,
                    reply=form.cleaned_data["reply"],
                    moderator=request.user,  # type: ignore[arg-type]
                    answered=action == "answer",
                )
                messages.success(
                    request,
                    _("The reply is published and the writer is emailed.")
                    if action == "answer"
                    else _("The reply is saved; it is not published yet."),
                )
        except services.ModerationError:
            messages.error(
                request,
                _("This decision does not fit the letter as it is now (%(status)s).")
                % {"status": letter.get_status_display()},
            )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "community/admin/letter_moderate.html",
        {"letter": letter, "form": form, "index_url": index_url},
    )


def letter_attachment(request: HttpRequest, pk: Any) -> HttpResponse:
    """The attachment, for moderators only, always as a download (never shown inline)."""
    _require(request, "community.change_letter")
    letter = get_object_or_404(Letter, pk=pk)
    if not letter.attachment:
        raise Http404
    return files.file_response(
        letter.attachment,
        filename=letter.attachment.name.rsplit("/", 1)[-1],
        content_type=letter.attachment_type or "application/octet-stream",
    )


def question_moderate(request: HttpRequest, pk: Any, *, index_url: str) -> HttpResponse:
    _require(request, "community.change_question")
    question = get_object_or_404(Question.objects.select_related("exchange", "guest"), pk=pk)
    form = QuestionModerationForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "reject":
                services.question_reject(question=question)
                messages.success(request, _("The question is rejected."))
            else:
                guest = form.cleaned_data["guest"] or question.guest
                if (guest is not None and guest.pk != question.guest_id) or action == "pick":
                    question = services.question_pick(question=question, guest=guest)
                if action == "answer":
                    services.answer_publish(question=question, answer=form.cleaned_data["answer"])
                    messages.success(request, _("The answer is published on the exchange page."))
                else:
                    messages.success(request, _("The question is assigned to the guest."))
        except services.ModerationError:
            messages.error(
                request,
                _("This decision does not fit the question as it is now (%(status)s).")
                % {"status": question.get_status_display()},
            )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "community/admin/question_moderate.html",
        {"question": question, "form": form, "index_url": index_url},
    )
