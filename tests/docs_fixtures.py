"""Build .docx and .pdf versions of a small plan (text written for these tests), the way real
plans arrive: a heading table, automatic list numbers in Word, hard line wraps, a paragraph
cut by a page break with the footnote and page number in between (PDF)."""
from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

TITLE = "Tăng cường kỷ luật, kỷ cương hành chính năm 2026"
PREAMBLE = "Căn cứ tình hình thực tế, Ủy ban nhân dân xã Hòa Bình ban hành Kế hoạch như sau:"
PURPOSES = [
    "Nâng cao ý thức trách nhiệm của cán bộ, công chức trong thực thi công vụ.",
    "Chấn chỉnh tình trạng trễ hẹn trong giải quyết hồ sơ của người dân.",
]
LONG_TASK = (
    "Tổ chức kiểm tra đột xuất việc chấp hành giờ giấc làm việc, thái độ phục vụ của công chức tại "
    "Trung tâm Phục vụ hành chính công xã; kịp thời chấn chỉnh và xử lý nghiêm các trường hợp vi phạm "
    "theo quy định của pháp luật về cán bộ, công chức⁽¹⁾."
)
FOOTNOTE = "Kết quả kiểm tra được tổng hợp vào báo cáo cải cách hành chính hằng quý."
SIGNER = "Lê Thị Hoa"
SECTIONS = ["I", "I.1", "I.2", "II", "II.1", "II.1.a", "II.1.b", "II.2", "III"]


def build_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = "Số: 27/KH-UBND"
    table.cell(1, 1).text = "Hòa Bình, ngày 05 tháng 3 năm 2026"
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph(TITLE)
    doc.add_paragraph(PREAMBLE)
    doc.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    for purpose in PURPOSES:  # Word's automatic numbering: "1." and "2." are not in the text
        doc.add_paragraph(purpose, style="List Number")
    doc.add_paragraph("II. NHIỆM VỤ, GIẢI PHÁP")
    doc.add_paragraph("1. Kiểm tra công vụ")
    doc.add_paragraph("a) Kiểm tra đột xuất")
    doc.add_paragraph("- " + LONG_TASK)
    doc.add_paragraph("- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.")
    doc.add_paragraph("- Thời gian thực hiện: Quý II/2026.")
    doc.add_paragraph("b) Kiểm tra định kỳ")
    doc.add_paragraph("- Kiểm tra định kỳ 6 tháng một lần đối với các bộ phận có giao dịch với người dân.")
    doc.add_paragraph("2. Công khai kết quả")
    doc.add_paragraph("- Công khai kết quả kiểm tra trên trang thông tin điện tử của xã.")
    doc.add_paragraph("⁽¹⁾ " + FOOTNOTE)
    doc.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    doc.add_paragraph("Giao Văn phòng HĐND và UBND xã theo dõi, đôn đốc thực hiện Kế hoạch này./.")
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Như trên;")
    doc.add_paragraph("- Lưu: VT.")
    doc.add_paragraph("TM. ỦY BAN NHÂN DÂN")
    doc.add_paragraph("CHỦ TỊCH")
    doc.add_paragraph(SIGNER)
    doc.save(str(path))
    return path


def build_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    width = 120  # narrow column: long lines wrap, as in scanned-then-OCRed plans

    def page_number(n: int) -> None:
        pdf.set_xy(100, 285)
        pdf.cell(10, 5, str(n))

    pdf.add_page()
    pdf.set_xy(15, 15)
    for line in ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "Số: 27/KH-UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Hòa Bình, ngày 05 tháng 3 năm 2026", "", "KẾ HOẠCH", TITLE, "", PREAMBLE, "",
                 "I. MỤC ĐÍCH, YÊU CẦU", f"1. {PURPOSES[0]}", f"2. {PURPOSES[1]}", "", "II. NHIỆM VỤ, GIẢI PHÁP",
                 "1. Kiểm tra công vụ", "a) Kiểm tra đột xuất"]:
        pdf.set_x(15)
        pdf.multi_cell(width, 6, line or " ")
    # the long task starts on page 1 and is cut by the page break
    words = ("- " + LONG_TASK).split()
    first, second = " ".join(words[:22]), " ".join(words[22:])
    pdf.set_x(15)
    pdf.multi_cell(width, 6, first)
    pdf.set_xy(15, 270)
    pdf.multi_cell(width, 5, "⁽¹⁾ " + FOOTNOTE)
    page_number(1)
    pdf.add_page()
    pdf.set_xy(15, 15)
    for line in [second, "- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.", "- Thời gian thực hiện: Quý II/2026.",
                 "b) Kiểm tra định kỳ", "- Kiểm tra định kỳ 6 tháng một lần đối với các bộ phận có giao dịch với người dân.",
                 "2. Công khai kết quả", "- Công khai kết quả kiểm tra trên trang thông tin điện tử của xã.", "",
                 "III. TỔ CHỨC THỰC HIỆN", "Giao Văn phòng HĐND và UBND xã theo dõi, đôn đốc thực hiện Kế hoạch này./.", "",
                 "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", SIGNER]:
        pdf.set_x(15)
        pdf.multi_cell(width, 6, line or " ")
    page_number(2)
    pdf.output(str(path))
    return path
