from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from moduong.community import services
from moduong.community.models import Letter
from moduong.community.tasks import letter_answered_email
from tests.factories import UserFactory

from . import files
from .conftest import SEND_URL, errors_of, soup

pytestmark = pytest.mark.django_db

LISTING = "/ban-doc-va-nxb/"


def _new_letters() -> list[Letter]:
    return list(Letter.objects.filter(email__in=["an.nguyen@example.vn", "bandoc@example.vn"]))


def test_guest_sends_a_letter_that_waits_for_moderation(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(SEND_URL, letter_data(), follow=True)
    assert "Cảm ơn bạn: thư của bạn đã được nhận." in response.content.decode()
    (letter,) = _new_letters()
    assert letter.status == Letter.Status.PENDING
    assert (letter.name, letter.phone) == ("Nguyễn Văn An", "0912345678")
    assert letter.subject not in client.get(LISTING).content.decode()


def test_logged_in_reader_writes_without_name_email_or_captcha(
    letters_page, client: Client
) -> None:  # type: ignore[no-untyped-def]
    reader = UserFactory(email="bandoc@example.vn", full_name="Lê Thị Hoa")
    client.force_login(reader)
    page = soup(client.get(SEND_URL))
    assert page.find("input", attrs={"name": "captcha_1"}) is None
    assert page.find("input", attrs={"name": "email"}) is None
    response = client.post(
        SEND_URL, {"subject": "Góp ý", "message": "Trang web đọc rất dễ trên điện thoại."}
    )
    assert response.status_code == 302
    (letter,) = _new_letters()
    assert (letter.user, letter.name, letter.email) == (reader, "Lê Thị Hoa", "bandoc@example.vn")


def test_wrong_captcha_and_bad_phone_are_explained_and_nothing_is_stored(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(SEND_URL, letter_data(captcha_1="00000", phone="12ab"))
    errors = errors_of(response)
    assert "Mã xác nhận không đúng" in errors
    assert "số điện thoại Việt Nam" in errors
    assert _new_letters() == []


def test_html_and_scripts_are_stored_as_plain_text(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    message = (
        "<p>Xin chào <b>Nhà xuất bản</b></p><script>alert('x')</script>"
        "<img src=x onerror=alert(1)> Tôi muốn hỏi về sách."
    )
    client.post(SEND_URL, letter_data(subject="<i>Câu hỏi</i>", message=message))
    (letter,) = _new_letters()
    assert letter.subject == "Câu hỏi"
    assert "<" not in letter.message and "alert" not in letter.message
    assert "Xin chào Nhà xuất bản" in letter.message
    services.letter_approve(letter=letter)
    html = client.get(LISTING).content.decode()
    assert "Tôi muốn hỏi về sách." in html and "onerror" not in html


def test_a_pdf_and_a_picture_are_accepted_and_kept_out_of_public_media(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    client.post(SEND_URL, letter_data(attachment=files.pdf("Đơn đề nghị.pdf")))
    client.post(
        SEND_URL,
        letter_data(email="bandoc@example.vn", attachment=files.png(name="ảnh chụp.PNG")),
    )
    pdf_letter, image_letter = sorted(_new_letters(), key=lambda letter: letter.email)
    assert pdf_letter.attachment_type == "application/pdf"
    assert pdf_letter.attachment.name.endswith("don-de-nghi.pdf")
    assert image_letter.attachment_type == "image/png"
    path = pdf_letter.attachment.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    # Only a moderator downloads it, through the admin.
    assert client.get(f"/admin/thu-ban-doc/tep/{pdf_letter.pk}/").status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/thu-ban-doc/tep/{pdf_letter.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.executable, "không phải ảnh cũng không phải PDF"),
        (lambda: files.executable("anh.jpg"), "không phải ảnh cũng không phải PDF"),
        (files.png_bomb, "Ảnh quá lớn"),
        (lambda: files.png_bomb(13_000, 10), "Ảnh quá lớn"),
        (lambda: files.pdf("thu.exe"), "không phải ảnh cũng không phải PDF"),
        (files.pdf_with_script, "PDF có chứa JavaScript"),
        (files.pdf_html_polyglot, "PDF có chứa JavaScript"),
    ],
    ids=[
        "exe-renamed-pdf",
        "exe-renamed-jpg",
        "image-bomb",
        "too-wide",
        "pdf-named-exe",
        "pdf-open-action",
        "pdf-html-polyglot",
    ],
)
def test_dangerous_attachments_are_refused_and_nothing_is_stored(
    letters_page, client: Client, letter_data, upload, message
) -> None:  # type: ignore[no-untyped-def]
    private = settings.DATA_DIR / "private"
    before = sorted(private.rglob("*")) if private.exists() else []
    response = client.post(SEND_URL, letter_data(attachment=upload()))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert _new_letters() == []
    assert (sorted(private.rglob("*")) if private.exists() else []) == before


def test_an_attachment_over_the_limit_is_refused(letters_page, client: Client, letter_data) -> None:  # type: ignore[no-untyped-def]
    big = files.pdf()
    big.file.seek(0, 2)
    big.file.write(b"0" * (5 * 1024 * 1024))
    big.size = big.file.tell()
    big.file.seek(0)
    response = client.post(SEND_URL, letter_data(attachment=big))
    assert "Tệp quá lớn: tối đa 5 MB." in errors_of(response)
    assert _new_letters() == []


@override_settings(LETTERS_RATE_PER_HOUR=5)
def test_a_guest_posting_the_same_letter_20_times_leaves_one_letter(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    statuses = []
    for attempt in range(20):
        # The same words, typed a little differently each time.
        message = "Xin hỏi Nhà xuất bản bao giờ phát hành cuốn sách hỏi đáp pháp luật mới?"
        if attempt % 2:
            message = "  xin hỏi nhà xuất bản  bao giờ phát hành cuốn sách hỏi đáp pháp luật mới? "
        response = client.post(SEND_URL, letter_data(message=message))
        statuses.append(response.status_code)
        if 1 <= attempt < 5:
            assert "Bạn đã gửi thư này và biên tập viên đã nhận được." in errors_of(response)
    assert statuses[0] == 302
    assert statuses[1:5] == [200] * 4
    assert statuses[5:] == [429] * 15
    assert len(_new_letters()) == 1


def test_duplicate_detection_folds_tone_placement_and_case(letters_page) -> None:  # type: ignore[no-untyped-def]
    common = {"page": letters_page, "user": None, "name": "An", "phone": ""}
    services.letter_create(**common, email="x@example.vn", subject="Hoà bình", message="Thuý hỏi")
    with pytest.raises(services.Duplicate):
        services.letter_create(
            **common, email="X@example.vn", subject="HÒA   BÌNH", message="Thúy hỏi"
        )
    # Someone else may write the same words.
    services.letter_create(**common, email="y@example.vn", subject="Hoà bình", message="Thuý hỏi")


def test_a_filled_honeypot_stores_nothing_but_looks_accepted(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(SEND_URL, letter_data(website="http://spam.example"))
    assert response.status_code == 302
    assert _new_letters() == []


def test_moderation_approve_reject_reply_and_email(
    letters_page, client: Client, letter_data, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SEND_URL, letter_data())
    (letter,) = _new_letters()
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Kiểm duyệt viên"))
    client.force_login(moderator)
    url = f"/admin/thu-ban-doc/edit/{letter.pk}/"
    assert "Hỏi về sách hỏi đáp pháp luật" in client.get("/admin/thu-ban-doc/").content.decode()
    # Rejecting needs a reason.
    response = client.post(url, {"action": "reject", "reason": " "})
    assert "Vui lòng nêu lý do" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    public = client.get(LISTING).content.decode()
    assert "Hỏi về sách hỏi đáp pháp luật" in public and "N. V. An" in public
    assert "an.nguyen@example.vn" not in public and "0912" not in public
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "answer", "reply": "Sách sẽ phát hành vào tháng sau."})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ANSWERED and letter.replied_by == moderator
    (mail,) = mailoutbox
    assert mail.to == ["an.nguyen@example.vn"]
    assert "Sách sẽ phát hành vào tháng sau." in mail.body
    assert mail.subject == 'Trả lời thư "Hỏi về sách hỏi đáp pháp luật" của bạn'
    assert mail.body.startswith("Kính gửi Nguyễn Văn An,") and "đã trả lời thư của bạn" in mail.body
    assert f"/ban-doc-va-nxb/thu/{letter.pk}/" in mail.body
    public = soup(client.get(LISTING))
    reply = public.select_one(f"#thu-{letter.pk} .letter-reply").get_text(" ", strip=True)
    assert "Sách sẽ phát hành vào tháng sau." in reply
    # A reader can then find it in the portal's search.
    found = client.get("/tim-kiem/?q=hoi+dap+phap+luat").content.decode()
    assert f"/ban-doc-va-nxb/thu/{letter.pk}/" in found
    # The email task run again (its worker died after the email left): no second copy.
    assert letter_answered_email.call(letter.pk) is False
    assert len(mailoutbox) == 1
    # Correcting the reply publishes the new words without a second email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "answer", "reply": "Sách phát hành ngày 15 tháng sau."})
    assert len(mailoutbox) == 1
    assert "Sách phát hành ngày 15 tháng sau." in client.get(LISTING).content.decode()
    # Rejecting an answered letter is refused with a message; nothing changes.
    client.post(url, {"action": "reject", "reason": "Trùng lặp"}, follow=True)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ANSWERED


def test_a_reader_cannot_open_the_moderation_screen(letters_page, client: Client) -> None:  # type: ignore[no-untyped-def]
    letter = Letter.objects.first()
    client.force_login(UserFactory())
    response = client.get(f"/admin/thu-ban-doc/edit/{letter.pk}/")
    assert response.status_code in (302, 403)


def test_listing_pages_and_query_count(
    letters_page, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get(LISTING)
    with django_assert_max_num_queries(6):
        response = client.get(LISTING)
    assert len(soup(response).select(".letter")) == 3
    assert client.get(LISTING + "?trang=9").status_code == 404
    assert client.get(LISTING + "?trang=abc").status_code == 404


@override_settings(PAGE_CACHE_SECONDS=300)
def test_an_approved_letter_shows_at_once_on_a_cached_listing(
    letters_page, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    letter = services.letter_create(
        page=letters_page,
        user=None,
        name="Hoàng Lan",
        email="lan@example.vn",
        phone="",
        subject="Cảm ơn ban biên tập",
        message="Cuốn sách về lịch sử địa phương rất bổ ích cho học sinh.",
    )
    assert client.get(LISTING).headers["X-Page-Cache"] == "miss"
    assert client.get(LISTING).headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_approve(letter=letter)
    assert "Cảm ơn ban biên tập" in client.get(LISTING).content.decode()


def test_deleting_the_account_removes_the_writers_personal_data(letters_page) -> None:  # type: ignore[no-untyped-def]
    from moduong.accounts.services import user_delete

    reader = UserFactory(email="bandoc@example.vn", full_name="Lê Thị Hoa", phone="0912345678")
    letter = services.letter_create(
        page=letters_page,
        user=reader,
        name="Lê Thị Hoa",
        email="bandoc@example.vn",
        phone="0912345678",
        subject="Góp ý",
        message="Trang web đọc rất dễ trên điện thoại.",
    )
    user_delete(user=reader)
    letter.refresh_from_db()
    assert (letter.user, letter.name, letter.email, letter.phone) == (None, "Bạn đọc", "", "")
    assert letter.message == "Trang web đọc rất dễ trên điện thoại."
    # Published, it is signed "Bạn đọc", not cut to initials like a person's name.
    services.letter_approve(letter=letter)
    meta = soup(Client().get(LISTING)).select_one(f"#thu-{letter.pk} .meta").get_text()
    assert meta.startswith("Một bạn đọc ·") and "B. đọc" not in meta


def test_only_moderators_download_attachments_and_decide(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    client.post(SEND_URL, letter_data(attachment=files.pdf()))
    (letter,) = _new_letters()
    attachment = f"/admin/thu-ban-doc/tep/{letter.pk}/"
    moderate = f"/admin/thu-ban-doc/edit/{letter.pk}/"
    # Editors may read the queue but not decide nor open what readers attached.
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Biên tập viên"))
    client.force_login(editor)
    # (Wagtail answers a refusal by sending them back to the dashboard with a message.)
    assert client.get(attachment).url == "/admin/"
    assert client.post(moderate, {"action": "approve"}).url == "/admin/"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING
    for url in (attachment, "/admin/thu-ban-doc/tep/999999/", moderate):
        client.logout()
        assert client.get(url).url.startswith("/admin/login/")
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Kiểm duyệt viên"))
    client.force_login(moderator)
    response = client.get(attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get("/admin/thu-ban-doc/tep/999999/").status_code == 404
    assert client.get("/admin/thu-ban-doc/edit/999999/").status_code == 404
    assert client.get(f"/admin/thu-ban-doc/tep/{'9' * 25}/").status_code == 404
    assert client.get(f"/admin/thu-ban-doc/edit/{'9' * 25}/").status_code == 404
    assert client.head(moderate).status_code == 200
    screen = soup(client.get(moderate))
    text = screen.select_one(".moderation").get_text(" ", strip=True)
    assert "Nội dung thư" in text and letter.message in text and "an.nguyen@example.vn" in text
    assert screen.select_one(f"a[href='{attachment}']").get_text() == "Tải tệp đính kèm"
    assert screen.select_one("form button").get_text() == "Thực hiện quyết định"
    assert screen.select("form input[name=csrfmiddlewaretoken]")


def test_attachments_go_with_the_account_or_the_deleted_letter(
    letters_page, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from moduong.accounts.services import user_delete

    reader = UserFactory(email="bandoc@example.vn", full_name="Lê Thị Hoa")
    common = {"page": letters_page, "name": "Lê Thị Hoa", "email": "bandoc@example.vn"}
    kept = services.letter_create(
        **common,
        user=reader,
        phone="",
        subject="Góp ý",
        message="Bản chụp giấy tờ của tôi.",
        attachment=files.pdf(),
        attachment_type="application/pdf",
    )
    deleted = services.letter_create(
        **common,
        user=None,
        phone="",
        subject="Thư khác",
        message="Một bản chụp khác nữa.",
        attachment=files.pdf(),
        attachment_type="application/pdf",
    )
    paths = [kept.attachment.path, deleted.attachment.path]
    assert all(Path(path).exists() for path in paths)
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=reader)
    kept.refresh_from_db()
    assert (kept.attachment.name, kept.attachment_type) == ("", "")
    assert not Path(paths[0]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()
    assert not Path(paths[1]).exists()


def test_a_letter_address_finds_it_on_whichever_page_of_the_listing_it_has_moved_to(
    letters_page, client: Client
) -> None:  # type: ignore[no-untyped-def]
    oldest = Letter.objects.filter(status__in=Letter.PUBLIC).order_by("published_at").first()
    for number in range(10):  # ten newer letters push it to the second page
        newer = services.letter_create(
            page=letters_page,
            user=None,
            name="Bạn đọc Mới",
            email=f"moi{number}@example.vn",
            phone="",
            subject=f"Thư mới số {number}",
            message="Một lá thư mới gửi Nhà xuất bản.",
        )
        services.letter_approve(letter=newer)
    response = client.get(oldest.get_absolute_url())
    assert response.url == f"{LISTING}?trang=2#thu-{oldest.pk}"
    assert soup(client.get(f"{LISTING}?trang=2")).select_one(f"#thu-{oldest.pk}")
    assert client.get(newer.get_absolute_url()).url == f"{LISTING}#thu-{newer.pk}"
    pending = services.letter_create(
        page=letters_page,
        user=None,
        name="Bạn đọc Khác",
        email="khac@example.vn",
        phone="",
        subject="Chưa duyệt",
        message="Thư này còn chờ biên tập viên đọc.",
    )
    for url in (pending.get_absolute_url(), f"{LISTING}thu/999999/", f"{LISTING}thu/abc/"):
        assert client.get(url).status_code == 404


def test_entities_cannot_smuggle_tags_past_the_cleaning(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    message = (
        "Xin chào &lt;script&gt;alert(document.cookie)&lt;/script&gt; Nhà xuất bản, "
        "&amp;lt;img src=x onerror=alert(1)&amp;gt; tôi muốn hỏi về sách & báo. <<b>script>x"
    )
    client.post(SEND_URL, letter_data(subject="&lt;b&gt;Câu hỏi&lt;/b&gt;", message=message))
    (letter,) = _new_letters()
    assert letter.subject == "Câu hỏi"
    assert "<script" not in letter.message and "<img" not in letter.message
    assert "Nhà xuất bản" in letter.message and "sách & báo" in letter.message
    moderator = UserFactory(is_staff=True, is_superuser=True)
    services.letter_reply(
        letter=letter,
        reply="<b>Cảm ơn bạn</b> &lt;script&gt;alert(1)&lt;/script&gt; đã hỏi.",
        moderator=moderator,
        answered=True,
    )
    letter.refresh_from_db()
    assert " ".join(letter.reply.split()) == "Cảm ơn bạn đã hỏi."
    served = client.get("/api/v1/letters").json()
    mine = next(item for item in served if item["id"] == letter.pk)
    assert not any("<" in mine[field] for field in ("subject", "message", "reply"))
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for field in ("subject", "message", "reply"):
        assert "Plain text, never HTML" in schema["LetterOut"]["properties"][field]["description"]
    for field in ("question", "answer"):
        assert "Plain text, never HTML" in schema["AnswerOut"]["properties"][field]["description"]


def test_behind_nginx_a_moderator_gets_the_attachment_from_nginx(
    letters_page, client: Client, letter_data, settings
) -> None:  # type: ignore[no-untyped-def]
    client.post(SEND_URL, letter_data(attachment=files.pdf("Đơn.pdf")))
    (letter,) = _new_letters()
    settings.ACCEL_REDIRECT_PREFIX = "/_noi-bo/"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/thu-ban-doc/tep/{letter.pk}/")
    assert response["X-Accel-Redirect"] == f"/_noi-bo/private/{letter.attachment.name}"
    assert response["Content-Type"] == "application/pdf"


def test_switching_the_captcha_to_words_without_javascript_keeps_the_letter(
    letters_page, client: Client
) -> None:  # type: ignore[no-untyped-def]
    typed = {
        "name": "Nguyễn Văn An",
        "email": "an.nguyen@example.vn",
        "phone": "0912 345 678",
        "subject": "Hỏi về sách hỏi đáp pháp luật",
        "message": "Một bức thư dài, viết cẩn thận,\nkhông muốn gõ lại lần nữa.",
        "captcha_0": "x",
        "captcha_1": "",
        "captcha_mode": "hinh",
        "captcha_switch": "chu",
    }
    response = client.post(SEND_URL, typed)
    assert response.status_code == 200
    page = soup(response)
    assert errors_of(response) == ""
    assert page.select_one(".captcha-question").get_text().startswith("Gõ năm chữ số sau:")
    for name in ("name", "email", "phone", "subject"):
        assert page.find("input", attrs={"name": name})["value"] == typed[name]
    assert page.find("textarea", attrs={"name": "message"}).get_text().strip() == typed["message"]
    assert _new_letters() == []
    # …and back to the picture, still with everything.
    back = soup(client.post(SEND_URL, {**typed, "captcha_mode": "chu", "captcha_switch": "hinh"}))
    assert back.select_one(".captcha-box img") and not back.select_one(".captcha-question")
    assert back.find("input", attrs={"name": "subject"})["value"] == typed["subject"]


def test_a_letter_sent_after_switching_keeps_the_words_question_when_refused(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(SEND_URL, letter_data(captcha_1="00000", captcha_mode="chu"))
    assert "Mã xác nhận không đúng" in errors_of(response)
    assert soup(response).select_one(".captcha-question") is not None


def test_the_letter_limit_is_said_counted_and_enforced_with_the_count(
    letters_page, client: Client, letter_data
) -> None:  # type: ignore[no-untyped-def]
    box = soup(client.get(SEND_URL)).find("textarea", attrs={"name": "message"})
    # No `maxlength`: the browser would cut a pasted letter without a word.
    assert box.get("maxlength") is None
    assert box["data-max-chars"] == "5000"
    assert "5.000 ký tự" in box.find_parent().get_text()
    response = client.post(SEND_URL, letter_data(message="Đọc sách. " * 520))
    assert response.status_code == 200
    assert "Thư chỉ được tối đa 5.000 ký tự; thư của bạn có 5.199 ký tự." in errors_of(response)
    assert _new_letters() == []
    # Line breaks count one each, as the reader's counter shows them.
    exact = ("Đọc sách.\r\n" * 500)[:-2]
    assert len(exact.replace("\r\n", "\n")) == 4999
    assert client.post(SEND_URL, letter_data(message=exact)).status_code == 302
    assert len(_new_letters()[0].message) == 4999


def test_an_answer_the_mail_server_refused_is_emailed_when_the_task_runs_again(  # type: ignore[no-untyped-def]
    letters_page, mailoutbox
) -> None:
    import socket

    import pytest
    from django.test import override_settings

    from moduong.community.mail import letter_answered_send

    letter = services.letter_create(
        page=letters_page,
        user=None,
        name="Lê Thị Hoa",
        email="bandoc@example.vn",
        phone="",
        subject="Góp ý",
        message="Trang web đọc rất dễ trên điện thoại.",
    )
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.ANSWERED, reply="Cảm ơn bạn.")
    with socket.socket() as closed:  # a port nothing listens on: the server refuses
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    refused = override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port)
    with refused, pytest.raises(OSError):
        letter_answered_send(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.answer_emailed_at is None and mailoutbox == []
    assert letter_answered_send(letter_id=letter.pk) is True
    assert letter_answered_send(letter_id=letter.pk) is False  # no second copy
    assert [m.to for m in mailoutbox] == [["bandoc@example.vn"]]
