import pytest

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ALBUM = "/thu-vien-anh/hoi-sach-mua-thu-cong-vien-thong-nhat/"


def test_photo_viewer_works_with_the_keyboard_and_gives_focus_back(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + ALBUM)
    thumbnails = page.locator(".photo-link")
    thumbnails.nth(1).focus()
    page.keyboard.press("Enter")
    viewer = page.locator("dialog.viewer")
    assert viewer.is_visible()
    assert page.evaluate("document.activeElement.className") == "viewer-close"
    assert viewer.locator(".viewer-count").inner_text() == "Ảnh 2/5"
    assert viewer.locator(".viewer-caption").inner_text() == "Bạn đọc nhỏ tuổi ở góc truyện tranh"
    page.keyboard.press("ArrowRight")
    assert viewer.locator(".viewer-count").inner_text() == "Ảnh 3/5"
    page.keyboard.press("End")
    assert viewer.locator("img").get_attribute("alt") == "Buổi tối cuối cùng của hội sách"
    page.keyboard.press("ArrowRight")  # wraps round to the first
    assert viewer.locator(".viewer-count").inner_text() == "Ảnh 1/5"
    # The browser chose the WebP rendition and the picture loaded.
    viewer.locator("img").evaluate("img => img.decode()")
    assert viewer.locator("img").evaluate("img => img.currentSrc").endswith(".webp")
    # Tab stays inside the dialog.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('dialog')")
    screenshot(page, "album-viewer-1280")
    page.keyboard.press("Escape")
    assert not viewer.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('data-caption')") == (
        "Bạn đọc nhỏ tuổi ở góc truyện tranh"
    )
    assert page.console_errors == []


def test_photo_viewer_follows_swipes(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + ALBUM)
    page.locator(".photo-link").first.click()
    count = page.locator("dialog.viewer .viewer-count")
    assert count.inner_text() == "Ảnh 1/5"

    def swipe(from_x: int, to_x: int) -> None:
        page.evaluate(
            """([fromX, toX]) => {
                const dialog = document.querySelector('dialog.viewer');
                const fire = (type, x) => dialog.dispatchEvent(new PointerEvent(type,
                    {clientX: x, clientY: 300, bubbles: true, pointerType: 'touch'}));
                fire('pointerdown', fromX);
                fire('pointerup', toX);
            }""",
            [from_x, to_x],
        )

    swipe(300, 60)  # to the left: the next photo
    assert count.inner_text() == "Ảnh 2/5"
    swipe(60, 300)
    swipe(60, 300)
    assert count.inner_text() == "Ảnh 5/5"
    swipe(200, 190)  # a tap is not a swipe
    assert count.inner_text() == "Ảnh 5/5"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(page, "album-viewer-360")
    context.close()
