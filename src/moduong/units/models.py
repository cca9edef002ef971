from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organisation in the office's tree: a district committee, a commune, an agency."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


def _without_kind(name: str, kind: str) -> str:
    """ "Thành phố Hà Nội" → "Hà Nội": lists are read and sorted by the proper name."""
    prefix = kind.split()[0:2] if kind == "thành phố trung ương" else kind.split()
    words = name.split()
    if [w.lower() for w in words[: len(prefix)]] == prefix and len(words) > len(prefix):
        return " ".join(words[len(prefix) :])
    return name


class AdminUnitVersion(models.Model):
    """One official list of provinces and communes. Lists change (the July 2025 reform merged 63
    provinces into 34): a new list is loaded beside the old one, so a record that points at a
    commune of an earlier list keeps meaning what it meant when it was made."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    checksum = models.CharField(_("checksum of the data file"), max_length=64)
    is_current = models.BooleanField(_("current"), default=False)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("administrative units list")
        verbose_name_plural = _("administrative units lists")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="units_one_current_admin_unit_version",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """A province or centrally governed city (tỉnh, thành phố trung ương)."""

    version = models.ForeignKey(
        AdminUnitVersion,
        verbose_name=_("list"),
        on_delete=models.PROTECT,
        related_name="provinces",
    )
    code = models.CharField(_("code"), max_length=2)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="units_province_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return _without_kind(self.name, self.kind)


class Commune(models.Model):
    """A commune, ward or special zone (xã, phường, đặc khu): the level below the province
    since July 2025, when districts were abolished."""

    version = models.ForeignKey(
        AdminUnitVersion,
        verbose_name=_("list"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="units_commune_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return _without_kind(self.name, self.kind)
