from django.db import transaction

from moduong.core import vntext

from .models import Unit


@transaction.atomic
def unit_create(*, name: str, parent: Unit | None = None, headcount: int | None = None) -> Unit:
    name = vntext.normalize(name).strip()
    base = vntext.slugify(name, max_length=50) or "don-vi"
    code, n = base, 1
    while Unit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Unit.objects.create(name=name, code=code, parent=parent, headcount=headcount)
