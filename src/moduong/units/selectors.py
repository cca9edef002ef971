from moduong.core import vntext

from .models import Unit


def unit_list_sorted(*, parent: Unit | None = None) -> list[Unit]:
    """Units under a parent, in Vietnamese alphabetical order."""
    return sorted(Unit.objects.filter(parent=parent), key=lambda u: vntext.sort_key(u.name))
