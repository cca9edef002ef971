"""Reads of the units app. Lists of places change once in years: they are cached per version
and sorted the Vietnamese way by their proper names (Hà Nội under H, not under T for Thành
phố)."""

from django.core.cache import cache

from moduong.core import vntext

from .models import AdminUnitVersion, Commune, Province, Unit


def admin_unit_version_current() -> AdminUnitVersion | None:
    return AdminUnitVersion.objects.filter(is_current=True).first()


def provinces_list(*, version: AdminUnitVersion | None = None) -> list[Province]:
    version = version or admin_unit_version_current()
    if version is None:
        return []
    key = f"units:provinces:{version.pk}"
    provinces: list[Province] | None = cache.get(key)
    if provinces is None:
        provinces = sorted(
            Province.objects.filter(version=version),
            key=lambda province: vntext.sort_key(province.short_name),
        )
        cache.set(key, provinces, None)
    return provinces


def communes_list(*, province: Province) -> list[Commune]:
    key = f"units:communes:{province.pk}"
    communes: list[Commune] | None = cache.get(key)
    if communes is None:
        communes = sorted(
            Commune.objects.filter(province=province),
            key=lambda commune: vntext.sort_key(commune.short_name),
        )
        cache.set(key, communes, None)
    return communes


def unit_list_sorted(*, parent: Unit | None = None) -> list[Unit]:
    """Units under a parent, in Vietnamese alphabetical order."""
    return sorted(Unit.objects.filter(parent=parent), key=lambda u: vntext.sort_key(u.name))
