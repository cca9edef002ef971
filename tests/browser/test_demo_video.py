"""The demo's own video plays offline in Chromium, with its Vietnamese captions."""

import pytest

from moduong.gallery.models import VideoPage

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_video_plays_with_captions(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    video = VideoPage.objects.exclude(video_file="").get()
    with video.captions.open("rb") as captions:
        assert captions.read().startswith(b"WEBVTT")
    page.goto(live_server.url + video.url)
    player = page.locator("video")
    assert player.locator("track").count() == 1
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    # Polled from here: wait_for_function evaluates its string in the page, which the site's
    # Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    for _ in range(60):
        if page.evaluate("document.querySelector('video').currentTime") > 1:
            break
        page.wait_for_timeout(250)
    assert page.evaluate("document.querySelector('video').currentTime") > 1
    assert page.evaluate("document.querySelector('video').videoWidth") == 640
    assert page.console_errors == []
