from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class EditionPageForm(WagtailAdminPageForm):
    """Publishing (or sending for approval) an edition whose articles readers cannot open is
    refused here, with the titles, before anything is saved."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        wants_out = any(key in self.data for key in ("action-publish", "action-submit"))
        body = cleaned.get("body")
        if wants_out and body is not None:
            chosen = [b.value["page"] for b in body if b.block_type == "article"]
            live = set(
                Page.objects.filter(pk__in=[p.pk for p in chosen if p], live=True).values_list(
                    "pk", flat=True
                )
            )
            missing = [p.title if p else "?" for p in chosen if p is None or p.pk not in live]
            if missing:
                self.add_error(
                    "body",
                    _(
                        "This edition cannot be published: these articles are not published "
                        "on the portal: %(titles)s."
                    )
                    % {"titles": "; ".join(f"“{t}”" for t in missing)},
                )
        return cleaned


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    # Left empty by people; robots fill every field.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


class PosterForm(forms.Form):
    size = forms.ChoiceField(
        label=_("Paper size"), choices=[("a4", "A4"), ("a5", "A5")], initial="a4"
    )
    per_page = forms.TypedChoiceField(
        label=_("Posters per sheet"),
        coerce=int,
        choices=[(1, "1"), (2, "2"), (4, "4"), (6, "6"), (8, "8")],
        initial=4,
    )
