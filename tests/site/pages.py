"""What `make check-site` checks: one entry per page type, per feed, per structured-data type.

A module that adds a page type (book, chapter reader, album, video, letter form, exchange, contest
attempt…) adds ONE `PageType` to `PAGE_TYPES`; every check (the browser journey at 360 px and
1280 px, axe-core, the Nu HTML Checker) then runs on it. A module that adds a feed or a kind of
structured data adds one entry to `FEEDS`, `OPDS_FEEDS` or `STRUCTURED_DATA`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

WIDTHS = (360, 1280)


def _submit_login_form_without_csrf_token(page: Any) -> Any:
    """A form posted after the CSRF cookie is gone (an old tab, cookies cleared): the reader must
    get our CSRF error page."""
    page.context.clear_cookies()
    page.evaluate(
        "document.querySelectorAll('[name=csrfmiddlewaretoken]').forEach(e => e.remove())"
    )
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    return navigation.value


@dataclass(frozen=True)
class PageType:
    # Also the screenshots' file names: test-artifacts/site/<name>-<width>.png
    name: str
    # The address; with `found_on` (an address, or another page type's name), a regular
    # expression for the first matching link there: addresses that depend on the demo's dates
    # and slugs are found, not hard-coded.
    path: str
    found_on: str = ""
    # Seen by the reader whom the check creates and logs in through the login form.
    logged_in: bool = False
    status: int = 200
    # What the reader does on `path` to arrive at the page; returns the navigation's response.
    arrive: Callable[[Any], Any] | None = field(default=None, compare=False)


ARTICLE = r"/tin-tuc/tin-tong-hop/(?!rss/|atom/)[a-z0-9-]+/$"

PAGE_TYPES: list[PageType] = [
    PageType("trang-chu", "/"),
    PageType("chuyen-muc", "/tin-tuc/tin-tong-hop/"),
    PageType("chuyen-muc-trang-2", "/tin-tuc/tin-tong-hop/?trang=2"),
    PageType("bai-viet", ARTICLE, found_on="/tin-tuc/tin-tong-hop/"),
    PageType("chu-de", r"/chu-de/[a-z0-9-]+/$", found_on="bai-viet"),
    PageType("luu-tru-thang", r"/luu-tru/\d{4}/\d{1,2}/$", found_on="/"),
    PageType("trang-thong-tin", "/gioi-thieu/"),
    PageType("tim-kiem", "/tim-kiem/?q=s%C3%A1ch+lu%E1%BA%ADt"),
    PageType("dang-ky", "/tai-khoan/signup/"),
    PageType("dang-nhap", "/tai-khoan/login/"),
    PageType("quen-mat-khau", "/tai-khoan/password/reset/"),
    PageType("ho-so", "/tai-khoan/ho-so/", logged_in=True),
    PageType("trang-chu-da-dang-nhap", "/", logged_in=True),
    PageType("loi-404", "/khong-co-trang-nay/", status=404),
    PageType(
        "loi-csrf", "/tai-khoan/login/", status=403, arrive=_submit_login_form_without_csrf_token
    ),
    PageType("thu-ban-doc", "/ban-doc-va-nxb/"),
    PageType("gui-thu", "/ban-doc-va-nxb/gui-thu/"),
    PageType("giao-luu-danh-sach", "/giao-luu-truc-tuyen/"),
    PageType("giao-luu", r"/giao-luu-truc-tuyen/[a-z0-9-]+/$", found_on="/giao-luu-truc-tuyen/"),
    PageType("thu-vien-anh", "/thu-vien-anh/"),
    PageType("album", r"/thu-vien-anh/[a-z0-9-]+/$", found_on="/thu-vien-anh/"),
    PageType("thu-vien-video", "/thu-vien-video/"),
    PageType("video", r"/thu-vien-video/[a-z0-9-]+/$", found_on="/thu-vien-video/"),
    # The library: the book list, the category tree, a book (a demo book with its ISBN and cover,
    # for its JSON-LD), a chapter in the online reader, a PDF in the browser's viewer, the plans.
    PageType("thu-vien-sach", "/sach-dien-tu/"),
    PageType("the-loai-sach", "/the-loai-sach/"),
    PageType("sach", "/sach-dien-tu/so-tay-chuyen-doi-so-o-xa-phuong/"),
    PageType("doc-sach", r"/sach-dien-tu/[a-z0-9-]+/doc/\d+/1/$", found_on="sach"),
    PageType(
        "doc-pdf",
        r"/sach-dien-tu/[a-z0-9-]+/xem/\d+/$",
        found_on="/sach-dien-tu/tai-lieu-hoc-tap-nghi-quyet-danh-cho-chi-bo/",
    ),
    PageType("ke-hoach-de-tai", "/ke-hoach-de-tai/"),
    PageType("cuoc-thi", "/cuoc-thi/"),
    PageType("cuoc-thi-the-le", r"/cuoc-thi/[a-z0-9-]+/$", found_on="/cuoc-thi/"),
    PageType("cuoc-thi-dang-ky", "/cuoc-thi/tim-hieu-van-hoa-doc/dang-ky/", logged_in=True),
    # Political-theory classes: the reader (tests/site/seed.py) is a learner of the demo class
    # bd-demo-4 and teaches it; its 2nd session is under way whenever the demo is built.
    PageType("ho-so-hoc-tap", "/lop-boi-duong/ho-so-cua-toi/", logged_in=True),
    PageType(
        "diem-danh-giang-vien", "/lop-boi-duong/lop/bd-demo-4/buoi/2/diem-danh/", logged_in=True
    ),
    PageType("ma-diem-danh", "/lop-boi-duong/lop/bd-demo-4/buoi/2/ma-qr/", logged_in=True),
    PageType("diem-danh-qr", "/lop-boi-duong/diem-danh/1-0-ma-cu/", logged_in=True),
    PageType("xac-minh-chung-nhan", "/lop-boi-duong/xac-minh/"),
    PageType("xac-minh-khong-co", "/lop-boi-duong/xac-minh/?ma=KHONGCO", status=404),
    # Press awards: the list, an award's rules, the confirmed results, certificate verification;
    # a reader's entry form (the demo's open contest) and their entries; a judge's list (the
    # check's reader is no judge, so it shows the empty list: tests/awards covers the sheet).
    PageType("giai-bao-chi", "/giai-bao-chi/"),
    PageType(
        "giai-bao-chi-the-le", r"/giai-bao-chi/giai-bao-chi-[a-z0-9-]+/$", found_on="/giai-bao-chi/"
    ),
    PageType("giai-bao-chi-ket-qua", "/giai-bao-chi/giai-bao-chi-xay-dung-dang-2025/ket-qua/"),
    PageType("giai-bao-chi-xac-minh", "/giai-bao-chi/xac-minh/"),
    PageType(
        "giai-bao-chi-gui-tac-pham",
        "/giai-bao-chi/hoi-thi-giang-vien-ly-luan-chinh-tri-gioi/gui-tac-pham/",
        logged_in=True,
    ),
    PageType(
        "giai-bao-chi-tac-pham-cua-toi",
        "/giai-bao-chi/hoi-thi-giang-vien-ly-luan-chinh-tri-gioi/tac-pham-cua-toi/",
        logged_in=True,
    ),
    PageType("giai-bao-chi-cham-diem", "/giai-bao-chi/cham-diem/", logged_in=True),
    # Bulletins: the series list, a series by year, a web edition, subscribing, and what a
    # scanner of an unknown code sees.
    PageType("ban-tin", "/ban-tin/"),
    PageType("bo-ban-tin", "/ban-tin/ban-tin-sinh-hoat-chi-bo/"),
    PageType(
        "so-ban-tin",
        r"/ban-tin/ban-tin-sinh-hoat-chi-bo/so-[a-z0-9-]+/$",
        found_on="/ban-tin/ban-tin-sinh-hoat-chi-bo/",
    ),
    PageType("ban-tin-dang-ky", "/ban-tin/ban-tin-sinh-hoat-chi-bo/dang-ky/"),
    PageType("ma-qr-khong-co", "/q/khong-co-ma-nay", status=404),
    PageType("hoi-nghi", "/hoi-nghi/"),
    PageType("hoi-nghi-chi-tiet", r"/hoi-nghi/[a-z0-9-]+/$", found_on="/hoi-nghi/"),
    # A conference held already: its page with the organisers' photos.
    PageType("hoi-nghi-da-dien-ra", "/hoi-nghi/hoi-nghi-so-ket-6-thang-dau-nam-2026/"),
    # A connection point's report form (/hoi-nghi/diem-cau/<signed link>/) is reached only by
    # its secret link: tests/browser/test_conference.py covers it at 360 px. A wrong link gives
    # this page (a revoked one the same page with its own text, tests/conferences).
    PageType("hoi-nghi-lien-ket-sai", "/hoi-nghi/diem-cau/khong-hop-le/", status=403),
    # Next: cuoc-thi-lam-bai (contest attempt) as one PageType here (the reader would have to
    # register and pass the start's captcha first; tests/browser/test_contest.py covers it).
    # The reader's own contest pages: tests/site/seed.py registers the reader in a contest of
    # its own and makes one submitted attempt (with its certificate) and one in progress, under
    # these ids and code.
    PageType("cuoc-thi-bat-dau", "/cuoc-thi/cuoc-thi-kiem-tra/vong-1/bat-dau/", logged_in=True),
    PageType("cuoc-thi-lam-bai", "/cuoc-thi/bai-thi/900002/", logged_in=True),
    PageType("cuoc-thi-ket-qua", "/cuoc-thi/bai-thi/900001/ket-qua/", logged_in=True),
    PageType(
        "cuoc-thi-bai-thi-cua-toi",
        "/cuoc-thi/tim-hieu-van-hoa-doc/bai-thi-cua-toi/",
        logged_in=True,
    ),
    PageType("cuoc-thi-giai-thuong", "/cuoc-thi/tim-hieu-van-hoa-doc/vong-1/giai-thuong/"),
    PageType("chung-nhan-tra-cuu", "/cuoc-thi/chung-nhan/"),
    PageType("chung-nhan-xac-minh", "/cuoc-thi/chung-nhan/KTRA-2345-6789/"),
    PageType("chung-nhan-khong-co", "/cuoc-thi/chung-nhan/ABCD-EFGH-JKLM/", status=404),
    # Other pages a reader reaches from the menus, links and forms.
    PageType("tin-tuc", "/tin-tuc/"),
    PageType("tim-kiem-trong", "/tim-kiem/"),
    PageType("tim-kiem-gan-dung", "/tim-kiem/?q=h%E1%BB%8Fa+gi%E1%BA%A3i"),
    PageType("the-loai", r"/sach-dien-tu/the-loai/[a-z0-9-]+/$", found_on="sach"),
    PageType("xoa-tai-khoan", "/tai-khoan/ho-so/xoa-tai-khoan/", logged_in=True),
    PageType("doi-mat-khau", "/tai-khoan/password/change/", logged_in=True),
    PageType("email-tai-khoan", "/tai-khoan/email/", logged_in=True),
    PageType("dang-xuat", "/tai-khoan/logout/", logged_in=True),
]


@dataclass(frozen=True)
class Feed:
    name: str
    path: str
    kind: str  # feedparser's version: "rss20", "atom10"


FEEDS: list[Feed] = [
    Feed("rss-trang", "/rss.xml", "rss20"),
    Feed("atom-trang", "/atom.xml", "atom10"),
    Feed("rss-chuyen-muc", "/tin-tuc/rss/", "rss20"),
    Feed("atom-chuyen-muc", "/tin-tuc/atom/", "atom10"),
]

# OPDS 1.2 catalogues (the library module): each path here is validated by `jing` against
# ../shared/schemas/opds-1.2 by test_opds_feed_is_valid.
OPDS_FEEDS: list[str] = [
    "/opds/",
    "/opds/the-loai/",
    "/opds/moi/",
    "/opds/doc-nhieu/",
    "/opds/the-loai/ky-nang/",
    "/opds/tim-kiem/?q=s%E1%BB%95+tay",
]

# schema.org types that a page type carries as JSON-LD, and the properties each must have.
NEWS_ARTICLE_PROPERTIES = (
    "headline",
    "description",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "mainEntityOfPage",
    "image",
    "inLanguage",
)
VIDEO_PROPERTIES = ("name", "description", "thumbnailUrl", "uploadDate", "duration", "inLanguage")
BOOK_PROPERTIES = (
    "name",
    "author",
    "publisher",
    "inLanguage",
    "description",
    "image",
    "url",
    "isbn",
    "datePublished",
)
STRUCTURED_DATA: list[tuple[str, str, tuple[str, ...]]] = [
    ("bai-viet", "NewsArticle", NEWS_ARTICLE_PROPERTIES),
    ("video", "VideoObject", VIDEO_PROPERTIES),
    ("sach", "Book", BOOK_PROPERTIES),
]
