"""Write knowledge/sample/procedures.jsonl: demo procedures in the national portal's flattened
format. The text is written for this project (not copied from the portal); codes start with 9.
so they can never be mistaken for real procedure codes. Run: python scripts/make_sample_procedures.py
"""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "knowledge" / "sample" / "procedures.jsonl"
NOTE = "Dữ liệu mẫu để chạy thử, không dùng để giải quyết hồ sơ"


def channels(rows):
    """rows: (channel, time, fee, description)"""
    return "Hình thức nộpThời gianPhí, lệ phíMô tả" + "".join(f"{c}{t}{f}{d}" for c, t, f, d in rows)


def documents(groups):
    """groups: [(title or '--', [(name, form, quantity)])]"""
    out = ""
    for title, items in groups:
        out += title + "Tên giấy tờMẫu đơn, tờ khaiSố lượng" + "".join(f"{n}{f}{q}" for n, f, q in items)
    return out


def legal(items):
    return "Tên văn bản pháp lýMã văn bản" + "".join(f"{t}{c}" for t, c in items)


def results(names):
    return "".join(f"{n}Mã: KQ.S{i:04d}Từ khóaKhông có thông tinMô tảKhông có thông tin" for i, n in enumerate(names, 1))


P = []


def add(code, name, level, field, agency, rows, docs, steps, conditions, laws, outs, audience="Công dân Việt Nam"):
    record = {
        "ma_thu_tuc": code,
        "detail_url": "",
        "ten_thu_tuc": name,
        "so_quyet_dinh": NOTE,
        "cap_thuc_hien": level,
        "loai_thu_tuc": "TTHC được luật giao quy định chi tiết",
        "linh_vuc": field,
        "doi_tuong_thuc_hien": audience,
        "co_quan_co_tham_quyen": agency,
        "dia_chi_tiep_nhan": "Trung tâm Phục vụ hành chính công xã Mẫu Sơn",
        "co_quan_duoc_uy_quyen": "",
        "co_quan_phoi_hop": "",
        "thu_tuc_lien_quan": "Không có thông tin",
        "trinh_tu_thuc_hien": steps,
        "cach_thuc_thuc_hien": channels(rows),
        "thanh_phan_ho_so": documents(docs),
        "can_cu_phap_ly": legal(laws),
        "co_quan_thuc_hien": agency,
        "yeu_cau_dieu_kien": conditions or "Không có thông tin",
        "ket_qua_xu_ly": results(outs),
        "formality_id": "",
    }
    record["raw_text"] = " ".join(str(v) for v in record.values())
    P.append(record)


ONLINE = "Nộp trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID."
DESK = "Nộp tại Trung tâm Phục vụ hành chính công xã."
POST = "Gửi hồ sơ qua dịch vụ bưu chính công ích."

add("9.000101", "Đăng ký khai sinh", "Cấp xã", "Hộ tịch", "Ủy ban nhân dân cấp xã",
    [("Trực tiếp", "1 Ngày làm việc", "Miễn phí", DESK), ("Trực tuyến", "1 Ngày làm việc", "Miễn phí", ONLINE),
     ("Dịch vụ bưu chính", "1 Ngày làm việc", "Miễn phí", POST)],
    [("--", [("Tờ khai đăng ký khai sinh theo mẫu", "ToKhaiKhaiSinh.docx", "1 bản chính"),
             ("Giấy chứng sinh do cơ sở y tế cấp; nếu không có thì văn bản xác nhận của người làm chứng", "", "1 bản chính"),
             ("Văn bản ủy quyền trong trường hợp nhờ người khác nộp thay (nếu có)", "", "1 bản chính")])],
    "Bước 1: Người đi đăng ký nộp hồ sơ tại Trung tâm Phục vụ hành chính công xã hoặc nộp trực tuyến.\n"
    "Bước 2: Công chức tư pháp - hộ tịch kiểm tra hồ sơ; nếu nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.\n"
    "Bước 3: Ghi vào Sổ đăng ký khai sinh, cấp số định danh cá nhân và trả Giấy khai sinh.",
    "Cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con trong thời hạn 60 ngày kể từ ngày sinh.",
    [("Luật Hộ tịch", "60/2014/QH13"), ("Nghị định quy định chi tiết Luật Hộ tịch", "123/2015/NĐ-CP")],
    ["Giấy khai sinh"])

add("9.000102", "Đăng ký kết hôn", "Cấp xã", "Hộ tịch", "Ủy ban nhân dân cấp xã",
    [("Trực tiếp", "1 Ngày làm việc", "Miễn phí", DESK), ("Trực tuyến", "1 Ngày làm việc", "Miễn phí", ONLINE)],
    [("--", [("Tờ khai đăng ký kết hôn của hai bên nam, nữ", "ToKhaiKetHon.docx", "1 bản chính"),
             ("Giấy xác nhận tình trạng hôn nhân nếu một bên cư trú ở xã khác", "", "1 bản chính")])],
    "Bước 1: Hai bên nam, nữ cùng có mặt nộp hồ sơ.\nBước 2: Công chức tư pháp - hộ tịch kiểm tra điều kiện kết hôn.\n"
    "Bước 3: Hai bên ký vào Sổ đăng ký kết hôn và nhận Giấy chứng nhận kết hôn.",
    "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; việc kết hôn do hai bên tự nguyện quyết định; không thuộc trường hợp cấm kết hôn.",
    [("Luật Hôn nhân và gia đình", "52/2014/QH13"), ("Luật Hộ tịch", "60/2014/QH13")],
    ["Giấy chứng nhận kết hôn"])

add("9.000103", "Đăng ký thường trú", "Cấp xã", "Đăng ký, quản lý cư trú", "Công an cấp xã",
    [("Trực tuyến", "7 Ngày làm việc", "10,000 VNĐ(Nộp trực tuyến thu 10.000 đồng/lần đăng ký)", ONLINE),
     ("Trực tiếp", "7 Ngày làm việc", "20,000 VNĐ(20.000 đồng/lần đăng ký)", "Nộp tại Công an xã.")],
    [("--", [("Tờ khai thay đổi thông tin cư trú", "CT01.docx", "1 bản chính"),
             ("Giấy tờ chứng minh chỗ ở hợp pháp", "", "0 bản chính,1 bản sao"),
             ("Văn bản đồng ý của chủ hộ, chủ sở hữu chỗ ở khi đăng ký vào chỗ ở không thuộc sở hữu của mình", "", "1 bản chính")])],
    "Bước 1: Công dân nộp hồ sơ tại Công an xã hoặc qua Cổng Dịch vụ công.\nBước 2: Công an xã kiểm tra, cập nhật thông tin vào Cơ sở dữ liệu về cư trú.\n"
    "Bước 3: Thông báo kết quả cho công dân.",
    "Có chỗ ở hợp pháp; trường hợp thuê, mượn, ở nhờ phải bảo đảm diện tích nhà ở tối thiểu theo quy định.",
    [("Luật Cư trú", "68/2020/QH14")],
    ["Thông tin cư trú được cập nhật trong Cơ sở dữ liệu về cư trú"])

add("9.000104", "Đăng ký tạm trú", "Cấp xã", "Đăng ký, quản lý cư trú", "Công an cấp xã",
    [("Trực tuyến", "3 Ngày làm việc", "7,000 VNĐ", ONLINE), ("Trực tiếp", "3 Ngày làm việc", "15,000 VNĐ", "Nộp tại Công an xã.")],
    [("--", [("Tờ khai thay đổi thông tin cư trú", "CT01.docx", "1 bản chính"),
             ("Hợp đồng thuê nhà hoặc giấy tờ chứng minh chỗ ở hợp pháp", "", "0 bản chính,1 bản sao")])],
    "Bước 1: Người đăng ký nộp hồ sơ tại Công an xã nơi dự kiến tạm trú.\nBước 2: Công an xã thẩm định và cập nhật thông tin tạm trú.",
    "Sinh sống tại chỗ ở hợp pháp ngoài nơi thường trú từ 30 ngày trở lên.",
    [("Luật Cư trú", "68/2020/QH14")],
    ["Thông tin tạm trú được cập nhật"])

add("9.000105", "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", "Cấp xã", "Cấp, quản lý căn cước", "Công an cấp xã",
    [("Trực tiếp", "7 Ngày làm việc", "Miễn phí(Cấp lần đầu không thu lệ phí)", "Công dân đến trực tiếp để thu nhận vân tay, ảnh chân dung, mống mắt.")],
    [("--", [("Phiếu thu nhận thông tin căn cước (cán bộ in từ hệ thống)", "", "1 bản chính")])],
    "Bước 1: Công dân đến Công an xã, cán bộ tra cứu thông tin trong Cơ sở dữ liệu quốc gia về dân cư.\n"
    "Bước 2: Thu nhận ảnh khuôn mặt, vân tay, mống mắt.\nBước 3: Hẹn ngày trả thẻ hoặc trả qua bưu chính theo yêu cầu.",
    "Công dân Việt Nam từ đủ 14 tuổi trở lên đã có thông tin trong Cơ sở dữ liệu quốc gia về dân cư.",
    [("Luật Căn cước", "26/2023/QH15")],
    ["Thẻ căn cước"])

add("9.000106", "Chứng thực bản sao từ bản chính", "Cấp xã", "Chứng thực", "Ủy ban nhân dân cấp xã",
    [("Trực tiếp", "Không có thông tin", "2,000 VNĐ(/trang)", "2.000 đồng/trang; từ trang thứ ba trở đi 1.000 đồng/trang, tối đa 200.000 đồng/bản.")],
    [("--", [("Bản chính giấy tờ làm cơ sở chứng thực và bản sao cần chứng thực", "", "1 bản chính")])],
    "Người yêu cầu xuất trình bản chính; người thực hiện chứng thực đối chiếu, ghi lời chứng, ký và đóng dấu. "
    "Trường hợp nộp sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
    "Bản chính không bị tẩy xóa, sửa chữa, hư hỏng.",
    [("Nghị định về chứng thực", "23/2015/NĐ-CP")],
    ["Bản sao được chứng thực từ bản chính"])

add("9.000107", "Đăng ký khai tử", "Cấp xã", "Hộ tịch", "Ủy ban nhân dân cấp xã",
    [("Trực tiếp", "1 Ngày làm việc", "Miễn phí", DESK), ("Trực tuyến", "1 Ngày làm việc", "Miễn phí", ONLINE)],
    [("--", [("Tờ khai đăng ký khai tử theo mẫu", "ToKhaiKhaiTu.docx", "1 bản chính"),
             ("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử", "", "1 bản chính")])],
    "Bước 1: Người thân nộp hồ sơ trong thời hạn 15 ngày kể từ ngày có người chết.\nBước 2: Công chức tư pháp - hộ tịch ghi vào Sổ đăng ký khai tử và cấp Trích lục khai tử.",
    "",
    [("Luật Hộ tịch", "60/2014/QH13")],
    ["Trích lục khai tử"])

add("9.000108", "Cấp Giấy xác nhận tình trạng hôn nhân", "Cấp xã", "Hộ tịch", "Ủy ban nhân dân cấp xã",
    [("Trực tiếp", "3 Ngày làm việc", "Miễn phí", DESK), ("Trực tuyến", "3 Ngày làm việc", "Miễn phí", ONLINE)],
    [("--", [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "ToKhaiTTHN.docx", "1 bản chính"),
             ("Bản án, quyết định ly hôn đã có hiệu lực nếu trước đây đã kết hôn (nếu có)", "", "0 bản chính,1 bản sao")])],
    "Bước 1: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công xã nơi thường trú.\nBước 2: Công chức tư pháp - hộ tịch kiểm tra, xác minh nếu cần và trình ký.",
    "",
    [("Nghị định quy định chi tiết Luật Hộ tịch", "123/2015/NĐ-CP")],
    ["Giấy xác nhận tình trạng hôn nhân"])

add("9.000109", "Đăng ký thành lập hộ kinh doanh", "Cấp xã", "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)", "Phòng Kinh tế xã",
    [("Trực tiếp", "3 Ngày làm việc", "100,000 VNĐ", DESK), ("Trực tuyến", "3 Ngày làm việc", "Miễn phí(Nộp trực tuyến được miễn lệ phí)", ONLINE)],
    [("--", [("Giấy đề nghị đăng ký hộ kinh doanh", "MauHKD01.docx", "1 bản chính"),
             ("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu các thành viên cùng góp vốn)", "", "0 bản chính,1 bản sao")])],
    "Bước 1: Chủ hộ kinh doanh nộp hồ sơ.\nBước 2: Cơ quan đăng ký kinh doanh cấp xã kiểm tra tính hợp lệ.\nBước 3: Cấp Giấy chứng nhận đăng ký hộ kinh doanh.",
    "Ngành, nghề kinh doanh không bị cấm; tên hộ kinh doanh không trùng trong phạm vi xã.",
    [("Nghị định về đăng ký doanh nghiệp", "168/2025/NĐ-CP")],
    ["Giấy chứng nhận đăng ký hộ kinh doanh"])

add("9.000110", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "Cấp xã", "Đất đai", "Chi nhánh Văn phòng đăng ký đất đai",
    [("Trực tiếp", "7 Ngày làm việc", "Không có thông tin", DESK), ("Dịch vụ bưu chính", "7 Ngày làm việc", "Không có thông tin", POST)],
    [("--", [("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", "Mau11DK.docx", "1 bản chính"),
             ("Bản gốc Giấy chứng nhận đã cấp", "", "1 bản chính")])],
    "Bước 1: Người sử dụng đất nộp hồ sơ.\nBước 2: Văn phòng đăng ký đất đai kiểm tra, xác nhận và in Giấy chứng nhận mới.\nBước 3: Trả kết quả.",
    "Giấy chứng nhận cũ bị ố, nhòe, rách, hư hỏng hoặc người sử dụng đất có nhu cầu đổi sang mẫu mới.",
    [("Luật Đất đai", "31/2024/QH15")],
    ["Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"],
    audience="Công dân Việt Nam, Tổ chức")

add("9.000111", "Cấp Phiếu lý lịch tư pháp", "Cấp tỉnh", "Lý lịch tư pháp", "Sở Tư pháp",
    [("Trực tiếp", "10 Ngày làm việc", "200,000 VNĐ(200.000 đồng/lần/người)", "Nộp tại Trung tâm Phục vụ hành chính công tỉnh."),
     ("Trực tuyến", "10 Ngày làm việc", "200,000 VNĐ", ONLINE)],
    [("--", [("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Mau03LLTP.docx", "1 bản chính")])],
    "Bước 1: Nộp tờ khai.\nBước 2: Sở Tư pháp tra cứu, xác minh thông tin lý lịch tư pháp.\nBước 3: Cấp Phiếu lý lịch tư pháp.",
    "",
    [("Luật Lý lịch tư pháp", "28/2009/QH12")],
    ["Phiếu lý lịch tư pháp"])

add("9.000112", "Tiếp nhận phản ánh, kiến nghị về quy định hành chính", "Cấp xã", "Kiểm soát thủ tục hành chính", "Văn phòng HĐND và UBND xã",
    [("Trực tiếp", "10 Ngày làm việc", "Miễn phí", DESK), ("Trực tuyến", "10 Ngày làm việc", "Miễn phí", "Gửi qua Cổng Dịch vụ công quốc gia hoặc trợ lý trực tuyến của xã.")],
    [("--", [("Văn bản phản ánh, kiến nghị ghi rõ nội dung, họ tên, địa chỉ, số điện thoại của người gửi", "", "1 bản chính")])],
    "Bước 1: Tiếp nhận phản ánh, kiến nghị.\nBước 2: Phân loại, xử lý hoặc chuyển cơ quan có thẩm quyền trong 05 ngày làm việc.\nBước 3: Thông báo và công khai kết quả xử lý.",
    "Phản ánh, kiến nghị viết bằng tiếng Việt, có nội dung rõ ràng và thông tin liên hệ của người gửi.",
    [("Nghị định về tiếp nhận, xử lý phản ánh, kiến nghị", "20/2008/NĐ-CP")],
    ["Văn bản trả lời kết quả xử lý phản ánh, kiến nghị"],
    audience="Công dân Việt Nam, Tổ chức, Doanh nghiệp")

OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in P), encoding="utf-8")
print(f"wrote {len(P)} records to {OUT}")
