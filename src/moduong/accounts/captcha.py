"""The self-hosted captcha: django-simple-captcha's single-use challenges, with a question in
Vietnamese words as the accessible alternative for readers who cannot see the picture."""

import secrets

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
TEXT_MODE_PARAM = "captcha"
TEXT_MODE_VALUE = "chu"
PICTURE_MODE_VALUE = "hinh"
# The switch between picture and words is a submit button of the reader's own form, so that
# without JavaScript everything typed travels with it and comes back (site.js switches in place).
SWITCH_FIELD = "captcha_switch"
# Which kind of challenge the form showed, so that a form shown again keeps it.
MODE_FIELD = "captcha_mode"


def digits_challenge() -> tuple[str, str]:
    """Five digits: nothing to confuse between Vietnamese and English keyboards."""
    code = "".join(secrets.choice("23456789") for _ in range(5))
    return code, code


# As many answers as the picture has (10^5 against its 8^5), so the accessible way in is not
# the easy one to guess: a sum of two small numbers had 17.
WORDS_LENGTH = 5


def words_challenge() -> tuple[str, str]:
    """Five digits said in Vietnamese words ("bốn chín không hai bảy"), typed as digits. The
    words alone are the challenge (the captcha store keeps 32 characters); the widget says
    what to do with them."""
    digits = [secrets.randbelow(10) for _ in range(WORDS_LENGTH)]
    return " ".join(_DIGIT_WORDS[d] for d in digits), "".join(str(d) for d in digits)


class VietnameseCaptchaWidget(CaptchaTextInput):
    template_name = "accounts/captcha_widget.html"

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        store = CaptchaStore.objects.filter(hashkey=self._key).only("challenge").first()
        context["text_mode"] = self.generator == words_challenge
        context["question"] = store.challenge if store and context["text_mode"] else ""
        # The answer box is described by the question (or the picture's hint) and the help.
        base_id = (attrs or {}).get("id", f"id_{name}")
        described = (
            f"{base_id}_question {base_id}_help" if context["text_mode"] else f"{base_id}_help"
        )
        context["widget"]["subwidgets"][1]["attrs"]["aria-describedby"] = described
        # The hidden key takes no input: `required` and `autocomplete` are invalid HTML on it.
        for attribute in ("required", "autocomplete"):
            context["widget"]["subwidgets"][0]["attrs"].pop(attribute, None)
        context["help_id"] = f"{base_id}_help"
        context["mode_field"] = MODE_FIELD
        context["switch_field"] = SWITCH_FIELD
        context["mode"] = TEXT_MODE_VALUE if context["text_mode"] else PICTURE_MODE_VALUE
        context["other_mode"] = PICTURE_MODE_VALUE if context["text_mode"] else TEXT_MODE_VALUE
        return context


class VietnameseCaptchaField(CaptchaField):
    widget = VietnameseCaptchaWidget

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Verification code"))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _(
                    "The verification code is wrong or has expired. Please type the new one."
                ),
                "required": _("Please type the verification code."),
            },
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget = VietnameseCaptchaWidget()


def captcha_passed(*, key: str, answer: str) -> bool:
    """The library's own check, for an API that has no form: a challenge is used up by the
    first answer given to it, right or wrong, so it cannot be guessed at again."""
    try:
        VietnameseCaptchaField().clean([key, answer])
    except forms.ValidationError:
        return False
    return True


def captcha_text_mode(request: HttpRequest) -> bool:
    """Whether the reader asked for the question in words: by the switch just pressed, by the
    form they sent, or by the address."""
    if request.method == "POST":
        if switch := request.POST.get(SWITCH_FIELD):
            return switch == TEXT_MODE_VALUE
        if mode := request.POST.get(MODE_FIELD):
            return mode == TEXT_MODE_VALUE
    return request.GET.get(TEXT_MODE_PARAM) == TEXT_MODE_VALUE


def captcha_switch_requested(request: HttpRequest) -> bool:
    """The reader pressed the switch: show the form again with what they typed, unchecked."""
    return request.method == "POST" and bool(request.POST.get(SWITCH_FIELD))


def captcha_carried_initial(request: HttpRequest) -> dict[str, object]:
    """What the reader typed, as the initial values of the form shown again after a switch.
    The old challenge, its answer and the CSRF token stay behind: the form gets new ones."""
    skipped = {"csrfmiddlewaretoken", SWITCH_FIELD, MODE_FIELD}
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in request.POST.lists()
        if name not in skipped and not name.startswith("captcha_") and values
    }


def captcha_mode_apply(form: forms.Form, request: HttpRequest, field: str = "captcha") -> None:
    """Serve the question in words instead of the picture when the reader asked for it."""
    if captcha_text_mode(request) and field in form.fields:
        form.fields[field].widget.generator = words_challenge
