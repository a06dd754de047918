"""Canned Vietnamese texts for answers that are not composed from a source."""
from __future__ import annotations

EMPTY_QUESTION = (
    "Bạn chưa nhập câu hỏi. Hãy hỏi về một thủ tục hành chính (ví dụ: “đăng ký khai sinh cần giấy tờ gì?”) "
    "hoặc về nội dung một kế hoạch (ví dụ: “kế hoạch 341 giao phòng nào chủ trì?”)."
)
NO_ANSWER = (
    "Xin lỗi, tôi chưa tìm thấy thông tin đủ tin cậy để trả lời câu hỏi này trong các thủ tục và kế hoạch "
    "đã được công bố."
)
NEXT_STEPS = (
    "Bạn có thể: (1) hỏi lại cụ thể hơn, ví dụ nêu tên thủ tục hoặc số kế hoạch; "
    "(2) gửi phản ánh, kiến nghị để cơ quan có thẩm quyền trả lời; "
    "(3) đề nghị chuyển cho cán bộ hỗ trợ."
)
SUGGESTIONS = "Có thể bạn muốn hỏi về:"
NOT_READY = (
    "Hệ thống tra cứu đang được chuẩn bị dữ liệu, bạn vui lòng thử lại sau ít phút. "
    "Nếu cần gấp, bạn có thể gửi phản ánh, kiến nghị hoặc đề nghị gặp cán bộ."
)
ERROR = "Xin lỗi, hệ thống đang gặp sự cố khi tra cứu. Bạn vui lòng thử lại sau."
SEE_ALSO = "Xem thêm:"
LONG_QUESTION_NOTE = "(Câu hỏi dài, tôi chỉ dùng phần đầu để tra cứu.)"
UNKNOWN_PROCEDURE = "Không tìm thấy thủ tục này trong cơ sở tri thức hiện có. Bạn hãy hỏi lại bằng tên thủ tục."
CLARIFY = "Thủ tục này có nhiều trường hợp khác nhau. Bạn hỏi về trường hợp nào?"
FULL = "Xem đầy đủ"
