import pytest
from django.contrib.auth.models import Group
from django.test import Client

from moduong.core.models import MenuItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _editor() -> object:
    user = UserFactory(username="bientap", full_name="Đỗ Minh Châu")
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    return user


def test_admin_speaks_vietnamese_to_an_editor(site, client: Client) -> None:
    import html
    import json
    import re

    client.force_login(_editor())
    body = html.unescape(client.get("/admin/").content.decode())
    # The sidebar is drawn by JavaScript from JSON props: read the labels there.
    pattern = r'"label": "((?:[^"\\]|\\.)*)"'
    labels = {json.loads(f'"{label}"') for label in re.findall(pattern, body)}
    assert {"Trang", "Ảnh", "Tài liệu"} <= labels, labels
    assert not {"Pages", "Images", "Documents", "Reports", "Help"} & labels


def test_editor_edits_the_main_menu_in_the_admin(site, client: Client) -> None:
    client.force_login(_editor())
    listing = client.get("/admin/snippets/core/menuitem/")
    assert listing.status_code == 200
    assert "Thể loại sách" in listing.content.decode()
    item = MenuItem.objects.get(label="Thể loại sách")
    response = client.post(
        f"/admin/snippets/core/menuitem/edit/{item.pk}/",
        {"label": "Danh mục sách", "page": item.page_id, "url": "", "parent": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Danh mục sách" in client.get("/").content.decode()


def test_a_reader_without_rights_cannot_enter_the_admin(site, client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert "Đăng nhập vào Wagtail" in response.content.decode()


def test_the_admin_loads_nothing_from_another_host(site, client: Client) -> None:
    import re

    client.force_login(_editor())
    body = client.get("/admin/").content.decode()
    sources = re.findall(r'(?:src|srcset)="([^"]+)"', body)
    outside = [s for s in sources if s.startswith(("//", "http:", "https:"))]
    assert outside == []
