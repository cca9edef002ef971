from django.http import HttpRequest

from .selectors import menu_entries


def site_shell(request: HttpRequest) -> dict[str, object]:
    return {"main_menu": menu_entries}
