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


# The demo's own articles, each with a body of its own: no sentence is repeated from one article
# to another. (heading, paragraphs before it, paragraphs after it, quote, quote's source)
BODIES: list[tuple[str, list[str], list[str], str, str]] = [
    (
        "Khách đến từ nhiều tỉnh",
        [
            "Ban tổ chức dựng gần ba trăm gian hàng dọc lối đi ven hồ, xếp theo chủ đề: sách thiếu"
            " nhi, sách khoa học, văn học dịch và sách về lịch sử địa phương.",
            "Ngày khai mạc rơi vào cuối tuần nên nhiều gia đình đưa con nhỏ đến từ sớm, có gian"
            " hàng phải mở thêm quầy thanh toán thứ hai trước giờ trưa.",
        ],
        [
            "Một đoàn giáo viên từ Đà Nẵng ra dự và mua về hơn bốn trăm cuốn cho tủ sách lớp học"
            " của trường mình.",
            "Năm sau, hội sách dự kiến dành riêng một khu cho sách cũ để bạn đọc trao đổi với"
            " nhau.",
        ],
        "Con tôi tự chọn được ba cuốn, lần đầu tiên cháu chịu đứng xếp hàng để trả tiền sách.",
        "Một phụ huynh ở phường Ngọc Hà",
    ),
    (
        "Ai đến đọc sau giờ làm",
        [
            "Trước đây thư viện đóng cửa lúc 17 giờ, đúng lúc các ca làm ở khu công nghiệp vừa"
            " tan, nên gần như không công nhân nào kịp ghé.",
            "Ủy ban xã bố trí thêm một cán bộ trực buổi tối và lắp đèn dọc con đường dẫn vào thư"
            " viện.",
        ],
        [
            "Sau ba tuần, sổ theo dõi ghi nhận trung bình bốn mươi lượt người mỗi tối, phần đông"
            " mượn truyện ngắn và sách dạy nấu ăn.",
            "Thư viện cũng dành một bàn cho trẻ em chờ bố mẹ, có sẵn bút màu và sách tranh.",
        ],
        "Đọc nửa tiếng trước khi về phòng trọ giúp tôi quên cái mỏi của cả ngày đứng máy.",
        "Một nữ công nhân khu công nghiệp",
    ),
    (
        "Chi phí và đường truyền",
        [
            "Đại diện một nhà xuất bản ở Đà Nẵng kể lại cách họ nén tệp sách để học sinh vùng núi"
            " tải được cả khi sóng điện thoại yếu.",
            "Nhiều ý kiến đề nghị các thư viện tỉnh dùng chung một kho sách điện tử thay vì mỗi"
            " nơi mua bản quyền riêng.",
        ],
        [
            "Các chuyên gia lưu ý sách điện tử cần định dạng mở, đọc được trên máy cũ, không buộc"
            " bạn đọc cài thêm phần mềm.",
            "Tọa đàm kết thúc bằng bản kiến nghị gửi cơ quan quản lý về khung giá bản quyền cho"
            " thư viện công.",
        ],
        "Một cuốn sách điện tử chỉ có ích khi người ở xa nhất cũng mở được nó.",
        "Một chuyên gia thư viện số",
    ),
    (
        "Tủ sách đặt ở đâu",
        [
            "Mỗi tủ gồm khoảng sáu mươi cuốn, được đặt tại nhà văn hóa hoặc nhà tổ trưởng, nơi"
            " người dân thường qua lại.",
            "Các cuốn hỏi đáp trả lời những việc gần gũi: đăng ký thường trú, hòa giải mâu thuẫn"
            " hàng xóm, quyền lợi người lao động.",
        ],
        [
            "Mã QR dán ở gáy tủ dẫn tới bản điện tử, để ai không tiện mượn sách giấy vẫn đọc được"
            " trên điện thoại.",
            "Tổ trưởng ghi lại những câu hỏi người dân hay hỏi, làm căn cứ cho lần tái bản sau.",
        ],
        "Có cuốn sách trong tay, bà con tự tra được nhiều việc mà trước kia phải đi hỏi.",
        "Tổ trưởng tổ dân phố số 5",
    ),
    (
        "Từ kho lưu trữ lên màn hình",
        [
            "Phần lớn tư liệu là sách địa chí in từ đầu thế kỷ trước, giấy đã giòn nên phải lật"
            " từng trang bằng tay trên máy quét phẳng.",
            "Mỗi trang được nhận dạng chữ rồi đọc soát lại, nhất là các tên làng, tên sông viết"
            " theo lối cũ.",
        ],
        [
            "Giai đoạn hai sẽ xử lý bản đồ và ảnh tư liệu, vốn cần độ phân giải cao hơn nhiều.",
            "Nhà nghiên cứu có thể tìm theo địa danh, kể cả khi gõ không dấu.",
        ],
        "Có những cuốn chỉ còn một bản duy nhất; quét xong rồi chúng tôi mới yên tâm.",
        "Trưởng nhóm dự án",
    ),
    (
        "Sách đến tay các em",
        [
            "Đợt này sách được đưa tới mười hai điểm trường lẻ, trong đó có các điểm thuộc vùng"
            " Hòa Bình cũ, nay là phía tây tỉnh Phú Thọ.",
            "Xe chỉ vào được đến trung tâm xã, đoạn còn lại thầy cô và phụ huynh gùi sách bộ"
            " qua hai con dốc.",
        ],
        [
            "Mỗi điểm trường nhận một thùng sách tranh, truyện cổ tích và sách khoa học cho thiếu"
            " nhi.",
            "Giáo viên được hướng dẫn cách tổ chức giờ đọc to, để cả lớp cùng nghe một câu chuyện.",
        ],
        "Các em tranh nhau ôm cuốn sách có hình con voi, cuốn đó chưa kịp về đến giá.",
        "Một cô giáo điểm trường bản Mường",
    ),
    (
        "Ba tập, ba nhóm bạn đọc",
        [
            "Tập một dành cho cán bộ cấp xã, giải thích nhiệm vụ mới sau khi bỏ cấp huyện.",
            "Tập hai viết cho người dân, đi theo từng thủ tục thường gặp như cấp giấy khai sinh"
            " hay chứng thực bản sao.",
        ],
        [
            "Tập ba tập hợp các văn bản gốc, có chú thích ngày hiệu lực của từng điều khoản.",
            "Bản điện tử sẽ được cập nhật mỗi khi có văn bản sửa đổi.",
        ],
        "Chúng tôi viết sao cho một người chưa từng đọc văn bản luật cũng hiểu được.",
        "Chủ biên bộ sách",
    ),
    (
        "Không phải chọn một",
        [
            "Sách giấy giúp trẻ nhỏ tập trung, còn sách điện tử tiện cho người hay đi lại hoặc"
            " cần chữ to.",
            "Khảo sát nhỏ ở ba trường cho thấy học sinh đọc cả hai, tùy lúc và tùy loại sách.",
        ],
        [
            "Thói quen đọc hình thành từ việc người lớn trong nhà cũng cầm sách, bất kể là sách"
            " gì.",
            "Bài viết gợi ý mỗi gia đình dành mười lăm phút mỗi tối cho việc đọc chung.",
        ],
        "Trẻ không nghe lời khuyên đọc sách bằng nhìn thấy bố mẹ đọc.",
        "Một nhà giáo về hưu",
    ),
    (
        "Một ngày bên bản thảo",
        [
            "Buổi sáng của chị bắt đầu bằng việc đối chiếu số liệu trong bản thảo với nguồn gốc,"
            " từng bảng một.",
            "Buổi chiều là cuộc gọi dài với tác giả để thống nhất cách viết tên riêng nước ngoài.",
        ],
        [
            "Có chương phải đọc đến lần thứ tư mới thấy một câu bị hiểu theo hai nghĩa.",
            "Tên biên tập viên chỉ in nhỏ ở trang cuối, nhưng dấu tay của họ có trên mọi trang.",
        ],
        "Lỗi nhỏ nhất lọt ra ngoài sẽ theo cuốn sách suốt đời của nó.",
        "Một biên tập viên lâu năm",
    ),
    (
        "Nơi gặp gỡ của khu phố",
        [
            "Thư viện phường mở thêm câu lạc bộ cờ tướng cho người cao tuổi vào sáng thứ ba và"
            " thứ năm.",
            "Tầng hai được dùng cho lớp tin học miễn phí, dạy cách dùng dịch vụ công trực tuyến.",
        ],
        [
            "Cuối tháng, thư viện treo ảnh do chính người dân chụp về những góc phố xưa.",
            "Số thẻ bạn đọc mới tăng gấp đôi từ khi có các hoạt động này.",
        ],
        "Người ta đến để chơi cờ, rồi ra về với một cuốn sách mượn.",
        "Cán bộ thư viện phường",
    ),
    (
        "Người dự thi nói gì",
        [
            "Đông nhất là đoàn viên thanh niên, nhưng cũng có những cụ hưu trí nhờ con cháu mở"
            " máy để tự làm bài.",
            "Câu hỏi khó nhất tuần qua hỏi về năm thành lập chi bộ đầu tiên của thành phố.",
        ],
        [
            "Ban tổ chức sẽ công bố đáp án và danh sách đoạt giải sau khi vòng thi khép lại.",
            "Nhiều người đề nghị tổ chức thêm vòng thi dành riêng cho học sinh.",
        ],
        "Làm bài xong tôi mới biết phố mình ở từng là nơi họp bí mật.",
        "Một người dự thi ở phường Giảng Võ",
    ),
    (
        "Quét mã thay vì chờ bản in",
        [
            "Mỗi số bản tin có một mã QR riêng, in trên tờ thông báo dán ở nhà văn hóa.",
            "Chi bộ nào không có máy in màu vẫn nhận được bản tin đẹp, đủ ảnh.",
        ],
        [
            "Số lượt quét cho biết chi bộ nào đã đọc, giúp ban biên tập điều chỉnh nội dung.",
            "Bản in vẫn được giữ cho các đảng viên cao tuổi không dùng điện thoại thông minh.",
        ],
        "Tiết kiệm giấy là một phần; phần lớn hơn là bản tin đến nơi trong ngày phát hành.",
        "Ban biên tập bản tin",
    ),
]


def article_body_blocks(index: int, images: list[object]) -> list[tuple[str, object]]:
    """The body of the demo's article number `index`, written for it."""
    heading, before, after, quote, source = BODIES[index]
    blocks: list[tuple[str, object]] = [("paragraph", "".join(f"<p>{p}</p>" for p in before))]
    if images:
        blocks.append(
            (
                "image",
                {
                    "image": images[index % len(images)],
                    "caption": "Ảnh minh họa: Mở Đường",
                    "alt": "Hình minh họa bài viết",
                },
            )
        )
    blocks.append(("heading", heading))
    blocks.append(("paragraph", "".join(f"<p>{p}</p>" for p in after)))
    blocks.append(("quote", {"text": quote, "source": source}))
    return blocks
