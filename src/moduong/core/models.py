from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteContact(BaseSiteSetting):
    """The office behind the portal, shown in the header and footer."""

    office_name = models.CharField(_("office name"), max_length=200, default="Mở Đường")
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    licence = models.CharField(
        _("licence line"),
        max_length=255,
        blank=True,
        help_text=_("For example the number of the press licence and who is responsible."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("office_name"), FieldPanel("tagline")], heading=_("Office")),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Contact"),
        ),
        FieldPanel("licence"),
    ]

    class Meta:
        verbose_name = _("office contact details")


class MenuItem(models.Model):
    """An entry of the site's main menu; an entry with a parent appears in its sub-menu."""

    label = models.CharField(_("label"), max_length=60)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.CharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Used when no page is chosen, for example /tai-khoan/login/."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent entry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    sort_order = models.IntegerField(_("order"), default=0, db_index=True)

    panels = [
        FieldPanel("label"),
        PageChooserPanel("page"),
        FieldPanel("url"),
        FieldPanel("parent"),
    ]

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("menu entry")
        verbose_name_plural = _("menu entries")

    def __str__(self) -> str:
        return f"{self.parent.label} › {self.label}" if self.parent is not None else self.label

    @property
    def href(self) -> str:
        if self.page is not None:
            return self.page.url or "#"
        return self.url or "#"
