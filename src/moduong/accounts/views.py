import json

from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .captcha import captcha_carried_initial, captcha_mode_apply, captcha_switch_requested
from .forms import AccountDeleteForm, ProfileForm


class SignupView(AllauthSignupView):
    def get_form_kwargs(self):  # type: ignore[no-untyped-def]
        kwargs = super().get_form_kwargs()
        if captcha_switch_requested(self.request):
            # Shown again with what was typed and no errors: the reader only switched captcha.
            kwargs.pop("data", None)
            kwargs.pop("files", None)
            kwargs["initial"] = {
                **kwargs.get("initial", {}),
                **captcha_carried_initial(self.request),
            }
        return kwargs

    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if captcha_switch_requested(request):
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):  # type: ignore[no-untyped-def]
        form = super().get_form(form_class)
        captcha_mode_apply(form, self.request)
        return form

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        # Two people registering the same name at the same instant both pass the form's check;
        # the unique key lets one through and the other gets the same message as anyone else.
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            form.add_error(
                "username", _("This username is already taken. Please choose another one.")
            )
            return self.form_invalid(form)


signup = SignupView.as_view()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "data": selectors.user_personal_data(user=user),
            "breadcrumb_title": _("Your account"),
        },  # type: ignore[arg-type]
    )


@never_cache
@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    data = selectors.user_personal_data(user=request.user)  # type: ignore[arg-type]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)  # type: ignore[arg-type]
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("/")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "breadcrumb_title": _("Delete account")},
    )
