from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from moduong.accounts import validators
from moduong.accounts.captcha import VietnameseCaptchaField
from moduong.core import uploads, vntext

from .models import ExchangeGuest, Question

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MESSAGE_MAX = 5000
QUESTION_MAX = 1000


class HoneypotMixin:
    """A field people never see: a form that arrives with it filled came from a robot."""

    fields: dict[str, forms.Field]

    def add_honeypot(self) -> None:
        trap = forms.CharField(label=_("Leave this field empty"), required=False)
        trap.is_trap = True  # type: ignore[attr-defined]
        trap.widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["website"] = trap

    @property
    def is_robot(self) -> bool:
        return bool(getattr(self, "data", {}).get("website"))


class WriterFields(HoneypotMixin, forms.Form):
    """Name, email, phone and the captcha for guests; a logged-in reader is known already."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is None:
            self.fields["name"] = forms.CharField(label=_("Full name"), max_length=150)
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"] = forms.EmailField(label=_("Email"), max_length=254)
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["phone"] = forms.CharField(
                label=_("Phone number"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            )
        self.add_honeypot()
        self.order_fields(["name", "email", "phone"])

    def add_captcha(self) -> None:
        if self.user is None:
            self.fields["captcha"] = VietnameseCaptchaField()

    def clean_name(self) -> str:
        name = validators.clean_full_name(self.cleaned_data.get("name", ""))
        if not name:
            raise ValidationError(_("Please type your name."), code="required")
        return name

    def clean_email(self) -> str:
        return validators.clean_email_ascii(self.cleaned_data.get("email", "")).strip()

    def clean_phone(self) -> str:
        return validators.clean_phone(self.cleaned_data.get("phone", ""))

    def writer(self) -> dict[str, Any]:
        if self.user is not None:
            return {
                "user": self.user,
                "name": self.user.display_name,
                "email": self.user.email,
                "phone": self.user.phone,
            }
        data = self.cleaned_data
        return {
            "user": None,
            "name": data["name"],
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
        }


def counted_textarea(rows: int, limit: int) -> forms.Textarea:
    """A text box whose length site.js shows as the reader types. It has no `maxlength`: the
    browser would cut a pasted text without a word, where the form says by how much it is over."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "data-max-chars": limit,
            "data-count-label": _("{count}/{max} characters"),
        }
    )


def length_checked(raw: str, *, limit: int, message: Any) -> str:
    """Plain text of at most `limit` characters (a line break counts one, as the reader sees
    it), or the refusal saying how many there are."""

    def refuse(count: int) -> ValidationError:
        return ValidationError(message % {"count": vntext.format_number(count)}, code="too_long")

    if len(raw) > limit * 4:  # not worth cleaning: far beyond the limit
        raise refuse(len(raw))
    text = vntext.plain_text(raw.replace("\r\n", "\n"))
    if len(text) > limit:
        raise refuse(len(text))
    return text


class LetterForm(WriterFields):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your letter"),
        widget=counted_textarea(8, MESSAGE_MAX),
        help_text=_("At most 5.000 characters."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A picture (JPEG, PNG, GIF, WebP) or a PDF document, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp,.pdf,image/*,application/pdf"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_captcha()
        self.fields["attachment"].error_messages["max_length"] = _("The file name is too long.")
        self.attachment_type = ""

    def clean_subject(self) -> str:
        subject = vntext.clean_line(vntext.plain_text(self.cleaned_data["subject"]))
        if not subject:
            raise ValidationError(_("Please type the subject of your letter."), code="required")
        return subject

    def clean_message(self) -> str:
        message = length_checked(
            self.cleaned_data["message"],
            limit=MESSAGE_MAX,
            message=_("A letter may have at most 5.000 characters; yours has %(count)s."),
        )
        if len(message) < 10:
            raise ValidationError(
                _("Please write your letter: at least 10 characters."), code="too_short"
            )
        return message

    def clean_attachment(self) -> Any:
        file = self.cleaned_data.get("attachment")
        if not file:
            return None
        uploads.check_size(file, size=file.size, limit=ATTACHMENT_MAX_BYTES)
        kind = uploads.sniff(file)
        name = (file.name or "").lower()
        if kind == "pdf" and name.endswith(".pdf"):
            uploads.check_pdf(file)  # the site's one check: nothing in it may run
            self.attachment_type = "application/pdf"
        elif kind == "image" and name.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp")):
            self.attachment_type = uploads.check_image(file)[0]
        else:
            raise ValidationError(
                _(
                    "The attachment must be a picture (JPEG, PNG, GIF, WebP) or a PDF document;"
                    " this file is neither, whatever its name says."
                ),
                code="bad_attachment",
            )
        stem, extension = name.rsplit(".", 1)
        file.name = f"{vntext.slugify(stem) or 'tep'}.{extension}"
        return file


class QuestionForm(WriterFields):
    place = forms.CharField(
        label=_("Where you write from (optional)"),
        max_length=150,
        required=False,
        help_text=_("For example: Phường Ba Đình, Hà Nội."),
    )
    text = forms.CharField(
        label=_("Your question"),
        widget=counted_textarea(4, QUESTION_MAX),
        help_text=_("At most 1.000 characters."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An exchange needs neither a phone number nor an email: only a name to show.
        self.fields.pop("phone", None)
        self.fields.pop("email", None)
        self.add_captcha()
        self.order_fields(["name", "place", "text"])

    def clean_place(self) -> str:
        return vntext.clean_line(vntext.plain_text(self.cleaned_data.get("place", "")))

    def clean_text(self) -> str:
        text = length_checked(
            self.cleaned_data["text"],
            limit=QUESTION_MAX,
            message=_("A question may have at most 1.000 characters; yours has %(count)s."),
        )
        if len(text) < 5:
            raise ValidationError(_("Please type your question."), code="too_short")
        return text

    def writer(self) -> dict[str, Any]:
        writer = super().writer()
        writer.pop("email")
        writer.pop("phone")
        return writer


# --- Moderation (admin) -------------------------------------------------------------------------


class LetterModerationForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve: publish the letter without a reply yet")),
        ("reply", _("Save the reply, not yet published")),
        ("answer", _("Reply and mark answered: publish with the reply and email the writer")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reply = forms.CharField(
        label=_("Reply as the publisher"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in ("reply", "answer") and not vntext.plain_text(data.get("reply", "")):
            self.add_error("reply", _("Please write the reply."))
        if action == "reject" and not vntext.plain_text(data.get("reason", "")):
            self.add_error("reason", _("Please give the reason: it stays on the record."))
        return data


class QuestionModerationForm(forms.Form):
    ACTIONS = [
        ("pick", _("Pick and assign to a guest")),
        ("answer", _("Publish the guest's answer")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    guest = forms.ModelChoiceField(
        label=_("Guest"), queryset=ExchangeGuest.objects.none(), required=False
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guest"].queryset = ExchangeGuest.objects.filter(page_id=question.exchange_id)
        self.fields["guest"].initial = question.guest_id
        self.fields["answer"].initial = question.answer
        self.question = question

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in ("pick", "answer") and not (data.get("guest") or self.question.guest_id):
            self.add_error("guest", _("Please choose the guest who answers."))
        if action == "answer" and not vntext.plain_text(data.get("answer", "")):
            self.add_error("answer", _("Please write the answer."))
        return data
