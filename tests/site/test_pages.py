"""Every page type at 360 px and 1280 px: it loads cleanly, fits a cheap phone's screen, has no
serious accessibility fault (axe-core) and is valid HTML (the Nu HTML Checker)."""

import pytest

from .pages import PAGE_TYPES, WIDTHS

by_page = pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
by_width = pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")


@by_page
def test_page_answers_with_its_status(visits, page_type) -> None:  # type: ignore[no-untyped-def]
    for width in WIDTHS:
        visit = visits[page_type.name, width]
        assert visit.status == page_type.status, f"{visit.url} answered {visit.status}"


@by_page
@by_width
def test_no_console_errors_and_no_failed_requests(visits, page_type, width) -> None:  # type: ignore[no-untyped-def]
    visit = visits[page_type.name, width]
    assert visit.console_errors == [], visit.url
    assert visit.failed_requests == [], visit.url


@by_page
@by_width
def test_no_content_security_policy_violations(visits, page_type, width) -> None:  # type: ignore[no-untyped-def]
    """The page carries a nonce-based policy with no inline scripts allowed, and the browser
    reports no violation of it (a refused script, style, frame or image)."""
    visit = visits[page_type.name, width]
    directives = {
        name: values
        for name, *values in (part.split() for part in visit.csp_header.split(";") if part.strip())
    }
    # Scripts from the site itself, and inline ones only with the request's nonce.
    assert directives.get("script-src"), visit.url
    assert all(s == "'self'" or s.startswith("'nonce-") for s in directives["script-src"])
    assert "unsafe-inline" not in visit.csp_header, visit.url
    assert visit.csp_violations == [], visit.url


@by_page
def test_no_sideways_scrolling_on_a_phone(visits, page_type) -> None:  # type: ignore[no-untyped-def]
    visit = visits[page_type.name, 360]
    assert visit.scroll_width <= 360, f"{visit.url} is {visit.scroll_width}px wide at 360px"


@by_page
@by_width
def test_no_serious_or_critical_accessibility_violations(visits, page_type, width) -> None:  # type: ignore[no-untyped-def]
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in visits[page_type.name, width].axe_violations
        if v["impact"] in {"serious", "critical"} or v["id"] == "color-contrast"
    ]
    assert violations == []


@by_page
def test_html_is_valid(vnu_messages, page_type) -> None:  # type: ignore[no-untyped-def]
    assert vnu_messages[page_type.name] == []


def test_the_checks_see_what_a_reader_sees(visits) -> None:  # type: ignore[no-untyped-def]
    """Guards the checks themselves: the pages they judged are the real ones, not error pages."""
    home = visits["trang-chu", 1280].html
    assert "Nhà xuất bản Mở Đường" in home
    assert "Trần Thị Kiểm Tra" in visits["ho-so", 1280].html
    assert "Trần Thị Kiểm Tra" not in visits["trang-chu", 1280].html
    assert "?trang=2" in visits["chuyen-muc", 1280].html
    assert "Bản tin kiểm tra số" in visits["chuyen-muc-trang-2", 1280].html
    assert "Biểu mẫu đã hết hạn" in visits["loi-csrf", 1280].html
    assert "Không tìm thấy" in visits["loi-404", 1280].html
