#!/usr/bin/env python3
"""heldout19 / plans: data, writer and checker.

    python3 build.py          write questions_<stem>.jsonl, read them back and verify
    python3 build.py --check  verify only (exit code 1 on any error)

Documents are read from $PLANS_DIR, or /work/shared/data/plans when it is not set.
Only the Python 3 standard library is used.
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
SHA_FILE = os.path.join(HERE, "..", "HELDOUT19_plans.sha256")

CONTENT_KEYS = ["id", "doc", "type", "question", "style", "gold_section",
                "gold_section_title", "gold_quote"]
DEADLINE_KEYS = ["id", "doc", "type", "question", "style", "kind", "gold_due",
                 "gold_deadline_text", "gold_tasks", "gold_lead"]

# expected (date, none, list) per document
KIND_MIX = {
    "982-KH-UBND": (2, 3, 2),
    "06-CT-UBND": (1, 3, 3),
    "144-KH-UBND": (3, 2, 2),
    "153-KH-UBND": (3, 2, 2),
    "172-KH-UBND": (3, 2, 2),
    "310-KH-UBND": (3, 2, 2),
    "556-KH-UBND": (3, 2, 2),
    "0134-KH-UBND": (3, 2, 2),
}
STEMS = list(KIND_MIX)

CHAT_MARKERS = {"ko", "k", "v", "z", "mn", "nv", "kh", "tg", "xd", "bn", "bh", "j",
                "dn", "ntn", "hả", "ct", "qg"}
CHAT_PHRASES = ["hạn chót", "deadline"]


def C(q, style, section, title, quote):
    return {"type": "content", "question": q, "style": style, "gold_section": section,
            "gold_section_title": title, "gold_quote": quote}


def D(q, style, kind, due=None, text=None, tasks=None, lead=None):
    return {"type": "deadline", "question": q, "style": style, "kind": kind,
            "gold_due": due, "gold_deadline_text": text, "gold_tasks": tasks,
            "gold_lead": lead}


F, U, I = "formal", "unaccented", "informal"

DATA = {
    # ------------------------------------------------------------------ Nghệ An
    "982-KH-UBND": [
        C("Kế hoạch thi đua chào mừng Đại hội XIV của Nghệ An yêu cầu cán bộ, công chức làm việc theo phương châm nào?",
          F, "III.1.đ", "Đối với cá nhân",
          "đổi mới tư duy, quyết tâm hành động, gương mẫu đi đầu, tận tâm cống hiến, kiến tạo phát triển, vì dân phục vụ"),
        C("Nghe An thi dua chao mung Dai hoi XIV co nhac toi dip ky niem Tong tuyen cu dau tien khong?",
          U, "III.1.c", "Đối với các cơ quan, đơn vị trên địa bàn tỉnh",
          "Kỷ niệm 80 năm ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam"),
        C("đợt thi đua đại hội 14 ở Nghệ An có xét Huân chương ko hay chỉ có bằng khen v mn?",
          I, "III.2.a", "Hình thức khen thưởng", "Huân chương Lao động"),
        D("Đợt thi đua lập thành tích chào mừng Đại hội XIV theo Kế hoạch 982 của UBND tỉnh Nghệ An kéo dài đến thời điểm nào?",
          F, "date", None,
          "từ ngày ban hành Kế hoạch đến khi tổ chức thành công Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
          ["Đợt thi đua được triển khai thực hiện"], None),
        D("ke hoach 982 Nghe An: cac chi tieu kinh te - xa hoi cua tinh phai hoan thanh vuot muc trong nam nao?",
          U, "date", "2025-12-31", "năm 2025",
          ["Hoàn thành vượt mức các chỉ tiêu phát triển kinh tế - xã hội năm 2025"], None),
        D("sở vhttdl nghệ an phải đẩy mạnh truyền thông cho đợt thi đua đại hội 14, có hạn chót ko?",
          I, "none", lead="Sở Văn hóa, Thể thao và Du lịch"),
        D("Sở Nội vụ Nghệ An phải ban hành hướng dẫn khen thưởng Đợt thi đua chào mừng Đại hội XIV trước ngày nào?",
          F, "none", lead="Sở Nội vụ"),
        D("Hoi dong Thi dua - Khen thuong cac cap o Nghe An phan cong thanh vien theo doi dot thi dua Dai hoi XIV thi han la khi nao?",
          U, "none", lead="Hội đồng Thi đua - Khen thưởng các cấp"),
        D("bên mình là dn ở Nghệ An, kh thi đua đại hội 14 đòi doanh nghiệp phải đạt những tiêu chí gì v?",
          I, "list", tasks=[
              "Sản xuất kinh doanh hiệu quả, bền vững, hợp pháp",
              "Có nhiều sáng chế, phát minh, sáng kiến, cải tiến kỹ thuật",
              "Nội bộ đoàn kết. Thực hiện tốt trách nhiệm xã hội",
          ], lead="các doanh nghiệp"),
        D("Trong phần trách nhiệm thực hiện của kế hoạch thi đua chào mừng Đại hội XIV tỉnh Nghệ An, những cơ quan nào được giao việc và giao việc gì?",
          F, "list", tasks=[
              "Các cơ quan, đơn vị căn cứ Kế hoạch này",
              "Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh, các tổ chức chính trị-xã hội phát huy mạnh mẽ",
              "Sở Văn hóa, Thể thao và Du lịch phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy",
              "Hội đồng Thi đua - Khen thưởng các cấp phân công rõ trách nhiệm các thành viên",
              "Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua",
          ], lead=None),
    ],
    # ------------------------------------------------------------------ Quảng Trị
    "06-CT-UBND": [
        C("Chỉ thị 06 của Quảng Trị về lấn chiếm rừng quy định chủ rừng là tổ chức phải chịu trách nhiệm gì nếu rừng được giao bị phá?",
          F, "5",
          "Các chủ rừng là tổ chức (các Ban quản lý rừng đặc dụng, rừng phòng hộ, các Công ty nông, lâm nghiệp…)",
          "Chịu trách nhiệm trước pháp luật nếu để xảy ra tình trạng phá rừng, lấn chiếm đất lâm nghiệp trên diện tích được giao quản lý"),
        C("Chi thi xu ly lan chiem rung Quang Tri buoc UBND xa lam tron trach nhiem quan ly lam nghiep theo dieu nao cua Luat Lam nghiep?",
          U, "1", "Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ", "Điều 102 Luật Lâm nghiệp"),
        C("chỉ thị rừng quảng trị có bắt sở nn&mt dùng công nghệ cao để bảo vệ rừng ko mn?",
          I, "2", "Sở Nông nghiệp và Môi trường",
          "đẩy mạnh việc ứng dụng công nghệ cao trong công tác quản lý, bảo vệ rừng"),
        D("Theo Chỉ thị 06/CT-UBND của Quảng Trị, Sở NN&MT phải tổng hợp báo cáo UBND tỉnh kết quả xử lý lấn chiếm rừng trước ngày nào?",
          F, "date", None, "trước ngày 25/12 hàng năm",
          ["tổng hợp báo cáo Ủy ban nhân dân tỉnh"], "Sở Nông nghiệp và Môi trường"),
        D("công an tỉnh qtri theo chỉ thị 06 về rừng có bị giao deadline gì ko?",
          I, "none", lead="Công an tỉnh"),
        D("Kiem lam Quang Tri tuan tra kiem tra rung theo chi thi 06 co moc thoi gian nao khong?",
          U, "none", lead="Sở Nông nghiệp và Môi trường"),
        D("Các ban quản lý rừng phòng hộ ở Quảng Trị phải đề xuất kinh phí cắm mốc ranh giới lâm phận trong thời hạn nào?",
          F, "none", lead="Các chủ rừng là tổ chức"),
        D("Chỉ thị 06/CT-UBND tỉnh Quảng Trị giao cho chính quyền các xã, phường và đặc khu Cồn Cỏ những nhiệm vụ gì?",
          F, "list", tasks=[
              "Thực hiện đầy đủ trách nhiệm quản lý nhà nước về lâm nghiệp của chính quyền địa phương cấp xã",
              "Đẩy mạnh công tác quản lý bảo vệ rừng và đất lâm nghiệp sau khi thực hiện chính quyền địa phương 02 cấp",
              "Tiếp tục chỉ đạo phòng chuyên môn, các cơ quan có liên quan rà soát, xác định toàn bộ diện tích rừng bị phá",
              "Xây dựng, phê duyệt kế hoạch, phương án xử lý cụ thể",
          ], lead="Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ"),
        D("So Nong nghiep va Moi truong Quang Tri duoc giao nhung viec gi trong chi thi 06 ve lan chiem dat rung?",
          U, "list", tasks=[
              "Tăng cường tham mưu, chỉ đạo quản lý nhà nước về rừng và đất lâm nghiệp",
              "Chỉ đạo, tham mưu chỉ đạo các đơn vị chủ rừng phối hợp",
              "Chỉ đạo cơ quan chuyên môn về đất đai hướng dẫn Ủy ban nhân dân cấp xã",
              "Chỉ đạo lực lượng Kiểm lâm thường xuyên tổ chức lực lượng",
              "Theo dõi, đôn đốc kết quả triển khai thực hiện của địa phương, đơn vị",
          ], lead="Sở Nông nghiệp và Môi trường"),
        D("sở tài chính qtri có nv gì trong cái chỉ thị chống lấn chiếm rừng v?",
          I, "list", tasks=[
              "tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí bảo vệ rừng, phòng cháy chữa cháy rừng",
              "Cân đối, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí để hỗ trợ công tác rà soát, lập hồ sơ",
          ], lead="Sở Tài chính"),
    ],
    # ------------------------------------------------------------------ Bắc Ninh
    "144-KH-UBND": [
        C("Kế hoạch phát triển kinh tế số của Bắc Ninh giai đoạn 2026–2030 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GRDP?",
          F, "II.1", "Phát triển kinh tế số đến năm 2030", "Kinh tế số chiếm 45% GRDP tỉnh"),
        C("Bac Ninh muon ty trong dao tao STEM o cac truong dai hoc dat bao nhieu theo ke hoach kinh te so?",
          U, "VI.19.c", "Các cơ sở đào tạo đại học, sau đại học",
          "Phấn đấu tỷ trọng đào tạo các ngành STEM trong các cơ sở giáo dục đại học đạt tối thiểu 30%"),
        C("kh kinh tế số bắc ninh có chương trình bình dân học vụ số cho dân ko, làm ntn?",
          I, "III.8.b", "Công dân số và văn hoá số",
          "“Bình dân học vụ số” cho người dân; chương trình đào tạo, bồi dưỡng, tập huấn kỹ năng số cho công chức, viên chức, người lao động"),
        D("Ngân hàng Nhà nước khu vực XII phải đưa tỷ lệ giao dịch không dùng tiền mặt ở Bắc Ninh lên 80% vào thời điểm nào?",
          F, "date", "2030-12-31", "đến năm 2030",
          ["Tỉ lệ giao dịch không dùng tiền mặt đạt 80%"], "Ngân hàng nhà nước khu vực XII"),
        D("So KH&CN Bac Ninh phai lam sao cho tinh co it nhat 20 tap du lieu mo duoc cong bo vao luc nao?",
          U, "date", "2030-12-31", "Đến năm 2030",
          ["tỉnh Bắc Ninh có ít nhất 20 tập dữ liệu mở"], "Sở KH&CN"),
        D("các sở ngành bắc ninh gửi báo cáo kết quả kh kinh tế số cho sở khcn hạn chót là bh?",
          I, "date", None, "trước ngày 15/11 hằng năm",
          ["gửi báo cáo kết quả thực hiện"], None),
        D("Sở Xây dựng Bắc Ninh được giao nghiên cứu tích hợp IoT vào hạ tầng quan trọng; việc này có thời hạn hoàn thành không?",
          F, "none", lead="Sở Xây dựng"),
        D("Tinh doan Bac Ninh cu dau moi cap xa vao mang luoi ho tro chuyen doi so thi han chot la bao gio?",
          U, "none", lead="Tỉnh đoàn"),
        D("công an tỉnh bắc ninh chủ trì mấy chỉ tiêu trong phụ lục kh kinh tế số xã hội số z?",
          I, "list", tasks=[
              "Tỷ lệ người dân kết nối mạng được bảo vệ ở mức cơ bản đạt 80%",
              "Tỷ lệ người dân có tài khoản định danh điện tử (VNeID) đạt 80%",
              "Tỷ lệ người dân được định danh số đạt 100%",
          ], lead="Công an tỉnh"),
        D("Trong phần tổ chức thực hiện Kế hoạch 144/KH-UBND, Sở Tài chính Bắc Ninh được giao những nhiệm vụ nào?",
          F, "list", tasks=[
              "Nghiên cứu lồng ghép chỉ tiêu, nhiệm vụ phát triển kinh tế số, xã hội số vào các quy hoạch",
              "Triển khai nhiệm vụ được giao chủ trì tại Phụ lục của Kế hoạch",
              "Chủ trì tổng hợp, tham mưu bố trí kinh phí chi thường xuyên hằng năm",
          ], lead="Sở Tài chính"),
    ],
    # ------------------------------------------------------------------ Cần Thơ
    "153-KH-UBND": [
        C("Chương trình phòng, chống ma túy của Cần Thơ đến năm 2030 đặt chỉ tiêu bao nhiêu phần trăm trạm y tế xã, phường đủ điều kiện xác định tình trạng nghiện?",
          F, "I.4.đ", "Các chỉ tiêu cụ thể đến năm 2030",
          "Trên 80% số trạm y tế xã, phường trên thành phố và 100% cơ sở cai nghiện ma túy công lập đủ điều kiện xác định tình trạng nghiện ma túy"),
        C("Ke hoach phong chong ma tuy Can Tho co nhac den viec tiep nhan to giac toi pham qua VNeID khong?",
          U, "III.3.c",
          "Nâng cao hiệu quả, chất lượng công tác truyền thông, tuyên truyền, phổ biến giáo dục phòng, chống ma túy",
          "công tác tiếp nhận, xử lý nguồn tin tội phạm trên ứng dụng phần mềm VNeID"),
        C("kh ma túy cần thơ hưởng ứng ngày toàn dân phòng chống ma túy là ngày nào v?",
          I, "III.3.d",
          "Nâng cao hiệu quả, chất lượng công tác truyền thông, tuyên truyền, phổ biến giáo dục phòng, chống ma túy",
          "Ngày Quốc tế, Ngày toàn dân phòng, chống ma túy 26/6"),
        D("Theo kế hoạch phòng, chống ma túy của Cần Thơ, đến khi nào thành phố phải có ít nhất một nửa số xã, phường không có ma túy?",
          F, "date", "2030-12-31", "đến năm 2030",
          ["đạt ít nhất 50% số xã, phường trên toàn thành phố không có ma túy"], None),
        D("bên sở mình phải gửi kế hoạch cụ thể về ma túy qua CA thành phố Cần Thơ trong bn ngày?",
          I, "date", None, "trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này",
          ["gửi kế hoạch về Ủy ban nhân dân thành phố (qua Công an thành phố)"], None),
        D("UBND phuong o Can Tho bao cao ket qua chuong trinh ma tuy hang nam truoc ngay nao?",
          U, "date", None, "Định kỳ hằng năm (trước ngày 15 tháng 12)",
          ["báo cáo kết quả về Ủy ban nhân dân thành phố (qua Công an thành phố)"], None),
        D("Sở Tư pháp Cần Thơ được giao tuyên truyền pháp luật về phòng, chống ma túy; kế hoạch có ấn định thời hạn cho việc này không?",
          F, "none", lead="Sở Tư pháp"),
        D("So Noi vu Can Tho de xuat khen thuong tap the ca nhan phong chong ma tuy phai xong truoc khi nao?",
          U, "none", lead="Sở Nội vụ"),
        D("CA tp Cần Thơ chủ trì những dự án nào của ct mục tiêu qg phòng chống ma túy v?",
          I, "list", tasks=[
              "Dự án 1: Phòng ngừa, đấu tranh tội phạm về ma túy có tổ chức, xuyên quốc gia",
              "Dự án 2: Ứng dụng khoa học và công nghệ trong phòng, chống ma túy",
              "Dự án 4: Nâng cao hiệu quả công tác phòng, chống ma túy ở cơ sở",
              "Dự án 5: Nâng cao hiệu quả cai nghiện ma túy và quản lý sau cai",
              "Dự án 7 (Tiểu dự án 2): Nâng cao hiệu quả truyền thông, giáo dục phòng, chống ma túy ở cơ sở",
              "Dự án 9: Quản lý, giám sát, đánh giá Chương trình",
          ], lead="Công an thành phố"),
        D("Sở Giáo dục và Đào tạo Cần Thơ có những nhiệm vụ gì trong kế hoạch triển khai chương trình phòng, chống ma túy?",
          F, "list", tasks=[
              "Chỉ đạo, đôn đốc, hướng dẫn các cơ sở giáo dục trên địa bàn thành phố tăng cường lồng ghép nội dung giáo dục phòng, chống ma túy",
              "Phối hợp với Công an thành phố tổ chức các hoạt động tuyên truyền",
              "Chủ trì triển khai, thực hiện các nhiệm vụ được giao tại Tiểu dự án 3 thuộc Dự án 7",
          ], lead="Sở Giáo dục và Đào tạo"),
    ],
    # ------------------------------------------------------------------ TP. Hồ Chí Minh
    "172-KH-UBND": [
        C("Kế hoạch thi hành Luật Việc làm của TP.HCM tổ chức tập huấn nghiệp vụ cho những đối tượng nào?",
          F, "II.2", "Tổ chức tập huấn, bồi dưỡng, hướng dẫn chuyên môn, nghiệp vụ",
          "người trực tiếp làm công tác bảo hiểm thất nghiệp và người trực tiếp làm công tác cho vay giải quyết việc làm"),
        C("Tien de thuc hien ke hoach Luat Viec lam o TP HCM lay tu nhung nguon nao?",
          U, "III.1", "KINH PHÍ THỰC HIỆN",
          "nguồn chi tổ chức và hoạt động bảo hiểm thất nghiệp theo quy định của Luật Việc làm"),
        C("kh luật việc làm hcm muốn phối hợp giữa những bên nào v, có tính cả đặc khu ko?",
          I, "I.1.b", "Mục đích",
          "Thiết lập cơ chế phối hợp chặt chẽ giữa các sở, ban, ngành thuộc Ủy ban nhân dân Thành phố, Ủy ban nhân dân xã, phường, đặc khu"),
        D("Theo kế hoạch của UBND TP.HCM, Luật Việc làm và các văn bản hướng dẫn phải được áp dụng thống nhất trên địa bàn kể từ ngày nào?",
          F, "date", "2026-01-01", "từ ngày 01 tháng 01 năm 2026",
          ["Luật Việc làm và các văn bản quy định chi tiết, hướng dẫn thi hành Luật Việc làm được thực hiện thống nhất"], None),
        D("So Noi vu, So GD&DT, So Tai chinh TP HCM to chuc tap huan Luat Viec lam vao thoi gian nao?",
          U, "date", None, "Năm 2025 và các năm tiếp theo",
          ["Tổ chức tập huấn, bồi dưỡng, hướng dẫn chuyên môn, nghiệp vụ"],
          "Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính"),
        D("sở nv hcm kiểm tra việc thi hành luật việc làm bắt đầu từ năm nào, có deadline ko?",
          I, "date", None, "Năm 2026 và các năm tiếp theo",
          ["Tổ chức kiểm tra việc thi hành Luật Việc làm"], "Sở Nội vụ, các sở, ban, ngành Thành phố"),
        D("Các sở, ngành TP.HCM phải tham mưu ban hành văn bản quy phạm pháp luật quy định chi tiết Luật Việc làm trước thời hạn nào?",
          F, "none", lead="Sở, ban, ngành thuộc Ủy ban nhân dân Thành phố"),
        D("Phuong xa o TP HCM bao cao ket qua thuc hien ke hoach Luat Viec lam ve Thanh pho han cuoi la ngay nao?",
          U, "none", lead=None),
        D("trong phần nội dung kh luật việc làm, sở nội vụ hcm dính vào mấy việc v?",
          I, "list", tasks=[
              "Tổ chức phổ biến, giáo dục Luật Việc làm và các văn bản quy định chi tiết, hướng dẫn thi hành",
              "Tổ chức tập huấn, bồi dưỡng, hướng dẫn chuyên môn, nghiệp vụ",
              "Tổ chức kiểm tra việc thi hành Luật Việc làm",
          ], lead="Sở Nội vụ"),
        D("Sở Tài chính TP.HCM được giao những việc gì trong Kế hoạch triển khai thi hành Luật Việc làm?",
          F, "list", tasks=[
              "Tổ chức tập huấn, bồi dưỡng, hướng dẫn chuyên môn, nghiệp vụ",
              "bố trí kinh phí chi thường xuyên theo quy định của pháp luật về ngân sách",
          ], lead="Sở Tài chính"),
    ],
    # ------------------------------------------------------------------ Hà Nội
    "310-KH-UBND": [
        C("Hiện nay các khu công nghệ cao, khu công nghiệp ở Hà Nội có bao nhiêu trạm phát sóng di động, trong đó bao nhiêu trạm 5G?",
          F, "II", "MỤC TIÊU", "khoảng 180 trạm, trong đó có 22 trạm 5G"),
        C("Den 2030 Ha Noi muon cap quang XGS-PON trong khu cong nghiep dat toc do bao nhieu?",
          U, "II.2", "Mục tiêu đến năm 2030",
          "truyền dữ liệu với tốc độ 10 Gigabit mỗi giây (10 Gbps)"),
        C("ứng dụng IoT trong nhà máy ở kcn hà nội thì ai bỏ tiền v, nhà nước có hỗ trợ ko?",
          I, "IV", "KINH PHÍ THỰC HIỆN", "Do các nhà đầu tư chủ động tự đảm bảo kinh phí"),
        D("Ban Quản lý các khu công nghệ cao và khu công nghiệp Hà Nội phải hoàn thành điều chỉnh quy hoạch hạ tầng viễn thông trong các khu vào thời điểm nào?",
          F, "date", "2026-09-30", "Quý III Năm 2026",
          ["Tổ chức điều chỉnh, bổ sung quy hoạch hạ tầng viễn thông trong các khu công nghệ cao và khu công nghiệp"],
          "Ban Quản lý các khu công nghệ cao và khu công nghiệp"),
        D("BQL cac KCN Ha Noi khao sat thuc trang ha tang vien thong trong khu cong nghiep den khi nao phai xong?",
          U, "date", "2026-06-30", "Quý IV/2025- Quý II/2026",
          ["Khảo sát, đánh giá thực trạng hạ tầng viễn thông, nhu cầu chuyển đổi số doanh nghiệp"],
          "Ban Quản lý các khu công nghệ cao và khu công nghiệp"),
        D("các dn viễn thông hà nội báo cáo kết quả kh 5G trong kcn hạn chót ngày mấy hả?",
          I, "date", None, "ngày 30 tháng 11 hàng năm",
          ["báo cáo kết quả thực hiện về UBND Thành phố"], None),
        D("Việc xây dựng kế hoạch đầu tư công, hợp tác công tư cho hạ tầng 5G, IoT trong khu công nghiệp Hà Nội có hạn hoàn thành không?",
          F, "none", lead="Ban Quản lý các khu công nghệ cao và khu công nghiệp"),
        D("So Tai chinh Ha Noi tham muu giai phap thu hut von cho ke hoach 5G khu cong nghiep phai xong khi nao?",
          U, "none", lead="Sở Tài chính"),
        D("BQL khu cnc & kcn hà nội chủ trì những nv nào trong phụ lục kh 5G IoT?",
          I, "list", tasks=[
              "Tổ chức điều chỉnh, bổ sung quy hoạch hạ tầng viễn thông trong các khu công nghệ cao và khu công nghiệp",
              "Khảo sát, đánh giá thực trạng hạ tầng viễn thông, nhu cầu chuyển đổi số doanh nghiệp",
              "Xây dựng kế hoạch đầu tư công, hợp tác công tư, dự toán kinh phí ngân sách nhà nước",
              "Tổ chức triển khai thực hiện các dự án phát triển hạ tầng có sử dụng vốn Ngân sách nhà nước",
              "Thực hiện khảo sát, thu nhập số liệu",
          ], lead="Ban Quản lý các khu công nghệ cao và khu công nghiệp"),
        D("Sở Khoa học và Công nghệ Hà Nội có những nhiệm vụ gì trong phần tổ chức thực hiện kế hoạch hạ tầng 5G, IoT tại khu công nghiệp?",
          F, "list", tasks=[
              "Thực hiện công tác quản lý nhà nước về lĩnh vực viễn thông, hạ tầng số trên địa bàn Thành phố",
              "Tham mưu, đề xuất Bộ Khoa học và Công nghệ ban hành khung pháp lý cho hạ tầng mạng IoT",
              "Tham mưu hỗ trợ, khuyến khích các doanh nghiệp, tổ chức, cá nhân tham gia đầu tư phát triển hạ tầng số",
          ], lead="Sở Khoa học và Công nghệ"),
    ],
    # ------------------------------------------------------------------ Đồng Tháp
    "556-KH-UBND": [
        C("Kế hoạch thực hiện Nghị quyết 48 về biển và hải đảo của Đồng Tháp tổ chức tuyên truyền cao điểm vào những dịp nào trong năm?",
          F, "III.1",
          "Công tác quán triệt, tuyên truyền, phổ biến thông tin để triển khai thực hiện Nghị quyết số 48/NQ-CP",
          "Ngày Môi trường thế giới (05/6), Ngày Đại dương thế giới (08/6), Tuần lễ Biển và Hải đảo Việt Nam (01 - 08/6)"),
        C("Dong Thap dat muc tieu co bao nhieu vung du an nuoi thuy san cong nghe cao theo ke hoach bien va hai dao?",
          U, "III.3.a", "Phân vùng sử dụng không gian biển",
          "Có ít nhất 02 vùng dự án nuôi thủy sản công nghệ cao"),
        C("kh 556 về biển đồng tháp thay cho kh nào của Tiền Giang cũ v mn?",
          I, "VI", "TỔ CHỨC THỰC HIỆN",
          "Kế hoạch này thay thế Kế hoạch số 371/KH-UBND ngày 31/7/2023 của Ủy ban nhân dân tỉnh Tiền Giang"),
        D("Sở Nông nghiệp và Môi trường Đồng Tháp phải phối hợp với 04 xã ven biển thành lập mới khu bảo vệ nguồn lợi thủy sản trước thời điểm nào?",
          F, "date", "2030-12-31", "đến năm 2030",
          ["thành lập mới khu bảo vệ nguồn lợi thủy sản, phục hồi hệ sinh thái biển"],
          "Sở Nông nghiệp và Môi trường"),
        D("Dong Thap phai dua dien tich rung ngap man ven bien len 1.700 ha vao nam nao?",
          U, "date", "2030-12-31", "đến năm 2030",
          ["diện tích rừng ngập mặn ven biển của tỉnh đạt 1.700 ha"], None),
        D("phường mình báo cáo kết quả kh biển hải đảo cho sở nn&mt đồng tháp hạn chót ngày nào v?",
          I, "date", None, "ngày 17 tháng 12",
          ["báo cáo kết quả thực hiện về Sở Nông nghiệp và Môi trường"], None),
        D("Sở Nội vụ Đồng Tháp lo việc phân định ranh giới hành chính trên biển giữa các xã ven biển; việc này phải xong trong thời hạn nào?",
          F, "none", lead="Sở Nội vụ"),
        D("So Cong Thuong Dong Thap moi goi dau tu khu vuc dien gio Tan Thanh 100 MW co deadline khong?",
          U, "none", lead="Sở Công Thương"),
        D("sở tài chính đồng tháp có mấy nv trong kh thực hiện nq 48 về biển z?",
          I, "list", tasks=[
              "tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh xây dựng phương án phân bổ kế hoạch đầu tư công trung hạn",
              "Đẩy mạnh huy động nguồn vốn đầu tư từ các thành phần kinh tế",
              "Tham mưu Ủy ban nhân dân tỉnh các dự án, chương trình, nhiệm vụ phát triển kinh tế biển",
              "tổ chức triển khai lập điều chỉnh Quy hoạch tỉnh Đồng Tháp thời kỳ 2021 - 2030",
              "phối hợp với Sở Nông nghiệp và Môi trường trình cấp có thẩm quyền bố trí kinh phí",
          ], lead="Sở Tài chính"),
        D("UBND bốn xã Gia Thuận, Tân Điền, Gò Công Đông và Tân Phú Đông được giao những nhiệm vụ gì trong kế hoạch biển, hải đảo của Đồng Tháp?",
          F, "list", tasks=[
              "Xây dựng kế hoạch cụ thể hóa các nhiệm vụ và giải pháp",
              "Phối hợp với các đơn vị liên quan tổ chức tuyên truyền nâng cao nhận thức cho các tầng lớp Nhân dân",
              "Chủ trì xây dựng, điều chỉnh, bố trí kinh phí và tổ chức thực hiện các nhiệm vụ của Kế hoạch trong phạm vi quyền hạn của địa phương",
          ], lead="Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông"),
    ],
    # ------------------------------------------------------------------ Đắk Lắk
    "0134-KH-UBND": [
        C("Kế hoạch quan trắc môi trường nuôi trồng thủy sản của Đắk Lắk bố trí bao nhiêu điểm quan trắc cho vùng nuôi tôm nước lợ?",
          F, "II.1.1.1.b", "Địa điểm, số điểm quan trắc", "Số điểm quan trắc: 08 điểm"),
        C("Tong kinh phi quan trac moi truong nuoi thuy san Dak Lak ca 5 nam 2026-2030 la bao nhieu?",
          U, "III.2", "DỰ TOÁN KINH PHÍ THỰC HIỆN",
          "1.500.000.000 đồng/năm x 05 năm = 7.500.000.000 đồng"),
        C("kết quả quan trắc nuôi thủy sản đắk lắk gửi tin nhắn cho khoảng bn thuê bao v?",
          I, "II.2.2", "Thông tin, tuyên truyền, báo cáo kết quả quan trắc",
          "Dự kiến khoảng 1.000 thuê bao di động nhận tin nhắn kết quả quan trắc"),
        D("Kế hoạch quan trắc, cảnh báo môi trường vùng nuôi trồng thủy sản của Đắk Lắk được thực hiện đến năm nào?",
          F, "date", "2030-12-31", "Từ năm 2026 - 2030",
          ["quan trắc, cảnh báo môi trường tại một số vùng nuôi trồng thủy sản"], None),
        D("Quan trac moi truong vung nuoi tom hum long be o Dak Lak lam trong nhung thang nao?",
          U, "date", None, "Từ tháng 3 đến tháng 11 hằng năm",
          ["Vùng nuôi tôm hùm lồng, bè"], "Sở Nông nghiệp và Môi trường"),
        D("sở nn&mt đắk lắk phải xd kế hoạch quan trắc cảnh báo môi trường bao lâu 1 lần v?",
          I, "date", None, "hàng năm",
          ["xây dựng Kế hoạch quan trắc, cảnh báo môi trường"], "Sở Nông nghiệp và Môi trường"),
        D("Khi vùng nuôi có dịch bệnh hoặc tảo nở hoa, việc quan trắc đột xuất theo kế hoạch 0134 của Đắk Lắk phải thực hiện trong thời hạn nào?",
          F, "none", lead="Sở Nông nghiệp và Môi trường"),
        D("So Tai chinh Dak Lak bo tri du toan kinh phi cho ke hoach quan trac nuoi trong thuy san truoc ngay nao?",
          U, "none", lead="Sở Tài chính"),
        D("ubnd xã có nuôi thủy sản ở đắk lắk phải làm những j theo kh quan trắc môi trường?",
          I, "list", tasks=[
              "Tổ chức hướng dẫn, vận động các cơ sở NTTS thực hiện các biện pháp bảo vệ môi trường và phòng ngừa dịch bệnh",
              "Chủ động bố trí nguồn ngân sách của địa phương để thực hiện công tác bảo vệ môi trường",
              "Kiểm tra, xử lý các cơ sở, cá nhân vi phạm cam kết, quy định bảo vệ môi trường",
              "Chỉ đạo Phòng Kinh tế/ Phòng Kinh tế, Hạ tầng và Đô thị phổ biến kịp thời kết quả quan trắc",
          ], lead="UBND các xã/phường"),
        D("Các cơ sở sản xuất giống và nuôi trồng thủy sản thương phẩm ở Đắk Lắk có trách nhiệm gì theo kế hoạch quan trắc môi trường?",
          F, "list", tasks=[
              "Chủ cơ sở có trách nhiệm giám sát chất lượng nước cấp, nước thải của cơ sở sản xuất",
              "Phối hợp chặt chẽ với các cơ quan quản lý NTTS trong quan trắc, giám sát và cảnh báo môi trường NTTS",
              "Theo dõi các diễn biến bất thường của môi trường NTTS",
          ], lead="Các cơ sở sản xuất giống, NTTS thương phẩm"),
    ],
}


# --------------------------------------------------------------------------- helpers
def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def strip_accents(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def words(s):
    return re.findall(r"\w+", unicodedata.normalize("NFC", s).lower())


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
RECURRING = ["hằng năm", "hàng năm", "hằng ngày", "hàng ngày", "định kỳ", "hàng quý",
             "hằng quý", "hàng tháng", "hằng tháng", "các năm tiếp theo", "thường xuyên"]
RELATIVE = ["kể từ", "sau khi", "đến khi", "ngay khi", "khi có"]


def last_day(y, m):
    return "%04d-%02d-%02d" % (y, m, calendar.monthrange(y, m)[1])


def derive_due(text):
    """gold_due from the timing as written (rules of the README)."""
    t = norm(text).lower()
    if any(k in t for k in RECURRING) or any(k in t for k in RELATIVE):
        return None
    # quarters: "quý III năm 2026", "quý iv/2025" -> last quarter mentioned
    qs = re.findall(r"quý\s*(iv|iii|ii|i)\s*(?:/|năm)\s*(\d{4})", t)
    if qs:
        q, y = qs[-1]
        return last_day(int(y), ROMAN[q.upper()] * 3)
    # full dates
    full = re.findall(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", t)
    full += re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", t)
    if full:
        d, m, y = full[-1]
        return "%04d-%02d-%02d" % (int(y), int(m), int(d))
    # month with year
    mon = re.findall(r"tháng\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", t)
    if mon:
        m, y = mon[-1]
        return last_day(int(y), int(m))
    years = re.findall(r"\b(\d{4})\b", t)
    if years:
        return "%s-12-31" % years[-1]
    return None  # year-less day or month


def records():
    out = {}
    for stem in STEMS:
        recs = []
        nc = nd = 0
        for item in DATA[stem]:
            if item["type"] == "content":
                nc += 1
                rid, keys = "%s-c%d" % (stem, nc), CONTENT_KEYS
            else:
                nd += 1
                rid, keys = "%s-d%d" % (stem, nd), DEADLINE_KEYS
            full = dict(item, id=rid, doc=stem + ".md")
            recs.append({k: full[k] for k in keys})
        out[stem] = recs
    return out


def dump(rec):
    return json.dumps(rec, ensure_ascii=False)


def write():
    for stem, recs in records().items():
        path = os.path.join(HERE, "questions_%s.jsonl" % stem)
        text = "".join(unicodedata.normalize("NFC", dump(r)) + "\n" for r in recs)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    print("wrote %d files" % len(STEMS))


# --------------------------------------------------------------------------- checker
def ngrams(ws, n=13):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def check():
    errors, warnings = [], []
    err = errors.append
    totals = {"content": 0, "deadline": 0, "date": 0, "none": 0, "list": 0,
              F: 0, U: 0, I: 0}
    expected = records()
    for stem in STEMS:
        path = os.path.join(HERE, "questions_%s.jsonl" % stem)
        if not os.path.exists(path):
            err("%s: missing" % path)
            continue
        raw = open(path, "rb").read()
        text = raw.decode("utf-8")
        if b"\r" in raw:
            err("%s: CR found" % stem)
        if not text.endswith("\n"):
            err("%s: no final newline" % stem)
        if unicodedata.normalize("NFC", text) != text:
            err("%s: not NFC" % stem)
        lines = text.split("\n")[:-1]
        recs = []
        for ln in lines:
            try:
                recs.append(json.loads(ln))
            except ValueError as e:
                err("%s: bad json %s" % (stem, e))
        if recs != expected[stem]:
            err("%s: file differs from build.py data (re-run build.py)" % stem)
        docpath = os.path.join(PLANS_DIR, stem + ".md")
        if not os.path.exists(docpath):
            err("%s: document not found in %s" % (stem, PLANS_DIR))
            continue
        doc_raw = open(docpath, encoding="utf-8").read()
        doc = norm(doc_raw)
        doc_plain = norm(doc_raw.replace("*", ""))
        dgrams = ngrams(words(doc_raw))
        dgrams_na = ngrams(words(strip_accents(doc_raw)))
        kinds = {"date": 0, "none": 0, "list": 0}
        styles = {"content": set(), "deadline": set()}
        scount = {F: 0, U: 0, I: 0}
        nc = nd = 0
        if len(recs) != 10:
            err("%s: %d records, want 10" % (stem, len(recs)))
        for i, r in enumerate(recs):
            rid = r.get("id")
            typ = r.get("type")
            want_id = "%s-c%d" % (stem, i + 1) if i < 3 else "%s-d%d" % (stem, i - 2)
            if rid != want_id:
                err("%s: id %s, want %s" % (stem, rid, want_id))
            if r.get("doc") != stem + ".md":
                err("%s: bad doc" % rid)
            keys = CONTENT_KEYS if typ == "content" else DEADLINE_KEYS
            if list(r.keys()) != keys:
                err("%s: key order %s" % (rid, list(r.keys())))
            if (i < 3) != (typ == "content"):
                err("%s: content must come first (3), then deadline (7)" % rid)
            q, st = r.get("question", ""), r.get("style")
            if st not in scount:
                err("%s: bad style %s" % (rid, st))
                continue
            scount[st] += 1
            totals[st] += 1
            styles[typ].add(st)
            has_dia = any(ord(c) > 127 for c in q)
            if st == U and has_dia:
                err("%s: unaccented question has non-ASCII" % rid)
            if st in (F, I) and not has_dia:
                err("%s: %s question has no diacritics" % (rid, st))
            if st == I:
                ql = q.lower()
                if not (set(words(ql)) & CHAT_MARKERS or any(p in ql for p in CHAT_PHRASES)):
                    err("%s: informal question has no chat marker" % rid)
            qw = words(q)
            if ngrams(qw) & dgrams:
                warnings.append("%s: shares a 13-word run with the document" % rid)
            if ngrams(words(strip_accents(q))) & dgrams_na:
                warnings.append("%s: shares a 13-word run (accents removed)" % rid)

            def sub(s, what):
                if not isinstance(s, str) or not s:
                    err("%s: %s empty/not a string" % (rid, what))
                    return
                if "*" in s:
                    err("%s: %s contains '*'" % (rid, what))
                if norm(s) not in doc:
                    err("%s: %s not in document: %r" % (rid, what, s))

            if typ == "content":
                nc += 1
                totals["content"] += 1
                sec = r["gold_section"]
                if not re.fullmatch(r"(?:[IVX]+|\d+(?:\.\d+)*)(?:\.(?:\d+(?:\.\d+)*|[a-zđ]))*", sec):
                    err("%s: odd gold_section %r" % (rid, sec))
                title = r["gold_section_title"]
                if "*" in title or title.endswith(":"):
                    err("%s: title has marks or colon" % rid)
                if norm(title) not in doc_plain:
                    err("%s: title not in document: %r" % (rid, title))
                if norm(q).lower() == norm(title).lower():
                    err("%s: question equals section title" % rid)
                sub(r["gold_quote"], "gold_quote")
            else:
                nd += 1
                totals["deadline"] += 1
                k = r["kind"]
                if k not in kinds:
                    err("%s: bad kind %s" % (rid, k))
                    continue
                kinds[k] += 1
                totals[k] += 1
                if r["gold_lead"] is not None:
                    sub(r["gold_lead"], "gold_lead")
                if k == "date":
                    sub(r["gold_deadline_text"], "gold_deadline_text")
                    if not isinstance(r["gold_tasks"], list) or len(r["gold_tasks"]) != 1:
                        err("%s: date needs exactly one gold_task" % rid)
                    else:
                        sub(r["gold_tasks"][0], "gold_tasks[0]")
                    due = derive_due(r["gold_deadline_text"] or "")
                    if due != r["gold_due"]:
                        err("%s: gold_due %s but derived %s" % (rid, r["gold_due"], due))
                elif k == "none":
                    for f in ("gold_due", "gold_deadline_text", "gold_tasks"):
                        if r[f] is not None:
                            err("%s: none needs %s null" % (rid, f))
                else:
                    if r["gold_due"] is not None or r["gold_deadline_text"] is not None:
                        err("%s: list needs gold_due/gold_deadline_text null" % rid)
                    ts = r["gold_tasks"]
                    if not isinstance(ts, list) or len(ts) < 2:
                        err("%s: list needs >= 2 gold_tasks" % rid)
                    else:
                        if len(set(ts)) != len(ts):
                            err("%s: duplicate gold_tasks" % rid)
                        for j, t in enumerate(ts):
                            sub(t, "gold_tasks[%d]" % j)
        if (nc, nd) != (3, 7):
            err("%s: %d content / %d deadline, want 3/7" % (stem, nc, nd))
        if tuple(kinds[k] for k in ("date", "none", "list")) != KIND_MIX[stem]:
            err("%s: kinds %s, want %s" % (stem, kinds, KIND_MIX[stem]))
        if (scount[F], scount[U], scount[I]) != (4, 3, 3):
            err("%s: styles %s, want 4/3/3" % (stem, scount))
        for typ in ("content", "deadline"):
            if styles[typ] != {F, U, I}:
                err("%s: %s questions lack a style (%s)" % (stem, typ, styles[typ]))
        print("%-14s content 3  date %d  none %d  list %d  formal %d  unaccented %d  informal %d"
              % (stem, kinds["date"], kinds["none"], kinds["list"], scount[F], scount[U], scount[I]))
    n = totals["content"] + totals["deadline"]
    if (n, totals["content"], totals["deadline"]) != (80, 24, 56):
        err("total %d (%d content, %d deadline), want 80 (24, 56)" % (n, totals["content"], totals["deadline"]))
    if (totals[F], totals[U], totals[I]) != (32, 24, 24):
        err("style totals %d/%d/%d, want 32/24/24" % (totals[F], totals[U], totals[I]))
    print("total: %d records, %d content, %d deadline (date %d, none %d, list %d); "
          "formal %d, unaccented %d, informal %d"
          % (n, totals["content"], totals["deadline"], totals["date"], totals["none"],
             totals["list"], totals[F], totals[U], totals[I]))
    # recorded hashes
    if os.path.exists(SHA_FILE):
        base = os.path.dirname(SHA_FILE)
        for ln in open(SHA_FILE, encoding="utf-8").read().splitlines():
            if not ln.strip():
                continue
            h, rel = ln.split(None, 1)
            rel = rel.lstrip("*")
            p = os.path.join(base, rel)
            if not os.path.exists(p):
                err("sha256: missing %s" % rel)
            elif hashlib.sha256(open(p, "rb").read()).hexdigest() != h:
                err("sha256: mismatch for %s" % rel)
        print("sha256: checked %s" % os.path.normpath(SHA_FILE))
    else:
        print("sha256: %s not present, skipped" % os.path.normpath(SHA_FILE))
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else "FAILED: %d error(s)" % len(errors))
    return not errors


if __name__ == "__main__":
    if "--check" not in sys.argv[1:]:
        write()
    sys.exit(0 if check() else 1)
