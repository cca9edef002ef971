"""The admin speaks only Vietnamese to the office's staff: an editor, a moderator and an operator
walk the screens they use, and any text on them that is an English message of Django, Wagtail,
allauth, taggit or Mở Đường's own catalogues (a msgid left untranslated) fails the test."""

import gettext
import importlib
import json
import re
from functools import cache
from pathlib import Path

import allauth
import django
import pytest
import taggit
import wagtail
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets

import moduong
from moduong.community.models import Letter, LettersPage
from moduong.news.models import ArticlePage, SectionPage
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _roles() -> None:
    """The roles and their permissions, which migrations made and the live server's flush took
    away: the same migration functions, run again."""
    from django.apps import apps

    # The first of them marks every app as having no models module while it works: the real
    # registry must get its own marks back, or later flushes would recreate no content type.
    saved = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        for module, name in (
            ("moduong.accounts.migrations.0002_groups", "create_groups"),
            ("moduong.community.migrations.0002_moderator_permissions", "grant"),
            ("moduong.contests.migrations.0002_staff_permissions", "grant"),
        ):
            getattr(importlib.import_module(module), name)(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = saved[config.label]


PASSWORD = "Quản-trị-mỗi-ngày-5"
# Words Vietnamese offices write as they are.
SAME_IN_VIETNAMESE = {
    "Email", "email", "PDF", "EPUB", "ISBN", "URL", "ID", "OK", "Wagtail", "OPDS", "Excel",
    "JSON", "CSV", "QR", "HTML", "RSS", "Atom", "Video", "video", "Slug", "slug", "Logo",
}  # fmt: skip

# Reading the text of the page: every text node that shows, and the attributes a screen reader
# or a hover reads.
TEXTS_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, noscript, [hidden]')) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  const labelled = '[placeholder], [title], [aria-label], img[alt]';
  for (const element of document.querySelectorAll(labelled)) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = (element.getAttribute(name) || '').trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}"""


def _msgids(mo: Path) -> set[str]:
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    found = set()
    for key in catalogue._catalog:  # type: ignore[attr-defined]
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid:
            found.add(msgid.split("\x04", 1)[-1])
    return found


@cache
def english_messages() -> frozenset[str]:
    """Every msgid the admin's packages can show, as English text, less the words Vietnamese
    writes the same way. French catalogues are complete for each package, so their msgids are
    all of them; our own are read from our Vietnamese ones."""
    mos: list[Path] = []
    for package in (django, wagtail, allauth, taggit):
        mos += Path(package.__file__).parent.glob("**/locale/fr/LC_MESSAGES/*.mo")
    mos += Path(moduong.__file__).parent.glob("**/locale*/vi/LC_MESSAGES/*.mo")
    messages: set[str] = set()
    for mo in mos:
        messages |= _msgids(mo)
    english = {
        m
        for m in messages
        if re.search(r"[A-Za-z]{3}", m)
        and "%" not in m
        and "{" not in m
        and m not in SAME_IN_VIETNAMESE
    }
    return frozenset(english | ENGLISH_DATA)


# English that Wagtail writes into the database, not a catalogue: its first workflow and task,
# the root of the page tree and of the collections.
ENGLISH_DATA = {"Moderators approval", "Root"}


def english_on(page) -> list[str]:  # type: ignore[no-untyped-def]
    english = english_messages()
    found = []
    for text in page.evaluate(TEXTS_JS):
        for piece in {text, text.rstrip(":*. ").strip(), re.sub(r"\s+", " ", text)}:
            if piece in english:
                found.append(piece)
    return sorted(set(found))


def _staff(username: str, group: str | None) -> object:
    user = UserFactory(username=username, is_superuser=group is None)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.set_password(PASSWORD)
    user.save()
    return user


def _listings() -> list[str]:
    urls = []
    for viewset in viewsets.viewsets:
        if hasattr(viewset, "get_url_name"):
            try:
                urls.append(reverse(viewset.get_url_name("index")))
            except NoReverseMatch:
                continue
    return sorted(set(urls))


def walk(page, live_server, username: str, paths: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/admin/login/")
    english = {"/admin/login/": english_on(page)}
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    for path in paths:
        response = page.goto(live_server.url + path)
        if response.status != 200:  # a screen this person may not open
            continue
        page.wait_for_load_state("networkidle")
        found = english_on(page)
        if found:
            english[path] = found
            screenshot(page, "quan-tri-tieng-anh-" + re.sub(r"\W+", "-", path).strip("-"))
    return {path: found for path, found in english.items() if found}


def test_the_detector_sees_english() -> None:
    assert {"Password", "Root", "Add child page"} <= english_messages()
    assert "Trang" not in english_messages()


def test_editor_moderator_and_operator_see_no_english(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    _roles()
    section = SectionPage.objects.get(slug="tin-tong-hop")
    article = ArticlePage.objects.child_of(section).first()
    letters = LettersPage.objects.get()
    letter = Letter.objects.create(
        page=letters,
        name="Nguyễn Văn An",
        email="an@example.vn",
        subject="Giờ mở cửa thư viện",
        message="Xin hỏi giờ mở cửa.",
        writer_key="an",
        text_key="gio",
    )
    editor_paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{section.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/add/news/articlepage/{section.pk}/",
        f"/admin/pages/{article.pk}/history/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/account/",
    ]
    moderator_paths = [
        "/admin/",
        "/admin/thu-ban-doc/",
        f"/admin/thu-ban-doc/edit/{letter.pk}/",
        "/admin/cau-hoi-giao-luu/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/reports/locked/",
    ]
    operator_paths = ["/admin/", *_listings()]
    _staff("bientap", "Biên tập viên")
    _staff("kiemduyet", "Kiểm duyệt viên")
    _staff("nghiepvu", "Cán bộ nghiệp vụ")
    _staff("quantri", None)
    english = {}
    for username, paths in (
        ("bientap", editor_paths),
        ("kiemduyet", moderator_paths),
        ("nghiepvu", operator_paths),
        ("quantri", moderator_paths + operator_paths),
    ):
        context = page.context.browser.new_context(
            locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        english[username] = walk(context.new_page(), live_server, username, paths)
        context.close()
    english = {u: e for u, e in english.items() if e}
    assert english == {}, json.dumps(english, ensure_ascii=False, indent=1)
