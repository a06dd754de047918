#!/usr/bin/env python3
"""Held-out evaluation set (heldout18) for plan / directive question answering.

Written only from the published documents in $PLANS_DIR (default
/work/shared/data/plans); no project code or data was read.

    python3 build.py          write questions_<stem>.jsonl, then verify them
    python3 build.py --check  verify the existing files only

Exits non-zero on any problem.  Shared 13-word runs with the document and a
few soft style heuristics are reported as warnings.
"""
import calendar
import hashlib
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PLANS_DIR = os.environ.get("PLANS_DIR") or "/work/shared/data/plans"
SHA_FILE = os.path.normpath(os.path.join(HERE, "..", "HELDOUT18_plans.sha256"))

CONTENT_KEYS = ["id", "doc", "type", "question", "style",
                "gold_section", "gold_section_title", "gold_quote"]
DEADLINE_KEYS = ["id", "doc", "type", "question", "style", "kind",
                 "gold_due", "gold_deadline_text", "gold_tasks", "gold_lead"]
STYLES = ("formal", "unaccented", "informal")
KINDS = ("date", "none", "list")


def C(question, style, section, title, quote):
    return {"type": "content", "question": question, "style": style,
            "gold_section": section, "gold_section_title": title,
            "gold_quote": quote}


def D(question, style, kind, due, text, tasks, lead):
    return {"type": "deadline", "question": question, "style": style,
            "kind": kind, "gold_due": due, "gold_deadline_text": text,
            "gold_tasks": tasks, "gold_lead": lead}


# ---------------------------------------------------------------------------
# DATA: per document, 3 content questions then 7 deadline questions.
# ---------------------------------------------------------------------------
DATA = {}

# 0124/KH-UBND  Đắk Lắk - đợt thi đua chào mừng Đại hội XIV của Đảng
DATA["0124-KH-UBND"] = [
    C("Trong kế hoạch phát động đợt thi đua chào mừng Đại hội XIV của Đảng do "
      "UBND tỉnh Đắk Lắk ban hành, những hình thức khen thưởng nào được áp dụng?",
      "formal", "III.3", "Hình thức khen thưởng",
      "Huân chương Lao động; Bằng khen của Thủ tướng Chính phủ; Bằng khen của "
      "Chủ tịch UBND tỉnh; Giấy khen"),
    C("Ke hoach 0124/KH-UBND cua Dak Lak ve dot thi dua chao mung Dai hoi XIV "
      "yeu cau Mat tran To quoc tinh dac biet giam sat viec gi?",
      "unaccented", "III.2.b",
      "Đối với Ủy ban Mặt trận tổ quốc Việt Nam tỉnh, các tổ chức chính trị-xã hội",
      "giám sát quá trình vận hành bộ máy chính quyền theo mô hình chính quyền "
      "địa phương hai cấp"),
    C("đợt thi đua chào mừng ĐH XIV bên Đắk Lắk có nd gì liên quan hạ tầng, "
      "nông thôn mới k mn?",
      "informal", "II.3.d", "Nội dung thi đua",
      "Thi đua hoàn thành, hoàn thành vượt mức các công trình kết cấu hạ tầng, "
      "xây dựng đô thị văn minh, hiện đại"),
    D("Đợt thi đua chào mừng Đại hội XIV của Đảng do UBND tỉnh Đắk Lắk phát động "
      "bắt đầu từ khi nào và kéo dài đến thời điểm nào?",
      "formal", "date", None,
      "Từ tháng 10/2025 đến khi tổ chức thành công Đại hội Đại biểu toàn quốc "
      "lần thứ XIV của Đảng",
      ["Đợt thi đua lập thành tích chào mừng Đại hội lần thứ XIV của Đảng"], None),
    D("Theo tieu chi dot thi dua chao mung Dai hoi XIV o Dak Lak, cac so nganh va "
      "UBND xa phuong phai vuot chi tieu kinh te - xa hoi cua moc thoi gian nao?",
      "unaccented", "date", "2025-12-31", "năm 2025",
      ["Hoàn thành vượt mức các chỉ tiêu phát triển kinh tế - xã hội năm 2025"],
      "các sở, ban, ngành, UBND các xã, phường"),
    D("Sở VH-TT-DL Đắk Lắk tuyên truyền về đợt thi đua chào mừng ĐH XIV thì "
      "hạn chót khi nào v?",
      "informal", "none", None, None, None,
      "Sở Văn hóa, Thể thao và Du lịch"),
    D("Theo kế hoạch thi đua chào mừng Đại hội XIV của tỉnh Đắk Lắk, các cơ quan, "
      "đơn vị phải gửi báo cáo kết quả đợt thi đua về UBND tỉnh trước ngày nào?",
      "formal", "none", None, None, None, None),
    D("So Noi vu Dak Lak co moc thoi gian cu the nao de tham muu to chuc tong "
      "ket, khen thuong dot thi dua chao mung Dai hoi XIV khong?",
      "unaccented", "none", None, None, None, "Sở Nội vụ"),
    D("Hãy liệt kê các nhiệm vụ mà Sở Nội vụ được giao trong kế hoạch phát động "
      "đợt thi đua chào mừng Đại hội XIV của UBND tỉnh Đắk Lắk.",
      "formal", "list", None, None,
      ["tổ chức triển khai thực hiện Kế hoạch này",
       "Tham mưu, hướng dẫn khen thưởng tổng kết và tổ chức tổng kết",
       "Tham mưu đề xuất Chủ tịch UBND tỉnh và cấp thẩm quyền khen thưởng"],
      "Sở Nội vụ"),
    D("các cơ quan, đơn vị, đp, dn ở Đắk Lắk phải làm những nv gì trong đợt thi "
      "đua chào mừng ĐH XIV vậy mn?",
      "informal", "list", None, None,
      ["xây dựng kế hoạch triển khai thực hiện đợt thi đua",
       "Giới thiệu điển hình tiên tiến trong Đợt thi đua",
       "Khen thưởng theo thẩm quyền và đề nghị khen thưởng",
       "Báo cáo Ủy ban nhân dân tỉnh về kết quả Đợt thi đua"],
      "Các cơ quan, đơn vị, địa phương, doanh nghiệp"),
]

# 0130/KH-UBND  Đắk Lắk - khắc phục môi trường, phòng chống dịch sau lụt bão
DATA["0130-KH-UBND"] = [
    C("Kế hoạch khắc phục môi trường và phòng, chống dịch bệnh sau lụt bão của "
      "tỉnh Đắk Lắk được chi từ những nguồn kinh phí nào?",
      "formal", "VI", "KINH PHÍ THỰC HIỆN",
      "Từ ngân sách tỉnh, ngân sách địa phương theo phân cấp. - Nguồn dự phòng "
      "phòng chống thiên tai và dịch bệnh. - Hỗ trợ từ trung ương, tổ chức quốc "
      "tế và các nguồn hợp pháp khác"),
    C("kh khắc phục mt sau lũ của Đắk Lắk: TT Kiểm soát bệnh tật tỉnh cấp những "
      "hóa chất gì để tiêu độc v?",
      "informal", "IV.1.c", "Tiêu độc, khử trùng môi trường",
      "cấp hóa chất Cloramin B, Chlorine 70%, máy phun"),
    C("Ke hoach 0130/KH-UBND cua Dak Lak danh gia sau lut bao co nhung benh lay "
      "tu dong vat sang nguoi nao?",
      "unaccented", "III.3.c", "Các bệnh lây truyền từ động vật sang người",
      "Leptospirosis (nhiễm xoắn khuẩn)"),
    D("Theo kế hoạch khắc phục môi trường sau lụt bão của tỉnh Đắk Lắk, các điểm "
      "nước tù đọng phải được xử lý trong khoảng thời gian nào?",
      "formal", "date", None, "trong 24-48 giờ sau khi nước rút",
      ["Xử lý các điểm nước tù đọng"], None),
    D("tổng điều tra lăng quăng sau lũ ở Đắk Lắk làm lúc nào v mn?",
      "informal", "date", None, "ngay khi nước rút",
      ["Tổng điều tra lăng quăng"], None),
    D("Cac Trung tam y te phai bao cao giam sat tuyen xa theo tan suat nao trong "
      "ke hoach phong chong dich sau lut bao cua Dak Lak?",
      "unaccented", "date", None, "hằng ngày",
      ["Các Trung tâm y tế giám sát tuyến xã"], "Các Trung tâm y tế"),
    D("Sở Tài chính tỉnh Đắk Lắk phải tham mưu nguồn kinh phí khắc phục môi "
      "trường, xử lý dịch bệnh sau lụt bão trước thời hạn nào?",
      "formal", "none", None, None, None, "Sở Tài chính"),
    D("UBND cac xa, phuong o Dak Lak co han chot nao de to chuc tong ve sinh moi "
      "truong sau lut bao khong?",
      "unaccented", "none", None, None, None, "UBND các xã, phường"),
    D("Tại phần tổ chức thực hiện của kế hoạch khắc phục môi trường và phòng, "
      "chống dịch bệnh sau lụt bão tỉnh Đắk Lắk, Sở Y tế được giao những nhiệm vụ gì?",
      "formal", "list", None, None,
      ["Chủ trì triển khai kế hoạch",
       "Tổ chức hướng dẫn, xử lý môi trường, xử lý dịch bệnh và đảm bảo an toàn thực phẩm",
       "Trực tiếp chỉ đạo các Cơ sở y tế trên địa bàn tỉnh"],
      "Sở Y tế"),
    D("Sở NN&MT Đắk Lắk có những nv gì trong kh khắc phục mt, chống dịch sau lũ z?",
      "informal", "list", None, None,
      ["Chỉ đạo thu gom rác, xử lý môi trường, nước sạch",
       "Hướng dẫn xử lý xác động vật"],
      "Sở Nông nghiệp và Môi trường"),
]

# 0134/KH-UBND  Đắk Lắk - quan trắc môi trường nuôi trồng thủy sản 2026-2030
DATA["0134-KH-UBND"] = [
    C("Tổng dự toán kinh phí quan trắc, cảnh báo môi trường vùng nuôi trồng thủy "
      "sản của tỉnh Đắk Lắk cho cả giai đoạn 2026 - 2030 là bao nhiêu?",
      "formal", "III.2", "DỰ TOÁN KINH PHÍ THỰC HIỆN",
      "1.500.000.000 đồng/năm x 05 năm = 7.500.000.000 đồng"),
    C("Vung nuoi tom hum long be o Dak Lak duoc quan trac tai nhung dia diem nao "
      "theo ke hoach 0134/KH-UBND?",
      "unaccented", "II.1.1.2.b", "Địa điểm, số điểm quan trắc",
      "Vùng NTTS lồng, bè thuộc đầm Cù Mông và vịnh Xuân Đài"),
    C("kh quan trắc mt nuôi trồng thủy sản Đắk Lắk: mỗi năm tổ chức mấy hội nghị "
      "tuyên truyền, bn đại biểu v?",
      "informal", "II.3",
      "Hội nghị phổ biến, tuyên truyền, vận động người dân, hướng dẫn biện pháp "
      "xử lý về môi trường và các quy định của pháp luật khác có liên quan",
      "02 hội nghị/năm × 50 đại biểu/hội nghị"),
    D("Kế hoạch quan trắc, cảnh báo môi trường tại các vùng nuôi trồng thủy sản "
      "tỉnh Đắk Lắk được thực hiện đến năm nào?",
      "formal", "date", "2030-12-31", "Từ năm 2026 - 2030",
      ["quan trắc, cảnh báo môi trường tại một số vùng nuôi trồng thủy sản"], None),
    D("Quan trac moi truong vung nuoi tom nuoc lo (tom the chan trang, tom su) o "
      "Dak Lak duoc thuc hien vao khoang thoi gian nao trong nam?",
      "unaccented", "date", None, "Từ tháng 3 đến tháng 11 hàng năm",
      ["vùng nuôi tôm nước lợ (đối tượng nuôi tôm thẻ chân trắng, tôm sú)"],
      "Sở Nông nghiệp và Môi trường"),
    D("Sở NN&MT Đắk Lắk xd kế hoạch quan trắc, cảnh báo mt vùng nuôi thủy sản "
      "theo chu kỳ nào v?",
      "informal", "date", None, "hàng năm",
      ["xây dựng Kế hoạch quan trắc, cảnh báo môi trường hàng năm"],
      "Sở Nông nghiệp và Môi trường"),
    D("Sở Tài chính tỉnh Đắk Lắk phải tham mưu bố trí dự toán kinh phí cho việc "
      "quan trắc môi trường nuôi trồng thủy sản vào thời hạn nào?",
      "formal", "none", None, None, None, "Sở Tài chính"),
    D("quan trắc mt đột xuất vùng nuôi thủy sản ở Đắk Lắk có lịch cố định ko "
      "hay khi nào mới làm?",
      "informal", "none", None, None, None, "Sở Nông nghiệp và Môi trường"),
    D("Hãy liệt kê các nhiệm vụ của UBND các xã, phường trong kế hoạch quan trắc, "
      "cảnh báo môi trường vùng nuôi trồng thủy sản tỉnh Đắk Lắk.",
      "formal", "list", None, None,
      ["Tổ chức hướng dẫn, vận động các cơ sở NTTS thực hiện các biện pháp bảo vệ môi trường",
       "Chủ động bố trí nguồn ngân sách của địa phương",
       "Kiểm tra, xử lý các cơ sở, cá nhân vi phạm cam kết",
       "phổ biến kịp thời kết quả quan trắc, cảnh báo môi trường"],
      "UBND các xã/phường"),
    D("So Nong nghiep va Moi truong Dak Lak duoc giao nhung nhiem vu gi trong ke "
      "hoach quan trac moi truong nuoi trong thuy san 2026-2030?",
      "unaccented", "list", None, None,
      ["Tham mưu UBND tỉnh lựa chọn hình thức phù hợp",
       "Chủ trì, chỉ đạo các đơn vị trực thuộc triển khai thực hiện kế hoạch",
       "Chủ trì, phối hợp thực hiện chức năng quản lý, bảo vệ môi trường các vùng NTTS",
       "Phối hợp với các cơ quan, đơn vị liên quan thực hiện hiệu quả các chương trình quan trắc",
       "Tổng hợp kết quả thực hiện, định kỳ báo cáo UBND tỉnh",
       "Xây dựng, hướng dẫn thực hiện lịch mùa vụ",
       "Phối hợp với các cơ quan liên quan hướng dẫn người dân, doanh nghiệp",
       "Triển khai hướng dẫn các biện pháp phòng trị bệnh trong NTTS",
       "Tổ chức tập huấn về kỹ thuật nuôi"],
      "Sở Nông nghiệp và Môi trường"),
]

# 159/KH-UBND  Cần Thơ - truyền thông giảm nghèo đa chiều năm 2025
DATA["159-KH-UBND"] = [
    C("Kế hoạch truyền thông về giảm nghèo đa chiều của thành phố Cần Thơ năm "
      "2025 được triển khai trên phạm vi nào và tập trung vào những địa bàn nào?",
      "formal", "II.2", "Phạm vi thực hiện",
      "trên phạm vi toàn thành phố, trọng tâm là địa bàn có tỷ lệ hộ nghèo cao; "
      "địa bàn đang triển khai các dự án thành phần"),
    C("kh truyền thông giảm nghèo đa chiều ở Cần Thơ ưu tiên truyền thông cho "
      "nhóm đối tượng nào v mn?",
      "informal", "II.1", "Đối tượng thực hiện",
      "người thuộc hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo; cán bộ làm công "
      "tác giảm nghèo các cấp"),
    C("Ke hoach 159/KH-UBND Can Tho ve truyen thong giam ngheo da chieu giao So "
      "Van hoa, The thao va Du lich chi dao nhung co quan nao day manh tuyen truyen?",
      "unaccented", "V.3", "Sở Văn hóa, Thể thao và Du lịch",
      "Báo và Phát thanh, Truyền hình Cần Thơ, các cơ quan thông tấn báo chí và "
      "hệ thống thông tin cơ sở"),
    D("Kế hoạch truyền thông về giảm nghèo đa chiều trên địa bàn thành phố Cần "
      "Thơ phải được thực hiện xong trước thời điểm nào?",
      "formal", "date", "2025-12-31", "Từ nay đến hết năm 2025",
      ["Kế hoạch truyền thông về giảm nghèo đa chiều"], None),
    D("Cac so, nganh o Can Tho phai long ghep bao cao cong tac truyen thong giam "
      "ngheo da chieu vao bao cao nao va theo chu ky nao?",
      "unaccented", "date", None, "hàng năm",
      ["lồng ghép báo cáo công tác truyền thông, tuyên truyền"],
      "Các Sở, ngành, đơn vị liên quan"),
    D("Sở VH,TT&DL Cần Thơ lồng ghép truyền thông giảm nghèo đa chiều với các "
      "ct MTQG khác thì hạn chót khi nào?",
      "informal", "none", None, None, None, "Sở Văn hóa, Thể thao và Du lịch"),
    D("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ có thời hạn cụ thể nào "
      "để vận động doanh nghiệp đóng góp nguồn lực theo kế hoạch truyền thông "
      "giảm nghèo đa chiều không?",
      "formal", "none", None, None, None,
      "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các Đoàn thể"),
    D("So Tai chinh Can Tho co han chot nao khi phoi hop trien khai ke hoach "
      "truyen thong giam ngheo da chieu nam 2025 khong?",
      "unaccented", "none", None, None, None, "Sở Tài chính"),
    D("Tại phần tổ chức thực hiện, kế hoạch truyền thông về giảm nghèo đa chiều "
      "năm 2025 của Cần Thơ giao cho Sở Nông nghiệp và Môi trường những nhiệm vụ gì?",
      "formal", "list", None, None,
      ["Chủ trì tham mưu, tổ chức triển khai thực hiện Kế hoạch này",
       "Bảo đảm việc cung cấp các thông tin cơ bản về Chương trình",
       "Tổ chức triển khai, theo dõi, đôn đốc thực hiện kế hoạch"],
      "Sở Nông nghiệp và Môi trường"),
    D("UBND xã, phường ở Cần Thơ phải làm những nv gì theo kh truyền thông giảm "
      "nghèo đa chiều 2025 z?",
      "informal", "list", None, None,
      ["Xây dựng kế hoạch và tổ chức triển khai thực hiện hiệu quả các hoạt động truyền thông",
       "Phân bổ kinh phí thực hiện các hoạt động truyền thông trên địa bàn cấp xã",
       "Chỉ đạo kiểm tra, giám sát việc triển khai thực hiện Kế hoạch truyền thông",
       "Tổng hợp, báo cáo tình hình thực hiện Kế hoạch truyền thông"],
      "Ủy ban nhân dân cấp xã"),
]

# 179/KH-UBND  Đồng Nai - kinh tế số, xã hội số 2026-2030 (with appendix)
DATA["179-KH-UBND"] = [
    C("Theo kế hoạch kinh tế số, xã hội số giai đoạn 2026 - 2030 của tỉnh Đồng "
      "Nai, tỷ trọng kinh tế số phải đạt tối thiểu bao nhiêu phần trăm GRDP?",
      "formal", "II.1.a", "Mục tiêu chung (6 mục tiêu)",
      "Tỷ trọng kinh tế số đạt tối thiểu 30% GRDP"),
    C("Ke hoach kinh te so Dong Nai 2026-2030 xac dinh ba tru cot kinh te nao?",
      "unaccented", "I.2", "MỤC TIÊU TỔNG QUÁT",
      "(1) Công nghiệp công nghệ cao - sản xuất thông minh; (2) Nông nghiệp công "
      "nghệ cao - kinh tế số nông thôn; (3) Dịch vụ Logistics và kinh tế cửa khẩu số"),
    C("kh kinh tế số Đồng Nai: sở KH&CN phải xd, trình UBND tỉnh những ct nào v?",
      "informal", "VI.1.e", "Sở Khoa học và Công nghệ",
      "Chương trình hỗ trợ doanh nghiệp nhỏ và vừa, các hợp tác xã, tổ hợp tác "
      "chuyển đổi số; Chương trình Make in Viet Nam cho giai đoạn 2026 - 2030"),
    D("Theo phụ lục kế hoạch kinh tế số của tỉnh Đồng Nai, kế hoạch thúc đẩy dùng "
      "nền tảng số quốc gia trên địa bàn phải được xây dựng và triển khai vào "
      "thời gian nào?",
      "formal", "date", "2026-12-31", "2026",
      ["Xây dựng và tổ chức triển khai kế hoạch thúc đẩy sử dụng nền tảng số quốc gia trên địa bàn tỉnh"],
      "Sở Khoa học và Công nghệ"),
    D("Khi nao Dong Nai phai kien toan xong Ban Chi dao KHCN, DMST, CDS va De an "
      "06 theo phu luc ke hoach kinh te so?",
      "unaccented", "date", "2025-12-31", "2025",
      ["Kiện toàn Ban Chỉ đạo về phát triển khoa học, Công nghệ, đổi mới sáng tạo, Chuyển đổi số và Đề án 06"],
      "Sở Khoa học và Công nghệ"),
    D("trong kh kinh tế số Đồng Nai, sở xd triển khai bãi đỗ xe thông minh hạn "
      "chót năm nào v?",
      "informal", "date", "2030-12-31", "2026 - 2030",
      ["Triển khai giải pháp bãi đỗ xe thông minh"], "Sở Xây dựng"),
    D("Tỉnh đoàn Đồng Nai phải cử đầu mối tham gia mạng lưới hỗ trợ chuyển đổi "
      "số theo kế hoạch kinh tế số 2026 - 2030 trước thời hạn nào?",
      "formal", "none", None, None, None,
      "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Đồng Nai"),
    D("Bo Chi huy Quan su tinh Dong Nai phai xong cac nhiem vu chuyen doi so "
      "linh vuc quoc phong, co yeu trong ke hoach kinh te so vao han nao?",
      "unaccented", "none", None, None, None, "Bộ Chỉ huy Quân sự tỉnh"),
    D("Trong phụ lục kèm theo kế hoạch kinh tế số, xã hội số của tỉnh Đồng Nai, "
      "Công an tỉnh là đơn vị thực hiện những nhiệm vụ nào?",
      "formal", "list", None, None,
      ["Xây dựng Kế hoạch triển khai Chiến lược dữ liệu quốc gia trên địa bàn tỉnh",
       "Đề án đẩy mạnh ứng dụng Cơ sở dữ liệu quốc gia về dân cư",
       "Triển khai về định danh và xác thực điện tử",
       "Triển khai Hệ thống định danh và xác thực điện tử trên nền tảng Cơ sở dữ liệu Công an tỉnh",
       "Bảo đảm, xác thực thông tin trên nền tảng cơ sở dữ liệu quốc gia về dân cư",
       "Triển khai Chiến lược an toàn an ninh mạng quốc gia",
       "Đảm bảo yêu cầu an toàn thông tin mạng mặc định ngay từ khâu thiết kế",
       "Triển khai phổ cập dịch vụ an toàn thông tin mạng cơ bản",
       "Triển khai dịch vụ an toàn thông tin mạng chuyên nghiệp",
       "Triển khai hệ sinh thái tín nhiệm mạng",
       "Đẩy mạnh công tác phòng, chống tội phạm công nghệ cao"],
      "Công an tỉnh"),
    D("trong phụ lục kh kinh tế số Đồng Nai, nv nào có tg thực hiện năm 2025 "
      "v mn?",
      "informal", "list", None, None,
      ["Xây dựng Kế hoạch triển khai Chiến lược dữ liệu quốc gia trên địa bàn tỉnh",
       "Kiện toàn Ban Chỉ đạo về phát triển khoa học, Công nghệ, đổi mới sáng tạo, Chuyển đổi số và Đề án 06"],
      None),
]

# 597/KH-UBND  Đồng Tháp - chuyển đổi số kết cấu hạ tầng giao thông
DATA["597-KH-UBND"] = [
    C("Kế hoạch chuyển đổi số về kết cấu hạ tầng giao thông của tỉnh Đồng Tháp "
      "dự kiến gắn cảm biến IoT tại cầu, đường trọng điểm để giám sát những gì?",
      "formal", "III.4.3",
      "Ứng dụng IoT, AI và dữ liệu lớn trong giám sát, vận hành và bảo trì hạ tầng giao thông",
      "giám sát tải trọng, lún nứt, cảnh báo sớm nguy cơ mất an toàn công trình"),
    C("kh cđs hạ tầng giao thông Đồng Tháp có nhắc tới những hệ thống thu phí, "
      "thanh toán đt nào ko mn?",
      "informal", "III.4.6",
      "Nền tảng quản lý thu phí, thanh toán điện tử trong giao thông",
      "Hệ thống thu phí điện tử không dừng đối với các phương tiện tham gia giao "
      "thông đường bộ"),
    C("Theo ke hoach chuyen doi so ha tang giao thong Dong Thap, Cong an tinh "
      "chia se du lieu camera, phat nguoi qua he thong nao?",
      "unaccented", "V.5", "Công an Tỉnh",
      "Dữ liệu từ hệ thống camera giám sát, phạt nguội và kiểm soát tải trọng xe "
      "được chia sẻ có chọn lọc qua IOC"),
    D("Theo kế hoạch chuyển đổi số kết cấu hạ tầng giao thông tỉnh Đồng Tháp, "
      "đến khi nào cơ sở dữ liệu hạ tầng giao thông tập trung của toàn tỉnh phải "
      "được hoàn thiện và tích hợp vào Trung tâm IOC?",
      "formal", "date", "2030-12-31", "đến năm 2030",
      ["Hoàn thiện cơ sở dữ liệu tập trung về hạ tầng giao thông toàn Tỉnh"], None),
    D("Cac co quan, don vi o Dong Thap phai bao cao ket qua thuc hien ke hoach "
      "chuyen doi so ha tang giao thong ve So Xay dung truoc ngay nao hang nam?",
      "unaccented", "date", None, "Định kỳ hằng năm (trước ngày 30 tháng 11)",
      ["báo cáo kết quả thực hiện về Sở Xây dựng"], None),
    D("tới năm nào thì 100% TTHC lĩnh vực xd, giao thông ở Đồng Tháp phải có dv "
      "công trực tuyến v?",
      "informal", "date", "2030-12-31", "đến năm 2030",
      ["100% thủ tục hành chính lĩnh vực xây dựng, giao thông đủ điều kiện đều "
       "được cung cấp dịch vụ công trực tuyến"], None),
    D("Công an tỉnh Đồng Tháp phải đưa công nghệ số vào việc giám sát, xử lý các "
      "vi phạm an toàn giao thông trước thời hạn nào?",
      "formal", "none", None, None, None, "Công an Tỉnh"),
    D("sở xd Đồng Tháp số hóa hồ sơ, bản đồ hạ tầng gt thì hạn chót khi nào, có "
      "deadline ko?",
      "informal", "none", None, None, None, "Sở Xây dựng"),
    D("Hãy liệt kê các nhiệm vụ được giao cho Ủy ban nhân dân cấp xã trong kế "
      "hoạch chuyển đổi số về kết cấu hạ tầng giao thông của tỉnh Đồng Tháp.",
      "formal", "list", None, None,
      ["Tổ chức triển khai thực hiện kế hoạch chuyển đổi số trong lĩnh vực hoạt động xây dựng",
       "Thực hiện số hóa hồ sơ, dữ liệu về hoạt động xây dựng",
       "Ứng dụng các phần mềm quản lý công việc, tiếp nhận phản ánh của người dân",
       "Huy động cộng đồng, hợp tác xã, doanh nghiệp địa phương tham gia bảo trì",
       "Phối hợp tích hợp dữ liệu về quy hoạch xây dựng",
       "Tích cực triển khai ứng dụng công nghệ BIM"],
      "Ủy ban nhân dân cấp xã"),
    D("So Khoa hoc va Cong nghe Dong Thap duoc giao nhung viec gi trong ke hoach "
      "chuyen doi so ha tang giao thong?",
      "unaccented", "list", None, None,
      ["Hướng dẫn về tiêu chuẩn kỹ thuật, tiêu chuẩn dữ liệu, giải pháp công nghệ",
       "Phối hợp hỗ trợ các đơn vị triển khai kết nối, tích hợp dữ liệu",
       "Chủ trì, chỉ đạo các doanh nghiệp viễn thông, doanh nghiệp công nghệ thông tin",
       "Phối hợp triển khai các ứng dụng công nghệ mới",
       "Hỗ trợ đào tạo, nâng cao năng lực cán bộ, công chức, viên chức"],
      "Sở Khoa học và Công nghệ"),
]

# 624/KH-UBND  Hà Tĩnh - giáo dục mầm non địa bàn đô thị, khu công nghiệp
DATA["624-KH-UBND"] = [
    C("Kế hoạch nâng cao chất lượng giáo dục mầm non ở đô thị, khu công nghiệp "
      "của tỉnh Hà Tĩnh đặt chỉ tiêu bao nhiêu phường xây dựng mô hình mầm non "
      "phù hợp đặc thù địa phương?",
      "formal", "II.2.c", "Đối với cơ sở giáo dục mầm non",
      "ít nhất 55% phường xây dựng và triển khai các mô hình giáo dục mầm non phù "
      "hợp với đặc thù địa phương"),
    C("Ke hoach mam non do thi, khu cong nghiep Ha Tinh de xuat ap dung hinh thuc "
      "hop tac nao voi don vi mam non ngoai cong lap?",
      "unaccented", "III.2.c",
      "Đa dạng mô hình giáo dục mầm non phù hợp đặc thù địa bàn đô thị",
      "Hợp đồng kinh doanh - quản lý (O&M)"),
    C("kh mầm non KCN Hà Tĩnh: Sở Xây dựng phải chủ trì triển khai QĐ nào về "
      "nhà ở xã hội v?",
      "informal", "V.6.b", "Sở Xây dựng",
      "Quyết định số 338/QĐ-TTg ngày 03 tháng 4 năm 2023"),
    D("Theo kế hoạch giáo dục mầm non địa bàn đô thị, khu công nghiệp tỉnh Hà "
      "Tĩnh, đến năm nào toàn bộ cơ sở mầm non độc lập dân lập, tư thục ở khu "
      "công nghiệp phải đạt chuẩn trường học an toàn?",
      "formal", "date", "2035-12-31", "đến năm 2035",
      ["100% cơ sở giáo dục mầm non độc lập dân lập, tư thục đạt tiêu chuẩn trường học an toàn"],
      None),
    D("UBND xã, phường ở Hà Tĩnh kiểm tra, đánh giá tình hình thực hiện ct mầm "
      "non đô thị, KCN theo chu kỳ nào v?",
      "informal", "date", None, "Hằng năm",
      ["tổ chức kiểm tra, đánh giá tình hình thực hiện Chương trình trên địa bàn"],
      "Ủy ban nhân dân các xã, phường"),
    D("Dinh huong nhan rong mo hinh giao duc mam non o do thi, khu cong nghiep "
      "Ha Tinh huong toi moc nam nao?",
      "unaccented", "date", "2045-12-31", "Định hướng đến năm 2045",
      ["Nhân rộng các mô hình giáo dục mầm non chất lượng"], None),
    D("Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh phải bố trí quỹ đất xây dựng "
      "trường, lớp mầm non trước thời hạn nào theo kế hoạch mầm non đô thị, khu "
      "công nghiệp?",
      "formal", "none", None, None, None, "Sở Nông nghiệp và Môi trường"),
    D("So Y te Ha Tinh co thoi han cu the nao khi phoi hop trien khai cham soc "
      "suc khoe tre trong chuong trinh mam non khu cong nghiep khong?",
      "unaccented", "none", None, None, None, "Sở Y tế"),
    D("Hãy liệt kê các nhiệm vụ mà kế hoạch giáo dục mầm non đô thị, khu công "
      "nghiệp tỉnh Hà Tĩnh giao cho Sở Giáo dục và Đào tạo ở phần tổ chức thực hiện.",
      "formal", "list", None, None,
      ["Chủ trì, phối hợp với các sở, ngành, địa phương xây dựng kế hoạch, triển khai thực hiện Chương trình",
       "Rà soát, đề xuất, sửa đổi, bổ sung, trình cấp có thẩm quyền ban hành các cơ chế, chính sách",
       "Tổ chức tập huấn, bồi dưỡng nâng cao năng lực chuyên môn, nghiệp vụ cho cán bộ quản lý, nhân viên, giáo viên mầm non",
       "Chỉ đạo, hướng dẫn triển khai thực hiện các mô hình giáo dục mầm non",
       "Đôn đốc các sở, ban, ngành, cơ quan và các địa phương liên quan"],
      "Sở Giáo dục và Đào tạo"),
    D("mt tổ quốc tỉnh Hà Tĩnh được đề nghị làm những nv gì trong kh mầm non "
      "KCN z mn?",
      "informal", "list", None, None,
      ["Chỉ đạo các tổ chức thành viên tăng cường công tác truyền thông",
       "Chỉ đạo các tổ chức thành viên lồng ghép nhiệm vụ của Chương trình này",
       "Hướng dẫn công đoàn cơ sở tổ chức đối thoại, thương lượng",
       "Tham gia huy động nguồn lực, kinh phí từ các doanh nghiệp sử dụng lao động",
       "tiếp tục quan tâm đầu tư xây dựng các cơ sở giáo dục mầm non cho con công nhân"],
      "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
]

# 987/KH-UBND  Nghệ An - 5G, IoT tại các khu công nghiệp 2026-2030
DATA["987-KH-UBND"] = [
    C("Theo kế hoạch phát triển 5G và IoT tại các khu công nghiệp tỉnh Nghệ An, "
      "bao nhiêu trạm 3G/4G sẽ được chuyển đổi sang 5G và tổng số trạm 5G đạt "
      "bao nhiêu?",
      "formal", "II.2.1", "Xây dựng trạm 5G, mạng lõi",
      "Chuyển đổi từ trạm 3G/4G sang trạm 5G: 125 trạm (Trong đó: MobiFone: 22 "
      "trạm, VNPT: 56 trạm, Viettel: 47 trạm), nâng tổng số trạm 5G: 188 trạm"),
    C("Ke hoach 5G, IoT khu cong nghiep Nghe An lay kinh phi thuc hien tu dau?",
      "unaccented", "III", "KINH PHÍ THỰC HIỆN",
      "Nguồn kinh phí thực hiện từ các doanh nghiệp viễn thông và huy động nguồn "
      "lực xã hội hóa"),
    C("hiện tại các KCN Nghệ An có bn trạm BTS, trong đó mấy trạm 5G v?",
      "informal", "II.1", "Hiện trạng",
      "là 87 trạm. Trong đó, có 28 trạm 5G trên nền hạ tầng 3G/4G (Chiếm 32,2 %)"),
    D("Sở Khoa học và Công nghệ tỉnh Nghệ An phải tổng hợp, báo cáo kết quả triển "
      "khai kế hoạch 5G, IoT tại các khu công nghiệp trước ngày nào?",
      "formal", "date", None, "Trước ngày 15/12 hàng năm",
      ["tổng hợp, báo cáo Bộ Khoa học và Công nghệ, Ủy nhân dân tỉnh kết quả triển khai thực hiện"],
      "Sở Khoa học và Công nghệ"),
    D("Den nam nao ty le phu song 5G tai cac khu cong nghiep Nghe An phai dat 100%?",
      "unaccented", "date", "2030-12-31", "đến năm 2030",
      ["tỷ lệ phủ sóng mạng 5G tại các KCN"], None),
    D("triển khai ứng dụng IoT cơ bản ở các KCN trọng điểm Nghệ An thì tg thực "
      "hiện là giai đoạn nào v?",
      "informal", "date", "2030-12-31", "Trong giai đoạn 2026 - 2030",
      ["triển khai một số ứng dụng IoT cơ bản tại các KCN trọng điểm"], None),
    D("Các doanh nghiệp viễn thông phải gửi kế hoạch phủ sóng 5G theo chỉ tiêu "
      "phân bổ về Sở Khoa học và Công nghệ tỉnh Nghệ An trước ngày nào?",
      "formal", "none", None, None, None, "Các doanh nghiệp viễn thông"),
    D("BQL KKT Đông Nam (Nghệ An) đề xuất các KCN ưu tiên làm 5G thì hạn chót "
      "khi nào v?",
      "informal", "none", None, None, None, "Ban Quản lý Khu kinh tế Đông Nam"),
    D("Trong kế hoạch phát triển 5G, IoT tại các khu công nghiệp tỉnh Nghệ An, "
      "các chủ đầu tư hạ tầng khu công nghiệp có những trách nhiệm gì?",
      "formal", "list", None, None,
      ["Phối hợp chặt chẽ với Ban Quản lý Khu kinh tế Đông Nam, Sở Khoa học và Công nghệ",
       "Tạo điều kiện về mặt bằng, các điều kiện cần thiết khác cho việc lắp đặt thiết bị 5G và IoT",
       "Chủ động đề xuất các nhu cầu, ứng dụng IoT",
       "Đầu tư hạ tầng bảo đảm triển khai phát triển ứng dụng 5G, IoT trong KCN",
       "Triển khai các ứng dụng IoT trong quản lý vận hành KCN",
       "Tuân thủ đầy đủ các quy định pháp luật về an toàn thông tin, an ninh mạng"],
      "Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp"),
    D("So Khoa hoc va Cong nghe Nghe An duoc giao nhung nhiem vu gi trong ke "
      "hoach phat trien 5G, IoT khu cong nghiep?",
      "unaccented", "list", None, None,
      ["Theo dõi, đôn đốc, chỉ đạo các doanh nghiệp viễn thông triển khai phát triển hạ tầng viễn thông phủ sóng 5G",
       "Chủ trì, phối hợp các đơn vị liên quan hướng dẫn, theo dõi, kiểm tra, đôn đốc các Doanh nghiệp Viễn thông",
       "Phối hợp chặt chẽ với các nhà mạng (Viettel Nghệ An, VNPT Nghệ An, MobiFone Nghệ An)"],
      "Sở Khoa học và Công nghệ"),
]

# Expected kind mix per document (date, none, list).  "About 3/2/2": the two
# documents with almost no timed tasks get 2 date + 3 none (see README).
EXPECTED_KINDS = {
    "0124-KH-UBND": (2, 3, 2), "0130-KH-UBND": (3, 2, 2),
    "0134-KH-UBND": (3, 2, 2), "159-KH-UBND": (2, 3, 2),
    "179-KH-UBND": (3, 2, 2), "597-KH-UBND": (3, 2, 2),
    "624-KH-UBND": (3, 2, 2), "987-KH-UBND": (3, 2, 2),
}

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def nfc(s):
    return unicodedata.normalize("NFC", s)


def collapse(s):
    return re.sub(r"\s+", " ", nfc(s)).strip()


def strip_accents(s):
    s = nfc(s).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn")


def words(s):
    return re.findall(r"\w+", nfc(s).lower())


RECURRING = ("hằng năm", "hàng năm", "hằng ngày", "hàng ngày", "hằng tháng",
             "hàng tháng", "hằng quý", "hàng quý", "hằng tuần", "hàng tuần",
             "định kỳ")
RELATIVE = ("kể từ", "sau khi", "ngay khi", "đến khi", "trong vòng")


def derive_due(text):
    """ISO due date from the timing words, or None (recurring / relative /
    year-less)."""
    t = nfc(text).lower()
    if any(m in t for m in RECURRING) or any(m in t for m in RELATIVE):
        return None
    cands = []
    for d, m, y in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", t):
        cands.append((int(y), int(m), int(d)))
    for d, m, y in re.findall(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", t):
        cands.append((int(y), int(m), int(d)))
    # drop full dates so that their "tháng m năm y" part is not read as a month
    t = re.sub(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b", " ", t)
    for m, y in re.findall(r"tháng (\d{1,2})(?:/| năm )(\d{4})", t):
        y, m = int(y), int(m)
        cands.append((y, m, calendar.monthrange(y, m)[1]))
    for q, y in re.findall(r"quý (i{1,3}|iv|\d)(?:/| năm )(\d{4})", t):
        qn = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(q) or int(q)
        y, m = int(y), qn * 3
        cands.append((y, m, calendar.monthrange(y, m)[1]))
    if cands:
        y, m, d = max(cands)
        return "%04d-%02d-%02d" % (y, m, d)
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", t)]
    if years:
        return "%04d-12-31" % max(years)
    return None


CHAT_MARKERS = {"ko", "k", "v", "z", "j", "dc", "nv", "kh", "kq", "mn", "ntn",
                "vs", "ct", "pt", "tg", "deadline", "bn", "xd", "mt", "nd",
                "đp", "dn", "dv", "gt", "cđs", "đt", "hđ", "tthc", "kcn"}
CHAT_PHRASES = ("hạn chót", "deadline")
UNACCENTED_TELLS = {"hoach", "duoc", "nhiem", "thuc"}


def build_records():
    out = {}
    for stem, items in DATA.items():
        doc = stem + ".md"
        recs = []
        ci = di = 0
        for it in items:
            if it["type"] == "content":
                ci += 1
                r = {"id": "%s-c%d" % (stem, ci), "doc": doc}
                r.update(it)
                r = {k: r[k] for k in CONTENT_KEYS}
            else:
                di += 1
                r = {"id": "%s-d%d" % (stem, di), "doc": doc}
                r.update(it)
                r = {k: r[k] for k in DEADLINE_KEYS}
            recs.append(nfc_record(r))
        out[stem] = recs
    return out


def nfc_record(r):
    def f(v):
        if isinstance(v, str):
            return nfc(v)
        if isinstance(v, list):
            return [f(x) for x in v]
        return v
    return {k: f(v) for k, v in r.items()}


def write_files(records):
    for stem, recs in records.items():
        path = os.path.join(HERE, "questions_%s.jsonl" % stem)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------


def verify():
    errors, warnings = [], []
    E = errors.append
    W = warnings.append
    if not os.path.isdir(PLANS_DIR):
        print("ERROR: documents folder not found: %s (set PLANS_DIR)" % PLANS_DIR)
        return 1
    all_recs = []
    style_tot = {s: 0 for s in STYLES}
    kind_tot = {k: 0 for k in KINDS}
    for stem in EXPECTED_KINDS:
        path = os.path.join(HERE, "questions_%s.jsonl" % stem)
        if not os.path.exists(path):
            E("%s: missing" % path)
            continue
        raw = open(path, "rb").read()
        if b"\r" in raw:
            E("%s: CR characters (must be LF only)" % path)
        text = raw.decode("utf-8")
        if not text.endswith("\n"):
            E("%s: no final newline" % path)
        if text != nfc(text):
            E("%s: not NFC" % path)
        lines = text.split("\n")[:-1]
        recs = []
        for n, ln in enumerate(lines, 1):
            try:
                recs.append(json.loads(ln))
            except ValueError as e:
                E("%s:%d: bad JSON (%s)" % (path, n, e))
        docpath = os.path.join(PLANS_DIR, stem + ".md")
        if not os.path.exists(docpath):
            E("%s: document missing" % docpath)
            continue
        doc_raw = open(docpath, encoding="utf-8").read()
        doc = collapse(doc_raw)
        doc_nostar = collapse(doc_raw.replace("*", ""))
        doc_words = words(doc_raw)
        grams = {tuple(doc_words[i:i + 13]) for i in range(len(doc_words) - 12)}
        doc_words_ascii = words(strip_accents(doc_raw))
        grams_ascii = {tuple(doc_words_ascii[i:i + 13])
                       for i in range(len(doc_words_ascii) - 12)}

        if len(recs) != 10:
            E("%s: %d records (want 10)" % (stem, len(recs)))
        exp_ids = ["%s-c%d" % (stem, i) for i in (1, 2, 3)] + \
                  ["%s-d%d" % (stem, i) for i in range(1, 8)]
        if [r.get("id") for r in recs] != exp_ids:
            E("%s: ids/order wrong: %s" % (stem, [r.get("id") for r in recs]))
        styles = {s: 0 for s in STYLES}
        kinds = {k: 0 for k in KINDS}
        cstyles, dstyles = set(), set()
        for r in recs:
            rid = r.get("id", "?")
            typ = r.get("type")
            keys = CONTENT_KEYS if typ == "content" else DEADLINE_KEYS
            if list(r.keys()) != keys:
                E("%s: key order %s" % (rid, list(r.keys())))
                continue
            if r["doc"] != stem + ".md":
                E("%s: doc field %r" % (rid, r["doc"]))
            q = r["question"]
            st = r["style"]
            if st not in STYLES:
                E("%s: style %r" % (rid, st))
                continue
            styles[st] += 1
            (cstyles if typ == "content" else dstyles).add(st)
            toks = set(words(q))
            if st == "unaccented":
                if not q.isascii():
                    E("%s: unaccented question not pure ASCII" % rid)
            else:
                if q.isascii():
                    E("%s: %s question has no diacritics" % (rid, st))
            if st == "informal":
                if not (toks & CHAT_MARKERS or any(p in q.lower() for p in CHAT_PHRASES)):
                    E("%s: informal question has no chat marker" % rid)
            if st == "formal":
                bad = toks & (CHAT_MARKERS - {"ct", "kcn", "mt"})
                if bad:
                    W("%s: formal question contains chat-like tokens %s" % (rid, sorted(bad)))
                if toks & UNACCENTED_TELLS:
                    E("%s: formal question has unaccented words %s"
                      % (rid, sorted(toks & UNACCENTED_TELLS)))
            qw = words(q)
            qg = {tuple(qw[i:i + 13]) for i in range(len(qw) - 12)}
            if qg & grams:
                W("%s: question shares a 13-word run with the document" % rid)
            qwa = words(strip_accents(q))
            qga = {tuple(qwa[i:i + 13]) for i in range(len(qwa) - 12)}
            if qga & grams_ascii and not (qg & grams):
                W("%s: question shares a 13-word run (accent-insensitive)" % rid)

            def sub(val, what):
                if val is None:
                    return
                if not isinstance(val, str) or not val.strip():
                    E("%s: %s empty/not a string" % (rid, what))
                    return
                if "*" in val:
                    E("%s: %s contains '*'" % (rid, what))
                if collapse(val) not in doc:
                    E("%s: %s not in document: %r" % (rid, what, val))

            if typ == "content":
                if r["type"] != "content":
                    E("%s: type" % rid)
                if not re.fullmatch(r"(PL\.)?[A-Z]*(\.?[0-9A-Z]+(\.\d+)*)*(\.[a-zđ])?|[0-9]+(\.[0-9]+)*(\.[a-zđ])?",
                                    r["gold_section"] or ""):
                    E("%s: odd gold_section %r" % (rid, r["gold_section"]))
                sub(r["gold_quote"], "gold_quote")
                t = r["gold_section_title"]
                if not t or "*" in t or t.rstrip().endswith(":"):
                    E("%s: bad gold_section_title %r" % (rid, t))
                elif collapse(t) not in doc_nostar:
                    E("%s: gold_section_title not found in document: %r" % (rid, t))
                if collapse(q).lower().rstrip("?. ") == collapse(t).lower():
                    E("%s: question equals its section title" % rid)
            elif typ == "deadline":
                k = r["kind"]
                if k not in KINDS:
                    E("%s: kind %r" % (rid, k))
                    continue
                kinds[k] += 1
                if k == "date":
                    sub(r["gold_deadline_text"], "gold_deadline_text")
                    if not r["gold_deadline_text"]:
                        E("%s: date without gold_deadline_text" % rid)
                    else:
                        der = derive_due(r["gold_deadline_text"])
                        if der != r["gold_due"]:
                            E("%s: gold_due %r but derived %r from %r"
                              % (rid, r["gold_due"], der, r["gold_deadline_text"]))
                    if r["gold_due"] is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", r["gold_due"]):
                        E("%s: gold_due not ISO" % rid)
                    if not isinstance(r["gold_tasks"], list) or len(r["gold_tasks"]) != 1:
                        E("%s: date needs exactly one gold_tasks entry" % rid)
                    else:
                        sub(r["gold_tasks"][0], "gold_tasks[0]")
                elif k == "none":
                    for f in ("gold_due", "gold_deadline_text", "gold_tasks"):
                        if r[f] is not None:
                            E("%s: none kind but %s set" % (rid, f))
                else:
                    if r["gold_due"] is not None or r["gold_deadline_text"] is not None:
                        E("%s: list kind with due/deadline text" % rid)
                    ts = r["gold_tasks"]
                    if not isinstance(ts, list) or len(ts) < 2:
                        E("%s: list needs >= 2 gold_tasks" % rid)
                    else:
                        for i, tk in enumerate(ts):
                            sub(tk, "gold_tasks[%d]" % i)
                        if len(set(ts)) != len(ts):
                            E("%s: duplicate gold_tasks" % rid)
                sub(r["gold_lead"], "gold_lead")
            else:
                E("%s: type %r" % (rid, typ))
        if styles != {"formal": 4, "unaccented": 3, "informal": 3}:
            E("%s: styles %s (want 4/3/3)" % (stem, styles))
        if cstyles == set(STYLES) and dstyles == set(STYLES):
            pass
        else:
            W("%s: styles not mixed across content and deadline" % stem)
        if tuple(kinds[k] for k in KINDS) != EXPECTED_KINDS[stem]:
            E("%s: kinds %s want %s" % (stem, kinds, EXPECTED_KINDS[stem]))
        for s in STYLES:
            style_tot[s] += styles[s]
        for k in KINDS:
            kind_tot[k] += kinds[k]
        all_recs.extend(recs)

    n_c = sum(1 for r in all_recs if r.get("type") == "content")
    n_d = sum(1 for r in all_recs if r.get("type") == "deadline")
    if (len(all_recs), n_c, n_d) != (80, 24, 56):
        E("totals %d records, %d content, %d deadline (want 80/24/56)"
          % (len(all_recs), n_c, n_d))
    if style_tot != {"formal": 32, "unaccented": 24, "informal": 24}:
        E("style totals %s" % style_tot)
    if sum(kind_tot.values()) != 56 or kind_tot["list"] != 16:
        E("kind totals %s" % kind_tot)
    ids = [r.get("id") for r in all_recs]
    if len(set(ids)) != len(ids):
        E("duplicate ids")
    qs = [collapse(r.get("question", "")).lower() for r in all_recs]
    if len(set(qs)) != len(qs):
        E("duplicate questions")

    # Optional: hashes recorded in ../HELDOUT18_plans.sha256 must still match.
    if os.path.exists(SHA_FILE):
        for ln in open(SHA_FILE, encoding="utf-8"):
            ln = ln.strip()
            if not ln:
                continue
            digest, name = ln.split(None, 1)
            name = name.lstrip("*")
            p = os.path.join(os.path.dirname(SHA_FILE), name)
            if not os.path.exists(p):
                E("sha256: listed file missing: %s" % name)
            elif hashlib.sha256(open(p, "rb").read()).hexdigest() != digest:
                E("sha256 mismatch: %s" % name)

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("checked %d records (%d content, %d deadline); kinds %s; styles %s; "
          "%d error(s), %d warning(s)"
          % (len(all_recs), n_c, n_d, kind_tot, style_tot, len(errors), len(warnings)))
    return 1 if errors else 0


def main(argv):
    if "--check" not in argv:
        write_files(build_records())
    return verify()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
