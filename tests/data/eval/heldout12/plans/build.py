#!/usr/bin/env python3
"""Build and verify the held-out plan-QA evaluation set.

Source documents: /work/shared/data/plans/<stem>.md (read-only).
Output: questions_<stem>.jsonl next to this script.

Usage:
    python3 build.py            # write the jsonl files, then verify them
    python3 build.py --verify   # only re-read and verify existing files

List-task gold strings are not typed by hand: each task is given by an
anchor (the opening words of the task in the document, optionally located
after a context string) and the first 9 syllables are cut from the
whitespace-collapsed document text, so they are exact substrings.
"""
import json
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

DOC_DIR = Path("/work/shared/data/plans")
OUT_DIR = Path(__file__).resolve().parent
STEMS = ["0124-KH-UBND", "0130-KH-UBND", "159-KH-UBND", "179-KH-UBND",
         "556-KH-UBND", "597-KH-UBND", "624-KH-UBND", "982-KH-UBND"]
N_SYL = 9
F, U, I = "formal", "unaccented", "informal"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def collapse(s):
    return re.sub(r"\s+", " ", nfc(s)).strip()


_DOCS = {}


def doc_text(stem):
    if stem not in _DOCS:
        _DOCS[stem] = collapse((DOC_DIR / f"{stem}.md").read_text(encoding="utf-8"))
    return _DOCS[stem]


def is_syllable(tok):
    return any(ch.isalnum() for ch in tok)


def first_syllables(text, n=N_SYL):
    """Prefix of text (whitespace-collapsed) holding exactly n syllables,
    trailing punctuation of the last syllable stripped."""
    out, count = [], 0
    for tok in text.split(" "):
        out.append(tok)
        if is_syllable(tok):
            count += 1
            if count == n:
                break
    if count < n:
        raise ValueError(f"fewer than {n} syllables: {text[:80]!r}")
    s = " ".join(out)
    while s and not s[-1].isalnum():
        s = s[:-1]
    return s


def task_prefix(stem, anchor, after=None):
    d = doc_text(stem)
    start = 0
    if after is not None:
        a = d.find(collapse(after))
        if a < 0:
            raise ValueError(f"{stem}: context not found: {after!r}")
        start = a + len(collapse(after))
    p = d.find(collapse(anchor), start)
    if p < 0:
        raise ValueError(f"{stem}: anchor not found: {anchor!r} after {after!r}")
    return first_syllables(d[p:p + 2000])


# ---------------------------------------------------------------------------
# Question data.
# content: (style, question, section, section_title, quote)
# deadline: (style, question, kind, due, unit, [ (anchor, after) ... ])
# ---------------------------------------------------------------------------
DATA = {}

DATA["0124-KH-UBND"] = {
    "content": [
        (F, "Chủ đề của Đợt thi đua chào mừng Đại hội XIV do UBND tỉnh Đắk Lắk phát động là gì?",
         "II.1", "Chủ đề thi đua",
         "Lập thành tích chào mừng Đại hội lần thứ XIV của Đảng; tăng tốc, bứt phá, hoàn thành thắng lợi các mục tiêu, nhiệm vụ Nghị quyết đại hội lần thứ XIII của Đảng"),
        (U, "dot thi dua chao mung dai hoi 14 o dak lak co nhung hinh thuc khen thuong nao",
         "III.3", "Hình thức khen thưởng",
         "Huân chương Lao động; Bằng khen của Thủ tướng Chính phủ; Bằng khen của Chủ tịch UBND tỉnh; Giấy khen"),
        (I, "cho e hỏi tiêu chí thi đua vs doanh nghiệp, hộ gia đình trong kh thi đua đại hội 14 là j ạ",
         "III.2.c", "Đối với các Doanh nghiệp, hộ gia đình",
         "Sản xuất kinh doanh hiệu quả, bền vững, hợp pháp. Giải quyết nhiều việc làm, nâng cao thu nhập cho người lao động"),
        (F, "Những đối tượng nào tham gia Đợt thi đua lập thành tích chào mừng Đại hội XIV trên địa bàn tỉnh Đắk Lắk?",
         "III.1", "Đối tượng",
         "Các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc và các tổ chức đoàn thể tỉnh, các địa phương, các đơn vị và doanh nghiệp, tổ chức, cá nhân và các tầng lớp Nhân dân trên địa bàn tỉnh"),
    ],
    "deadline": [
        (F, "Sở Văn hóa, Thể thao và Du lịch phải hoàn thành việc tuyên truyền về Đợt thi đua chào mừng Đại hội XIV trước ngày nào?",
         "none", None, "Sở Văn hóa, Thể thao và Du lịch", []),
        (U, "cac so nganh dia phuong phai xay dung xong ke hoach trien khai dot thi dua chao mung dai hoi 14 truoc ngay nao",
         "none", None, "", []),
        (I, "sở nội vụ bên e tham mưu tổ chức tổng kết, khen thưởng đợt thi đua đh 14 thì có deadline ko ạ",
         "none", None, "Sở Nội vụ", []),
        (U, "mat tran to quoc tinh phoi hop tuyen truyen van dong hoi vien tham gia dot thi dua thi han chot la khi nao",
         "none", None, "Mặt trận Tổ quốc Việt Nam tỉnh", []),
        (F, "Kế hoạch thi đua của tỉnh có ấn định ngày cụ thể để các cơ quan, đơn vị, địa phương báo cáo kết quả Đợt thi đua không?",
         "none", None, "", []),
        (I, "kh thi đua đh 14 có giao hạn cho sở nội vụ hướng dẫn, đôn đốc, tổng hợp bc kết quả đợt thi đua ko v",
         "none", None, "Sở Nội vụ", []),
        (U, "so noi vu chu tri nhung nhiem vu nao trong ke hoach thi dua chao mung dai hoi xiv cua tinh",
         "list", None, "Sở Nội vụ",
         [("Chủ trì, phối hợp với các cơ quan, đơn vị, địa phương, doanh nghiệp tổ chức", "4. Sở Nội vụ"),
          ("Tham mưu, hướng dẫn khen thưởng tổng kết", "4. Sở Nội vụ"),
          ("Tham mưu đề xuất Chủ tịch UBND tỉnh", "4. Sở Nội vụ")]),
    ],
}

DATA["0130-KH-UBND"] = {
    "content": [
        (F, "Sau khi nước lũ rút, các điểm nước tù đọng phải được xử lý trong khoảng thời gian bao lâu?",
         "IV.1.b", "Khơi thông hệ thống thoát nước",
         "Xử lý các điểm nước tù đọng trong 24-48 giờ sau khi nước rút"),
        (U, "ke hoach khac phuc moi truong sau lu huong dan nguoi dan xu ly nuoc sinh hoat bang hoa chat gi",
         "IV.2.a", "Đảm bảo nước sạch",
         "Hướng dẫn hỗ trợ xử lý nước bằng Aquatabs, Chloramine B cho các hộ gia đình"),
        (I, "sau lũ thì mấy bệnh nào lây qua đường tiêu hóa cần để ý v ạ",
         "III.3.a", "Các bệnh lây truyền qua đường tiêu hóa",
         "Tiêu chảy cấp, tả, lỵ trực khuẩn, thương hàn"),
        (U, "kinh phi thuc hien ke hoach phong chong dich benh sau lut bao o dak lak lay tu dau",
         "VI", "KINH PHÍ THỰC HIỆN",
         "Nguồn dự phòng phòng chống thiên tai và dịch bệnh"),
    ],
    "deadline": [
        (F, "Trung tâm Kiểm soát bệnh tật tỉnh phải hoàn thành việc cấp hóa chất Cloramin B và máy phun cho các địa phương trước ngày nào?",
         "none", None, "Trung tâm Kiểm soát bệnh tật tỉnh", []),
        (I, "tổng điều tra lăng quăng sau lũ thì kh có ghi hạn ngày cụ thể ko ạ",
         "none", None, "", []),
        (F, "Kế hoạch có quy định thời hạn để Sở Tài chính tham mưu nguồn kinh phí khắc phục môi trường, xử lý dịch bệnh sau lũ không?",
         "none", None, "Sở Tài chính", []),
        (U, "cac trung tam y te giam sat tuyen xa va bao cao ve so y te thi han chot la ngay nao",
         "none", None, "Trung tâm y tế", []),
        (F, "Sở Nông nghiệp và Môi trường chủ trì những nhiệm vụ nào trong kế hoạch khắc phục môi trường và phòng, chống dịch bệnh sau lụt bão?",
         "list", None, "Sở Nông nghiệp và Môi trường",
         [("Chỉ đạo thu gom rác", "2. Sở Nông nghiệp và Môi trường"),
          ("Hướng dẫn xử lý xác động vật", "2. Sở Nông nghiệp và Môi trường")]),
        (U, "so tai chinh chu tri nhung viec gi trong ke hoach khac phuc moi truong sau lu",
         "list", None, "Sở Tài chính",
         [("Tham mưu nguồn kinh phí", "3. Sở Tài chính:")]),
        (I, "ubnd xã bên e phải chủ trì những việc j theo kh khắc phục môi trường sau lũ v ạ",
         "list", None, "UBND các xã, phường",
         [("Triển khai kế hoạch trên địa bàn", "4. UBND các xã, phường:")]),
    ],
}

DATA["159-KH-UBND"] = {
    "content": [
        (F, "Kế hoạch truyền thông về giảm nghèo đa chiều năm 2025 của thành phố Cần Thơ chú trọng truyền thông cho những nhóm đối tượng nào?",
         "II.1", "Đối tượng thực hiện",
         "chú trọng truyền thông cho nhóm đối tượng hưởng lợi từ Chương trình như người thuộc hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo"),
        (U, "kinh phi thuc hien ke hoach truyen thong giam ngheo cua can tho lay tu nguon nao",
         "IV", "KINH PHÍ THỰC HIỆN",
         "Kinh phí thực hiện từ nguồn ngân sách Trung ương, nguồn ngân sách thành phố và các nguồn huy động, vận động, nguồn hợp pháp khác"),
        (I, "kh truyền thông giảm nghèo có những hình thức tuyên truyền nào v, có làm pa nô băng rôn ko ạ",
         "III.2", "Hình thức",
         "Lắp đặt pa - nô, băng rôn, khẩu hiệu tuyên truyền công tác giảm nghèo"),
        (F, "Kế hoạch truyền thông giảm nghèo của thành phố Cần Thơ tập trung vào những địa bàn nào?",
         "II.2", "Phạm vi thực hiện",
         "trọng tâm là địa bàn có tỷ lệ hộ nghèo cao; địa bàn đang triển khai các dự án thành phần"),
    ],
    "deadline": [
        (F, "Kế hoạch truyền thông về giảm nghèo đa chiều năm 2025 của thành phố Cần Thơ được thực hiện đến thời điểm nào?",
         "date", "2025-12-31", "", []),
        (U, "ubnd xa phai trien khai xong cac hoat dong truyen thong ve chuong trinh giam ngheo ben vung nam 2025 truoc khi nao",
         "date", "2025-12-31", "Ủy ban nhân dân cấp xã", []),
        (I, "sở ngành bên e gửi bc công tác truyền thông giảm nghèo về sở nn&mt hạn chót ngày nào ạ",
         "none", None, "Các Sở, ngành, đơn vị liên quan", []),
        (U, "so nong nghiep va moi truong can tho phai tong hop bao cao tien do ket qua ke hoach truyen thong giam ngheo vao ngay nao",
         "none", None, "Sở Nông nghiệp và Môi trường", []),
        (U, "so van hoa the thao va du lich chu tri nhung nhiem vu nao trong ke hoach truyen thong giam ngheo",
         "list", None, "Sở Văn hóa, Thể thao và Du lịch",
         [("Định hướng, chỉ đạo Báo và Phát thanh", "3. Sở Văn hóa, Thể thao"),
          ("Lồng ghép hoạt động truyền thông", "3. Sở Văn hóa, Thể thao"),
          ("Ứng dụng công nghệ thông tin", "3. Sở Văn hóa, Thể thao")]),
        (F, "Ủy ban nhân dân cấp xã chủ trì những nhiệm vụ nào trong Kế hoạch truyền thông về giảm nghèo đa chiều năm 2025 của thành phố Cần Thơ?",
         "list", None, "Ủy ban nhân dân cấp xã",
         [("Xây dựng kế hoạch và tổ chức triển khai", "6. Ủy ban nhân dân cấp xã"),
          ("Phân bổ kinh phí thực hiện", "6. Ủy ban nhân dân cấp xã"),
          ("Chỉ đạo kiểm tra, giám sát", "6. Ủy ban nhân dân cấp xã"),
          ("Tổng hợp, báo cáo tình hình", "6. Ủy ban nhân dân cấp xã")]),
        (I, "mặt trận tổ quốc tp vs các đoàn thể đc giao chủ trì những việc j trong kh truyền thông giảm nghèo ạ",
         "list", None, "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
         [("Đẩy mạnh công tác tuyên truyền", "4. Đề nghị Ủy ban Mặt trận"),
          ("Tăng cường tuyên truyền, vận động doanh nghiệp", "4. Đề nghị Ủy ban Mặt trận"),
          ("Tiếp tục tổ chức hiệu quả", "4. Đề nghị Ủy ban Mặt trận")]),
    ],
}

DATA["179-KH-UBND"] = {
    "content": [
        (F, "Theo kế hoạch phát triển kinh tế số của tỉnh Đồng Nai, đến năm 2030 tỷ trọng kinh tế số phải đạt bao nhiêu phần trăm GRDP?",
         "II.1.a", "Mục tiêu chung (6 mục tiêu)",
         "Tỷ trọng kinh tế số đạt tối thiểu 30% GRDP"),
        (U, "den nam 2030 dong nai dat muc tieu bao nhieu phan tram nguoi dan co ho so suc khoe dien tu",
         "II.2", "Phát triển xã hội số đến năm 2030 với các mục tiêu (14 mục tiêu)",
         "Tỷ lệ người dân có hồ sơ sức khoẻ điện tử cá nhân đạt 100%"),
        (I, "kh kinh tế số đồng nai có nói j về chuyển đổi AI trong các sở ngành ko ạ",
         "III.1.đ", "Chuyển đổi AI",
         "Mỗi sở, ban, ngành, mỗi lĩnh vực xác định một số bài toán lớn giải quyết bằng AI"),
        (U, "ke hoach kinh te so dong nai giao so nong nghiep va moi truong thu nghiem san giao dich gi",
         "VI.3", "Sở Nông nghiệp và Môi trường",
         "Sàn giao dịch tín chỉ carbon"),
    ],
    "deadline": [
        (F, "Sở Khoa học và Công nghệ phải xây dựng và triển khai kế hoạch thúc đẩy sử dụng nền tảng số quốc gia trên địa bàn tỉnh Đồng Nai trong thời gian nào?",
         "date", "2026-12-31", "Sở Khoa học và Công nghệ", []),
        (I, "việc kiện toàn BCĐ về KHCN, đổi mới sáng tạo, CĐS và Đề án 06 trong kh kinh tế số đồng nai thì hạn khi nào v ạ",
         "date", "2025-12-31", "", []),
        (U, "cac co quan lien quan phai bao cao ket qua thuc hien ke hoach kinh te so xa hoi so dong nai vao ngay nao",
         "none", None, "", []),
        (F, "Sở Khoa học và Công nghệ Đồng Nai phải báo cáo UBND tỉnh và Bộ Khoa học và Công nghệ tình hình thực hiện Kế hoạch kinh tế số vào ngày nào?",
         "none", None, "Sở Khoa học và Công nghệ", []),
        (U, "so xay dung chu tri nhung nhiem vu nao trong ke hoach phat trien kinh te so va xa hoi so giai doan 2026 2030",
         "list", None, "Sở Xây dựng",
         [("Triển khai chiến lược, kế hoạch chuyển đổi số, lộ trình số hoá và thông minh hoá lĩnh vực giao thông", None),
          ("Triển khai hệ thống quản lý phương tiện giao thông", None),
          ("Triển khai giải pháp bãi đỗ xe thông minh", None),
          ("Chủ trì, phối hợp với các bộ, ngành, địa phương", "13. Sở Xây dựng:**")]),
        (F, "Bảo hiểm xã hội tỉnh Đồng Nai chủ trì những nhiệm vụ nào trong Kế hoạch phát triển kinh tế số và xã hội số giai đoạn 2026 - 2030?",
         "list", None, "Bảo hiểm xã hội tỉnh",
         [("Triển khai, cập nhật, duy trì, khai thác và sử dụng Cơ sở dữ liệu quốc gia về bảo hiểm", None)]),
        (I, "ngân hàng nhà nước chi nhánh KV II đc giao chủ trì những việc j trong kh kinh tế số đồng nai ạ",
         "list", None, "Ngân hàng nhà nước Việt Nam - Chi nhánh Khu vực II",
         [("Triển khai Đề án phát triển thanh toán không dùng tiền mặt", "9.1 |"),
          ("Chủ trì, phối hợp triển khai các nhiệm vụ", "Chi nhánh Khu vực II:**")]),
    ],
}

DATA["556-KH-UBND"] = {
    "content": [
        (F, "Theo kế hoạch thực hiện Nghị quyết 48/NQ-CP của tỉnh Đồng Tháp, đến năm 2030 diện tích rừng ngập mặn ven biển phải đạt bao nhiêu?",
         "III.5", "Bảo tồn đa dạng sinh học và nguồn lợi biển",
         "Phục hồi và phát triển rừng ngập mặn, diện tích rừng ngập mặn đến năm 2030 đạt 1.700 ha"),
        (U, "nhung chien dich tuyen truyen cao diem hang nam ve bien va hai dao gom nhung ngay nao",
         "III.1", "Công tác quán triệt, tuyên truyền, phổ biến thông tin để triển khai thực hiện Nghị quyết số 48/NQ-CP",
         "Ngày Môi trường thế giới (05/6), Ngày Đại dương thế giới (08/6), Tuần lễ Biển và Hải đảo Việt Nam (01 - 08/6)"),
        (I, "kh biển đảo của tỉnh đặt mục tiêu thu gom rác thải nhựa ở bãi biển tới 2030 là bn % v ạ",
         "III.4", "Bảo vệ môi trường biển và hải đảo",
         "Đến năm 2030, tỷ lệ thu gom, xử lý rác thải nhựa tại các bãi biển, khu du lịch biển đạt 100%"),
        (U, "so cong thuong duoc giao moi goi dau tu khu vuc dien gio nao cong suat bao nhieu",
         "IV.3", "Sở Công Thương",
         "Mời gọi đầu tư phát triển Khu vực điện gió Tân Thành với công suất 100 MW"),
    ],
    "deadline": [
        (F, "Các đơn vị, địa phương phải gửi báo cáo kết quả thực hiện năm 2025 của Kế hoạch khai thác, sử dụng bền vững tài nguyên, bảo vệ môi trường biển và hải đảo chậm nhất vào ngày nào?",
         "date", "2025-12-17", "", []),
        (I, "công an tỉnh bên e làm nhiệm vụ phòng ngừa, xử lý vi phạm khai thác tài nguyên biển thì kh có đặt deadline ko ạ",
         "none", None, "Công an tỉnh", []),
        (U, "so noi vu xac dinh cong bo ranh gioi quan ly hanh chinh tren bien giua cac xa co bien thi phai xong truoc ngay nao",
         "none", None, "Sở Nội vụ", []),
        (F, "Sở Văn hóa, Thể thao và Du lịch có thời hạn cụ thể nào để đẩy mạnh phát triển tuyến du lịch sinh thái tại khu vực Cồn Ngang không?",
         "none", None, "Sở Văn hóa, Thể thao và Du lịch", []),
        (U, "so khoa hoc va cong nghe chu tri nhung nhiem vu gi trong ke hoach bao ve moi truong bien va hai dao",
         "list", None, "Sở Khoa học và Công nghệ",
         [("Chủ trì, phối hợp với các sở, ngành, địa phương", "5. Sở Khoa học và Công nghệ**"),
          ("Chủ trì, phối hợp với các sở, ban, ngành và địa phương", "5. Sở Khoa học và Công nghệ**")]),
        (F, "Sở Công Thương chủ trì những nhiệm vụ nào theo Kế hoạch thực hiện Nghị quyết số 48/NQ-CP của tỉnh Đồng Tháp?",
         "list", None, "Sở Công Thương",
         [("Chủ trì, phối hợp với các sở, ngành, địa phương", "3. Sở Công Thương**"),
          ("Tiếp tục vận hành, khai thác", "3. Sở Công Thương**")]),
        (I, "ban quản lý khu kinh tế tỉnh đc giao chủ trì những việc j trong kh biển đảo v ạ",
         "list", None, "Ban Quản lý Khu kinh tế tỉnh",
         [("Chủ trì, phối hợp với các sở, ngành, địa phương", "11. Ban Quản lý Khu kinh tế tỉnh**")]),
    ],
}

DATA["597-KH-UBND"] = {
    "content": [
        (F, "Kế hoạch chuyển đổi số hạ tầng giao thông của tỉnh Đồng Tháp đặt mục tiêu bao nhiêu phần trăm thủ tục hành chính lĩnh vực xây dựng, giao thông được cung cấp dịch vụ công trực tuyến?",
         "II.2", "Mục tiêu cụ thể đến năm 2030",
         "Phấn đấu đảm bảo 100% thủ tục hành chính lĩnh vực xây dựng, giao thông đủ điều kiện đều được cung cấp dịch vụ công trực tuyến toàn Tỉnh"),
        (U, "ke hoach chuyen doi so giao thong dong thap se trien khai nhung he thong thu phi nao",
         "III.4.6", "Nền tảng quản lý thu phí, thanh toán điện tử trong giao thông",
         "Hệ thống thu phí điện tử không dừng đối với các phương tiện tham gia giao thông đường bộ"),
        (I, "cty e làm xây dựng thì theo kh chuyển đổi số giao thông cần làm j ạ, có phải dùng BIM ko",
         "V.7", "Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải, logistics và công nghệ thông tin trên địa bàn Tỉnh",
         "Ứng dụng mô hình BIM, GIS, IoT, quản lý phương tiện, kho bãi, bảo trì công trình trên nền tảng số"),
        (U, "dong thap se gan cam bien iot o dau de giam sat cau duong",
         "III.4.3", "Ứng dụng IoT, AI và dữ liệu lớn trong giám sát, vận hành và bảo trì hạ tầng giao thông",
         "Nghiên cứu, ứng dụng IoT gắn cảm biến tại các cầu, đường trọng điểm để giám sát tải trọng, lún nứt"),
    ],
    "deadline": [
        (F, "Các cơ quan, đơn vị phải gửi báo cáo kết quả thực hiện năm 2026 của Kế hoạch chuyển đổi số trong hoạt động xây dựng, quản lý, khai thác kết cấu hạ tầng giao thông trước ngày nào?",
         "date", "2026-11-30", "", []),
        (I, "sở xd có phải số hóa xong hồ sơ, bản đồ hạ tầng giao thông trc ngày nào ko ạ",
         "none", None, "Sở Xây dựng", []),
        (U, "so nong nghiep va moi truong chia se du lieu dat dai ban do dia chinh cho co so du lieu giao thong thi han khi nao",
         "none", None, "Sở Nông nghiệp và Môi trường", []),
        (F, "Ủy ban nhân dân cấp xã phải hoàn thành việc số hóa hồ sơ, dữ liệu về hoạt động xây dựng và hạ tầng giao thông trên địa bàn trước thời hạn nào?",
         "none", None, "Ủy ban nhân dân cấp xã", []),
        (U, "so khoa hoc va cong nghe ho tro dao tao can bo ve quan tri du lieu trong ke hoach chuyen doi so giao thong co moc thoi gian khong",
         "none", None, "Sở Khoa học và Công nghệ", []),
        (F, "Sở Tài chính chủ trì những nhiệm vụ nào trong Kế hoạch chuyển đổi số trong hoạt động xây dựng, quản lý, khai thác kết cấu hạ tầng giao thông?",
         "list", None, "Sở Tài chính",
         [("Phân bổ ngân sách hợp lý", "3. Sở Tài chính**"),
          ("Tăng cường công tác giám sát và kiểm tra", "3. Sở Tài chính**")]),
        (I, "công an tỉnh đc giao chủ trì những việc j trong kh chuyển đổi số giao thông v ạ",
         "list", None, "Công an Tỉnh",
         [("Chủ trì tham mưu triển khai", "5. Công an Tỉnh**"),
          ("Dữ liệu từ hệ thống camera giám sát", "5. Công an Tỉnh**"),
          ("Hướng dẫn và giám sát an toàn thông tin mạng", "5. Công an Tỉnh**")]),
    ],
}

DATA["624-KH-UBND"] = {
    "content": [
        (F, "Đến năm 2035, Hà Tĩnh phấn đấu bao nhiêu phần trăm trẻ từ 06 đến 36 tháng tuổi là con công nhân ở địa bàn có khu công nghiệp có nhu cầu được đến trường, lớp?",
         "II.2.a", "Đối với trẻ em",
         "Phấn đấu 100% trẻ em từ 06 tháng đến 36 tháng tuổi là con công nhân, người lao động có nhu cầu được đến trường, lớp"),
        (U, "nhung phuong nao o ha tinh duoc chon de xay dung mo hinh giao duc mam non phu hop dac thu dia phuong",
         "II.2.c", "Đối với cơ sở giáo dục mầm non",
         "các phường: Sông Trí, Thành Sen, Hà Huy Tập, Bắc Hồng Lĩnh, Nam Hồng Lĩnh"),
        (I, "kh mầm non khu công nghiệp có khuyến khích dn chi trả tiền gửi trẻ cho công nhân ko ạ",
         "III.4", "Huy động nguồn lực xã hội hóa gắn với trách nhiệm doanh nghiệp và đẩy mạnh hợp tác quốc tế",
         "chi trả một phần chi phí gửi trẻ cho người lao động có con trong lứa tuổi mầm non"),
        (F, "Mô hình hợp tác công tư nào được áp dụng với các đơn vị cung cấp dịch vụ giáo dục mầm non ngoài công lập theo kế hoạch của tỉnh Hà Tĩnh?",
         "III.2", "Đa dạng mô hình giáo dục mầm non phù hợp đặc thù địa bàn đô thị",
         "theo hình thức Hợp đồng kinh doanh - quản lý (O&M)"),
    ],
    "deadline": [
        (F, "Ủy ban nhân dân các xã, phường phải ban hành kế hoạch triển khai Chương trình nâng cao chất lượng giáo dục mầm non tại địa phương trước ngày nào?",
         "none", None, "Ủy ban nhân dân các xã, phường", []),
        (U, "so noi vu kiem tra viec thuc hien quy dinh ve dich vu giao duc mam non cho con cong nhan thi han chot la khi nao",
         "none", None, "Sở Nội vụ", []),
        (I, "mặt trận tổ quốc tỉnh hướng dẫn công đoàn cơ sở ký thỏa ước hỗ trợ tiền gửi trẻ thì có deadline ko ạ",
         "none", None, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", []),
        (U, "so y te phoi hop trien khai noi dung cham soc suc khoe tre mam non o khu cong nghiep co thoi han khong",
         "none", None, "Sở Y tế", []),
        (F, "Sở Xây dựng chủ trì những nhiệm vụ nào trong Kế hoạch nâng cao chất lượng giáo dục mầm non ở địa bàn đô thị, khu công nghiệp của tỉnh Hà Tĩnh?",
         "list", None, "Sở Xây dựng",
         [("Tăng cường công tác chỉ đạo, rà soát", "6. Sở Xây dựng"),
          ("Chủ trì, phối hợp với các đơn vị liên quan", "6. Sở Xây dựng")]),
        (U, "so tai chinh chu tri nhung nhiem vu nao trong ke hoach giao duc mam non khu cong nghiep",
         "list", None, "Sở Tài chính",
         [("Chủ trì, phối hợp với Sở Giáo dục", "4. Sở Tài chính")]),
        (I, "sở nn&mt bên e đc giao chủ trì việc j trong kh mầm non đô thị, kcn v ạ",
         "list", None, "Sở Nông nghiệp và Môi trường",
         [("Tăng cường công tác quy hoạch", "7. Sở Nông nghiệp và Môi trường")]),
    ],
}

DATA["982-KH-UBND"] = {
    "content": [
        (F, "Theo kế hoạch của UBND tỉnh Nghệ An, Đợt thi đua chào mừng Đại hội XIV được triển khai trong khoảng thời gian nào?",
         "V.1", "Thời gian thực hiện",
         "Đợt thi đua được triển khai thực hiện từ ngày ban hành Kế hoạch đến khi tổ chức thành công Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"),
        (U, "viec xet khen thuong trong dot thi dua chao mung dai hoi 14 cua nghe an can cu vao dau",
         "III.2.b", "Tiêu chuẩn khen thưởng",
         "Các cơ quan, đơn vị căn cứ thành tích trong tổ chức, thực hiện Đợt thi đua để bình xét khen thưởng"),
        (I, "đợt thi đua đh 14 ở nghệ an có mấy hình thức khen thưởng v ạ",
         "III.2.a", "Hình thức khen thưởng",
         "Huân chương Lao động; - Bằng khen của Thủ tướng Chính phủ; - Bằng khen của Chủ tịch UBND tỉnh; - Giấy khen"),
        (U, "cac co quan don vi o nghe an thi dua chao mung ky niem bao nhieu nam ngay tong tuyen cu dau tien",
         "III.1.c", "Đối với các cơ quan, đơn vị trên địa bàn tỉnh",
         "Kỷ niệm 80 năm ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam"),
    ],
    "deadline": [
        (F, "Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An có thời hạn cụ thể nào để chỉ đạo các cơ quan truyền thông tuyên truyền về Đợt thi đua không?",
         "none", None, "Sở Văn hóa, Thể thao và Du lịch", []),
        (U, "cac co quan don vi phai phat dong trien khai dot thi dua chao mung dai hoi xiv truoc ngay nao",
         "none", None, "", []),
        (I, "mttq tỉnh vận động thực hiện chính sách an sinh xã hội trong đợt thi đua thì kh có ghi hạn ko ạ",
         "none", None, "Ủy ban Mặt trận Tổ quốc tỉnh", []),
        (F, "Kế hoạch có quy định thời hạn để Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua chào mừng Đại hội XIV không?",
         "none", None, "Sở Nội vụ", []),
        (U, "hoi dong thi dua khen thuong cac cap phai phan cong trach nhiem cac thanh vien truoc ngay nao",
         "none", None, "Hội đồng Thi đua - Khen thưởng các cấp", []),
        (F, "Sở Nội vụ tỉnh Nghệ An được giao chủ trì những nhiệm vụ nào trong Kế hoạch triển khai Đợt thi đua chào mừng Đại hội XIV?",
         "list", None, "Sở Nội vụ",
         [("Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua", None)]),
        (I, "hội đồng tđkt các cấp đc giao những việc j trong kh thi đua đh 14 ạ",
         "list", None, "Hội đồng Thi đua - Khen thưởng các cấp",
         [("Hội đồng Thi đua - Khen thưởng các cấp phân công", None)]),
    ],
}


# ---------------------------------------------------------------------------
def build():
    for stem in STEMS:
        d = DATA[stem]
        rows = []
        for n, (style, q, sec, title, quote) in enumerate(d["content"], 1):
            rows.append({"id": f"{stem}-c{n}", "doc": f"{stem}.md", "type": "content",
                         "question": nfc(q), "style": style, "gold_section": sec,
                         "gold_section_title": nfc(title), "gold_quote": nfc(quote)})
        for n, (style, q, kind, due, unit, tasks) in enumerate(d["deadline"], 1):
            gold = {"answer": kind, "due": due, "unit": nfc(unit),
                    "tasks": [task_prefix(stem, a, ctx) for a, ctx in tasks]}
            rows.append({"id": f"{stem}-d{n}", "doc": f"{stem}.md", "type": "deadline",
                         "question": nfc(q), "style": style, "gold": gold})
        with open(OUT_DIR / f"questions_{stem}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------
ID_RE = re.compile(r"^(?P<stem>[0-9]+-(?:KH|CT)-UBND)-(?P<kind>[cd])(?P<n>[1-9][0-9]*)$")
SEC_RE = re.compile(r"^[IVXLC]+(\.[0-9]+)*(\.[a-zđ])?$")
CONTENT_KEYS = ["id", "doc", "type", "question", "style", "gold_section",
                "gold_section_title", "gold_quote"]
DEADLINE_KEYS = ["id", "doc", "type", "question", "style", "gold"]
GOLD_KEYS = ["answer", "due", "unit", "tasks"]


def n_syllables(s):
    return sum(1 for t in s.split() if is_syllable(t))


def verify():
    errors = []
    seen = set()
    stats = {}

    def err(msg):
        errors.append(msg)

    for stem in STEMS:
        path = OUT_DIR / f"questions_{stem}.jsonl"
        raw = path.read_bytes().decode("utf-8")
        if raw != nfc(raw):
            err(f"{path.name}: not NFC")
        doc = doc_text(stem)
        n_content = n_deadline = 0
        for ln, line in enumerate(raw.splitlines(), 1):
            where = f"{path.name}:{ln}"
            r = json.loads(line)
            rid = r.get("id", "")
            m = ID_RE.match(rid)
            if not m or m.group("stem") != stem:
                err(f"{where}: bad id {rid!r}")
            if rid in seen:
                err(f"{where}: duplicate id {rid}")
            seen.add(rid)
            if r.get("doc") != f"{stem}.md":
                err(f"{where}: bad doc")
            style = r.get("style")
            if style not in (F, U, I):
                err(f"{where}: bad style {style}")
            q = r.get("question", "")
            if not q.strip():
                err(f"{where}: empty question")
            if style == U and not re.fullmatch(r"[a-z0-9 ,.?&/%()\-:]+", q):
                err(f"{where}: unaccented question not pure lowercase ascii: {q!r}")
            if style == F and q == q.lower():
                err(f"{where}: formal question has no capitals")
            typ = r.get("type")
            stats.setdefault(stem, {}).setdefault(typ, {}).setdefault(style, 0)
            stats[stem][typ][style] += 1
            if typ == "content":
                n_content += 1
                if list(r) != CONTENT_KEYS:
                    err(f"{where}: key order {list(r)}")
                if m and m.group("kind") != "c":
                    err(f"{where}: content id must use c")
                if not SEC_RE.match(r["gold_section"]):
                    err(f"{where}: bad gold_section {r['gold_section']!r}")
                for k in ("gold_section_title", "gold_quote"):
                    if collapse(r[k]) not in doc:
                        err(f"{where}: {k} not in document: {r[k]!r}")
                # the title must occur as a heading of the section: check that
                # the last component of gold_section precedes it
                last = r["gold_section"].split(".")[-1]
                t = collapse(r["gold_section_title"])
                if not re.search(re.escape(last) + r"[.)]\s*(\*{1,2}\s*)?" + re.escape(t), doc):
                    err(f"{where}: title not found after its number {last}: {t!r}")
            elif typ == "deadline":
                n_deadline += 1
                if list(r) != DEADLINE_KEYS:
                    err(f"{where}: key order {list(r)}")
                if m and m.group("kind") != "d":
                    err(f"{where}: deadline id must use d")
                g = r["gold"]
                if list(g) != GOLD_KEYS:
                    err(f"{where}: gold key order {list(g)}")
                ans = g.get("answer")
                if ans not in ("date", "none", "list"):
                    err(f"{where}: bad answer {ans}")
                if ans == "date":
                    try:
                        date.fromisoformat(g["due"])
                        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["due"]):
                            raise ValueError
                    except Exception:
                        err(f"{where}: due not ISO date: {g['due']!r}")
                elif g.get("due") is not None:
                    err(f"{where}: due must be null for {ans}")
                unit = g.get("unit")
                if not isinstance(unit, str):
                    err(f"{where}: unit must be a string")
                elif unit and collapse(unit) not in doc:
                    err(f"{where}: unit not in document: {unit!r}")
                tasks = g.get("tasks")
                if ans == "list":
                    if not unit:
                        err(f"{where}: list needs a unit")
                    if not tasks or not (1 <= len(tasks) <= 8):
                        err(f"{where}: list needs 1-8 tasks")
                    if len(set(map(collapse, tasks))) != len(tasks) and stem != "179-KH-UBND":
                        pass  # identical 9-syllable openings are allowed
                    for t in tasks:
                        if collapse(t) not in doc:
                            err(f"{where}: task not in document: {t!r}")
                        if n_syllables(t) != N_SYL:
                            err(f"{where}: task has {n_syllables(t)} syllables: {t!r}")
                        if "*" in t or "|" in t:
                            err(f"{where}: markup in task: {t!r}")
                elif tasks != []:
                    err(f"{where}: tasks must be [] for {ans}")
            else:
                err(f"{where}: bad type {typ}")
        if n_content != 4 or n_deadline != 7:
            err(f"{path.name}: {n_content} content / {n_deadline} deadline (want 4/7)")
    return errors, stats


def main():
    if "--verify" not in sys.argv:
        build()
    errors, stats = verify()
    for stem in STEMS:
        s = stats.get(stem, {})
        print(stem, json.dumps(s, ensure_ascii=False, sort_keys=True))
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
