"""What the organisers do beside the points' reports: revoke a leaked link and issue a new one,
see the rooms' photos (private files), register the main hall's delegates, print their badges
and check them in by the badge's QR code; the conference's photos on its page."""

import io
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.images.models import Image as WagtailImage

from moduong.conferences.links import _SALT, PointLink, point_link_read
from moduong.conferences.models import ConferencePhoto, ConnectionPoint, Delegate, PointReport
from moduong.conferences.selectors import links_expire_at, point_link, rollup
from moduong.conferences.services import (
    ConferenceError,
    ReportInput,
    delegate_check_in,
    delegate_register,
    point_link_reissue,
    point_report_submit,
)
from moduong.core.files import private_root
from tests.factories import UserFactory

from .factories import categories, conference, link_of, point

pytestmark = pytest.mark.django_db


def _url(p: ConnectionPoint) -> str:
    return reverse("conferences:report", args=[point_link(point=p, conference=p.conference)])


def _organiser() -> Client:
    user = UserFactory(username="bantochuc-hn")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


def _shown_link(html: str) -> PointLink:
    """The link the admin page shows (signed links differ by their time stamp: read it)."""
    found = re.search(r'value="http://testserver/hoi-nghi/diem-cau/([^/"]+)/"', html)
    assert found is not None
    link = point_link_read(found.group(1))
    assert link is not None
    return link


def test_a_revoked_link_opens_a_vietnamese_page_and_writes_nothing(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    organiser = _organiser()
    page = organiser.get(reverse("conferences_point_link", args=[p.pk]))
    assert page.status_code == 200
    old = _shown_link(page.text)
    assert (old.point_id, old.version) == (p.pk, 1)
    old_url = _url(p)
    response = organiser.post(reverse("conferences_point_link", args=[p.pk]), follow=True)
    assert "Đã thu hồi các liên kết cũ" in response.text
    assert (_shown_link(response.text).point_id, _shown_link(response.text).version) == (p.pk, 2)
    p.refresh_from_db()
    new = _url(p)
    old = old_url

    phone = Client()
    refused = phone.get(old)
    assert refused.status_code == 410
    assert "Liên kết này đã bị thu hồi" in refused.text and p.name in refused.text
    posted = phone.post(old, {"linked": "on"})
    assert posted.status_code == 410
    p.refresh_from_db()
    assert not p.is_linked
    # The new link works, and the history says who revoked the old one.
    assert phone.post(new, {"linked": "on"}).status_code == 302
    p.refresh_from_db()
    assert p.is_linked
    assert PointReport.objects.filter(point=p, by="bantochuc-hn").get().changes == {
        "link_version": [1, 2]
    }


def test_a_report_already_under_way_with_a_revoked_link_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    link = link_of(p)
    point_link_reissue(point=p, by="bantochuc")
    with pytest.raises(ConferenceError, match="thu hồi"):
        point_report_submit(link=link, report=ReportInput(linked=True))
    p.refresh_from_db()
    assert not p.is_linked


def test_links_printed_before_versions_still_work_until_revoked(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    expires = int(links_expire_at(conference=conf).timestamp())
    printed = signing.dumps([conf.pk, p.pk, expires], salt=_SALT, compress=True)
    url = reverse("conferences:report", args=[printed])
    assert Client().get(url).status_code == 200
    point_link_reissue(point=p, by="bantochuc")
    assert Client().get(url).status_code == 410


def test_the_point_qr_sheet_holds_the_new_link(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    point_link_reissue(point=p, by="bantochuc")
    response = _organiser().get(reverse("conferences_point_qr", args=[p.pk]))
    assert response["Content-Type"] == "application/pdf"
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=2).to_pil()
    (scanned,) = [r.text for r in zxingcpp.read_barcodes(image)]
    token = scanned.removeprefix("http://testserver/hoi-nghi/diem-cau/").rstrip("/")
    link = point_link_read(token)
    assert link is not None and (link.point_id, link.version) == (p.pk, 2)
    assert Client().get(reverse("conferences_point_link", args=[p.pk])).status_code in (302, 403)


def test_room_photos_are_private_files_for_organisers_only(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    picture = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(picture, "PNG")
    picture.seek(0)
    assert Client().post(_url(p), {"linked": "on", "photo": picture}).status_code == 302
    p.refresh_from_db()
    stored = Path(p.photo.path).resolve()
    assert stored.is_relative_to(private_root().resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    shown = _organiser().get(reverse("conferences_point_photo", args=[p.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert "inline" in shown["Content-Disposition"]
    anonymous = Client().get(reverse("conferences_point_photo", args=[p.pk]))
    assert anonymous.status_code in (302, 403)


def test_check_in_by_badge_counts_once_and_refuses_other_codes(  # type: ignore[no-untyped-def]
    site, django_capture_on_commit_callbacks
) -> None:
    conf = conference()
    other = conference("hoi-nghi-khac")
    party = conf.categories.order_by("sort_order").first()  # type: ignore[attr-defined]
    an = delegate_register(
        conference=conf,
        full_name="  Nguyễn   Văn An ",
        position="Bí thư",
        organisation="Đảng ủy phường Ba Đình",
        category=party,
        seat="A12",
    )
    delegate_register(conference=conf, full_name="Trần Thị Bình")
    stranger = delegate_register(conference=other, full_name="Lê Văn Cường")
    assert an.full_name == "Nguyễn Văn An" and len(an.code) == 10
    with pytest.raises(ConferenceError):
        delegate_register(conference=conf, full_name="   ")
    with pytest.raises(ConferenceError):
        delegate_register(
            conference=other, full_name="Phạm Văn Dũng", category=party
        )  # another conference's category
    assert (rollup(conference=conf).hall_registered, rollup(conference=conf).hall_checked_in) == (
        2,
        0,
    )

    # The roll-up's figures are replaced when the check-in commits.
    with django_capture_on_commit_callbacks(execute=True):
        first = delegate_check_in(conference=conf, code=an.code.lower(), by="bantochuc")
    assert not first.already and first.delegate.checked_in_at is not None
    again = delegate_check_in(conference=conf, code=an.code, by="bantochuc")
    assert again.already and again.delegate.checked_in_at == first.delegate.checked_in_at
    with pytest.raises(ConferenceError, match="Không có đại biểu"):
        delegate_check_in(conference=conf, code=stranger.code, by="bantochuc")
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None
    assert rollup(conference=conf).hall_checked_in == 1
    api = Client().get(f"/api/v1/conferences/{conf.slug}/rollup").json()
    assert (api["hall_registered"], api["hall_checked_in"]) == (2, 1)


def test_the_badge_qr_opens_the_check_in_and_a_get_changes_nothing(  # type: ignore[no-untyped-def]
    site, django_capture_on_commit_callbacks
) -> None:
    conf = conference()
    binh = delegate_register(conference=conf, full_name="Trần Thị Bình", seat="B3")
    organiser = _organiser()
    badges = organiser.get(reverse("conferences_badges", args=[conf.pk]))
    assert badges["Content-Type"] == "application/pdf"
    image = pypdfium2.PdfDocument(badges.content)[0].render(scale=2).to_pil()
    (scanned,) = [r.text for r in zxingcpp.read_barcodes(image)]
    assert scanned == "http://testserver" + reverse(
        "conferences_check_in_code", args=[conf.pk, binh.code]
    )
    path = scanned.removeprefix("http://testserver")

    opened = organiser.get(path)
    assert opened.status_code == 200 and "Trần Thị Bình" in opened.text and "B3" in opened.text
    binh.refresh_from_db()
    assert binh.checked_in_at is None  # opening the address twice must not count twice
    with django_capture_on_commit_callbacks(execute=True):  # the request commits
        checked = organiser.post(path)
    done = organiser.get(checked.url)
    assert "Đã điểm danh đại biểu Trần Thị Bình." in done.text
    assert "Đã điểm danh 1 / 1 đại biểu." in done.text
    twice = organiser.post(path)
    assert twice.status_code == 409 and "thẻ có thể bị dùng hai lần" in twice.text
    # A badge that will not scan: its code typed by hand, spaces and small letters allowed.
    typed = organiser.post(
        reverse("conferences_check_in", args=[conf.pk]),
        {"code": f" {binh.code[:5].lower()} {binh.code[5:]} "},
    )
    assert typed.status_code == 302 and typed["Location"] == path
    wrong = organiser.post(reverse("conferences_check_in", args=[conf.pk]), {"code": "ZZZZ"})
    assert wrong.status_code == 400 and "Không có đại biểu nào" in wrong.text
    unknown = organiser.get(reverse("conferences_check_in_code", args=[conf.pk, "KHONGCO"]))
    assert unknown.status_code == 404 and "Không có đại biểu nào" in unknown.text
    assert Client().post(path).status_code in (302, 403)
    assert Delegate.objects.filter(conference=conf, checked_in_at__isnull=False).count() == 1
    # The delegates' list in the admin, where the organisers register and edit them.
    listing = organiser.get(reverse("wagtailsnippets_conferences_delegate:list"))
    assert listing.status_code == 200 and "Trần Thị Bình" in listing.text
    assert organiser.get(reverse("wagtailsnippets_conferences_delegate:add")).status_code == 200


def test_the_conference_page_shows_its_photos_once_it_has_started(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    png = io.BytesIO()
    Image.new("RGB", (320, 200), (120, 30, 30)).save(png, "PNG")
    image = WagtailImage(title="Hội trường chính")
    image.file = ImageFile(io.BytesIO(png.getvalue()), name="hoi-truong.png")
    image.save()
    ConferencePhoto.objects.create(conference=conf, image=image, caption="Toàn cảnh hội trường")
    url = reverse("conferences:detail", args=[conf.slug])
    assert "Toàn cảnh hội trường" not in Client().get(url).text
    conf.starts_at = timezone.now() - timezone.timedelta(hours=1)
    conf.save()
    page = Client().get(url).text
    assert "Toàn cảnh hội trường" in page and 'alt="Hội trường chính"' in page
    assert categories(conf)  # the conference's own categories are untouched
