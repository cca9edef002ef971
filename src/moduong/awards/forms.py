from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Award, Category, Entry
from .services import EntryData

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EntryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={"required": _("Please choose a category.")},
    )
    title = forms.CharField(label=_("Title of the work"), max_length=300)
    authors = forms.CharField(
        label=_("Authors (one a line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outlet = forms.CharField(label=_("Outlet where it was published"), max_length=200)
    published_on = forms.DateField(
        label=_("Date of publication (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Please give the date as dd/mm/yyyy.")},
    )
    published_url = forms.URLField(
        label=_("Address where it was published"), required=False, assume_scheme="https"
    )
    link = forms.URLField(
        label=_("Link to the work (if not attached)"), required=False, assume_scheme="https"
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files: text as PDF, audio, video, photos"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.mp3,.m4a,.wav,.ogg,.flac,.mp4,.webm,.jpg,.jpeg,.png,.webp"}
        ),
    )
    statement = forms.BooleanField(
        label=_(
            "I declare that the people named above are the authors of this work and that it "
            "was published as stated."
        ),
        error_messages={"required": _("Please confirm the statement of authorship.")},
    )

    def __init__(self, *args: Any, award: Award, entry: Entry | None = None, **kwargs: Any):
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "category": entry.category_id,
                "title": entry.title,
                "authors": entry.authors,
                "outlet": entry.outlet,
                "published_on": entry.published_on.strftime("%d/%m/%Y"),
                "published_url": entry.published_url,
                "link": entry.link,
            }
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = award.categories.all()  # type: ignore[attr-defined]
        self.fields["published_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)d files.") % {"n": MAX_FILES})
        return files

    def entry_data(self) -> EntryData:
        c = self.cleaned_data
        return EntryData(
            category_id=c["category"].pk,
            title=c["title"],
            authors=c["authors"],
            outlet=c["outlet"],
            published_on=c["published_on"],
            published_url=c["published_url"],
            link=c["link"],
            statement=str(self.fields["statement"].label),
        )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict of interest?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say what the conflict of interest is.")},
    )
