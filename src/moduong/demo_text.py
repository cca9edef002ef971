"""Original Vietnamese text for the demo portal, written for Mở Đường.

Headlines and leads are hand-written; bodies are assembled from sentence pools so that the demo
(and the benchmarks, which need thousands of articles) read like a real office's news.
"""

from __future__ import annotations

import random

ARTICLES: list[tuple[str, str, str, list[str]]] = [
    # (section slug, headline, lead, topics)
    (
        "tin-tong-hop",
        "Hội sách mùa thu đón hơn hai mươi nghìn lượt bạn đọc",
        "Sau năm ngày mở cửa, hội sách tại công viên trung tâm thành phố đã đón khoảng 21.500 lượt"
        " khách, trong đó đông nhất là học sinh và sinh viên.",
        ["Văn hóa đọc", "Hội sách"],
    ),
    (
        "tin-tong-hop",
        "Thư viện xã Minh Phú mở cửa đến 21 giờ mỗi tối",
        "Từ đầu tháng, thư viện xã kéo dài giờ mở cửa để công nhân các khu công nghiệp lân cận có"
        " thể đến đọc sách sau ca làm.",
        ["Văn hóa đọc", "Cơ sở"],
    ),
    (
        "tin-tong-hop",
        "Tọa đàm về xuất bản điện tử trong thời kỳ chuyển đổi số",
        "Các nhà xuất bản, thư viện và chuyên gia công nghệ cùng bàn cách đưa sách điện tử đến"
        " người đọc ở vùng sâu, vùng xa với chi phí thấp.",
        ["Chuyển đổi số", "Sách điện tử"],
    ),
    (
        "tin-tong-hop",
        "Ra mắt tủ sách pháp luật cho tổ dân phố",
        "Mỗi tổ dân phố sẽ có một tủ sách nhỏ gồm các cuốn hỏi đáp pháp luật viết bằng ngôn ngữ dễ"
        " hiểu, kèm mã QR để đọc bản điện tử.",
        ["Pháp luật", "Cơ sở"],
    ),
    (
        "tin-du-an",
        "Dự án số hóa mười nghìn trang tư liệu địa chí hoàn thành giai đoạn một",
        "Nhóm dự án đã quét, chỉnh sửa và gắn chỉ mục cho hơn mười nghìn trang sách địa chí, sẵn"
        " sàng đưa lên thư viện số trong quý tới.",
        ["Chuyển đổi số", "Lịch sử địa phương"],
    ),
    (
        "tin-du-an",
        "Chương trình đưa sách về vùng cao đến thêm mười hai điểm trường",
        "Những thùng sách mới đã đến các điểm trường lẻ ở ba huyện miền núi, cùng các buổi hướng"
        " dẫn đọc sách cho giáo viên.",
        ["Văn hóa đọc", "Giáo dục"],
    ),
    (
        "tin-du-an",
        "Bộ sách hỏi đáp về chính quyền địa phương hai cấp sắp phát hành",
        "Bộ sách gồm ba tập, giải thích những điểm mới trong tổ chức bộ máy và thủ tục hành chính"
        " ở cấp tỉnh và cấp xã.",
        ["Pháp luật", "Chính quyền địa phương"],
    ),
    (
        "cac-bai-viet",
        "Đọc sách giấy hay sách điện tử: câu hỏi không cần chọn một",
        "Mỗi hình thức có chỗ mạnh riêng; điều quan trọng là thói quen đọc được nuôi dưỡng đều đặn"
        " trong mỗi gia đình.",
        ["Văn hóa đọc", "Sách điện tử"],
    ),
    (
        "cac-bai-viet",
        "Người biên tập và những trang bản thảo không ai nhìn thấy",
        "Ghi chép về một ngày làm việc của biên tập viên: từ việc kiểm tra từng con số đến những"
        " cuộc trao đổi dài với tác giả.",
        ["Nghề xuất bản"],
    ),
    (
        "cac-bai-viet",
        "Khi thư viện trở thành không gian sinh hoạt cộng đồng",
        "Nhiều thư viện cơ sở đang thay đổi: không chỉ cho mượn sách mà còn là nơi tổ chức câu lạc"
        " bộ, lớp học kỹ năng và triển lãm ảnh.",
        ["Văn hóa đọc", "Cơ sở"],
    ),
    (
        "tin-tong-hop",
        "Cuộc thi tìm hiểu lịch sử Đảng bộ thành phố thu hút đông đảo người tham gia",
        "Sau ba tuần, cuộc thi trực tuyến đã ghi nhận hơn 180.000 lượt dự thi từ cán bộ, đảng viên"
        " và nhân dân.",
        ["Cuộc thi", "Lịch sử địa phương"],
    ),
    (
        "tin-du-an",
        "Bản tin nội bộ dạng số được phát hành bằng mã QR",
        "Các chi bộ có thể quét mã để đọc bản tin hằng tháng trên điện thoại, giảm chi phí in ấn"
        " và đến tay người đọc nhanh hơn.",
        ["Chuyển đổi số", "Bản tin"],
    ),
]

SUBJECTS = [
    "Ban biên tập",
    "Các thư viện cơ sở",
    "Nhiều bạn đọc trẻ",
    "Đại diện nhà xuất bản",
    "Các đơn vị phát hành",
    "Cán bộ văn hóa xã",
    "Nhóm tác giả",
    "Hội đồng thẩm định",
]
ACTIONS = [
    "cho biết sẽ tiếp tục mở rộng chương trình trong năm tới",
    "đề xuất bổ sung thêm đầu sách phù hợp với từng lứa tuổi",
    "nhấn mạnh vai trò của việc đọc trong học tập suốt đời",
    "đã phối hợp chặt chẽ để bảo đảm tiến độ và chất lượng",
    "mong muốn nhận thêm ý kiến góp ý từ bạn đọc",
    "ghi nhận sự hưởng ứng tích cực của người dân địa phương",
]
DETAILS = [
    "Trong thời gian tới, các hoạt động sẽ được tổ chức định kỳ mỗi quý.",
    "Nhiều ý kiến cho rằng cần có thêm sách điện tử miễn phí cho học sinh.",
    "Số liệu được tổng hợp từ báo cáo của các đơn vị trong tháng vừa qua.",
    "Các đầu sách mới đều được biên tập kỹ lưỡng trước khi phát hành.",
    "Bạn đọc có thể gửi câu hỏi qua mục Bạn đọc và NXB trên cổng thông tin.",
    "Kinh phí thực hiện được cân đối từ nguồn xã hội hóa và ngân sách địa phương.",
    "Mỗi điểm đọc sách đều có người phụ trách để hướng dẫn và giữ gìn sách.",
    "Theo kế hoạch, giai đoạn tiếp theo sẽ tập trung vào các xã vùng sâu.",
]
HEADINGS = ["Những kết quả bước đầu", "Lắng nghe bạn đọc", "Hướng đi trong thời gian tới"]
QUOTES = [
    "Một cuốn sách hay đến đúng lúc có thể thay đổi cách một người nhìn công việc của mình.",
    "Chúng tôi muốn mỗi gia đình có ít nhất một góc nhỏ dành cho sách.",
]


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    parts = [f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}."]
    parts += rng.sample(DETAILS, k=min(sentences - 1, len(DETAILS)))
    return " ".join(parts)


def body_blocks(rng: random.Random, images: list[object]) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = [("paragraph", f"<p>{paragraph(rng)}</p>")]
    if images:
        blocks.append(
            (
                "image",
                {
                    "image": rng.choice(images),
                    "caption": "Ảnh minh họa: Mở Đường",
                    "alt": "Hình minh họa bài viết",
                },
            )
        )
    for heading in rng.sample(HEADINGS, k=2):
        blocks.append(("heading", heading))
        blocks.append(("paragraph", f"<p>{paragraph(rng)}</p><p>{paragraph(rng, 3)}</p>"))
    blocks.append(("quote", {"text": rng.choice(QUOTES), "source": rng.choice(SUBJECTS)}))
    return blocks
