"""Feedback end to end: the chat form through POST /api/chat with bad inputs, concurrent
submissions, routing and due dates, the officials' API and CLI, replies pushed back to the
citizen, QĐ 766 ratios — on SQLite and PostgreSQL."""
import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.cli import main
from bot.server import create_app
from feedback import service
from feedback.stats import ratios
from storage.db import session_factory
from storage.models import Feedback, FeedbackEvent, OutboundMessage
from vietnamese.workdays import default_calendar
from tests.conftest import RELAY

TOKEN = {"Authorization": "Bearer test-token"}
CONTENT = "Hồ sơ đăng ký thường trú của tôi nộp ở xã Mẫu Sơn đã hai tuần mà chưa có kết quả, cán bộ không giải thích"


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setenv("CIVIC_SERVER__API_TOKENS", json.dumps({"test-token": "can-bo-a"}))
    monkeypatch.setenv("CIVIC_FEEDBACK__OPEN311_API_KEYS", json.dumps(["open311-key"]))
    from core.config import reset_settings

    reset_settings()
    with TestClient(create_app(engine=engine), headers=RELAY) as c:
        yield c


def chat(client, user, text=None, payload=None):
    response = client.post("/api/chat", json={"user_id": user, "text": text, "payload": payload})
    assert response.status_code == 200, response.text
    return "\n".join(m["text"] for m in response.json()["messages"])


def test_bad_inputs_are_reasked_and_nothing_already_given_is_lost(client, engine):
    user = "bad-input-user"
    chat(client, user, payload="/file_feedback")
    # empty: the API refuses it clearly, the conversation is untouched
    response = client.post("/api/chat", json={"user_id": user, "text": "   "})
    assert response.status_code == 400 and "Tin nhắn trống" in response.json()["error"]
    assert "đang trống" in engine.handle("web", user, text="").messages[0].text  # the form's own message
    # 10,000 characters: the API refuses them before the conversation; the form has its own bound
    response = client.post("/api/chat", json={"user_id": user, "text": "Cán bộ " * 1250})
    assert response.status_code == 413 and "tối đa 4.000 ký tự" in response.json()["error"]
    assert "vượt mức tối đa 4.000 ký tự" in engine.handle("web", user, text="Cán bộ " * 1250).messages[0].text
    assert "chưa có chữ" in chat(client, user, "😡😡😡🤬🤬")
    assert "mã lệnh" in chat(client, user, "<script>alert('xss')</script> cán bộ xã làm chậm hồ sơ của tôi")
    assert "mã lệnh" in chat(client, user, "'; DROP TABLE feedback; -- hồ sơ bị trả lại nhiều lần")
    assert "liên quan đến thủ tục" in chat(client, user, CONTENT)
    assert "số điện thoại sẽ được hỏi ở bước sau" in chat(client, user, "so cccd cua toi 001203004567")  # not "what it is about"
    chat(client, user, payload="/deny")
    assert "Họ tên chưa hợp lệ" in chat(client, user, "<b>An</b>")
    chat(client, user, "Phạm Thị Dung")
    assert "mã lệnh" in chat(client, user, "<img src=x onerror=alert(1)>")
    chat(client, user, "Xóm 1, xã Mẫu Sơn, tỉnh Lạng Sơn")
    assert "Số điện thoại chưa hợp lệ" in chat(client, user, "12345")
    assert "Số điện thoại chưa hợp lệ" in chat(client, user, "' OR 1=1 --")
    summary = chat(client, user, "0912 000 111")
    for kept in ("Phạm Thị Dung", "Xóm 1, xã Mẫu Sơn", "+84912000111", "hai tuần mà chưa có kết quả"):
        assert kept in summary
    assert "Mã theo dõi" in chat(client, user, payload="/affirm")
    with session_factory()() as s:
        item = s.scalar(select(Feedback))
        assert item.content == CONTENT and item.reporter_name == "Phạm Thị Dung" and item.channel == "web"


def fill(client, user, index):
    chat(client, user, f"Cán bộ xã hẹn tôi nhiều lần mà hồ sơ số {index} vẫn chưa được giải quyết, đề nghị xem xét")
    chat(client, user, payload="/deny")
    chat(client, user, f"Nguyễn Văn Số {chr(65 + index % 26)}")
    chat(client, user, f"Thôn {index}, xã Mẫu Sơn")
    chat(client, user, f"09123{index:05d}")
    return chat(client, user, payload="/affirm")


def test_fifty_concurrent_submissions_get_fifty_codes(client):
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda i: fill(client, f"citizen-{i:02d}", i), range(50)))
    codes = [next(w for w in reply.split() if w.startswith("PA-")) for reply in replies]
    assert len(set(codes)) == 50
    with session_factory()() as s:
        assert s.scalar(select(func.count(Feedback.id))) == 50
        assert len(set(s.scalars(select(Feedback.code)))) == 50
        assert s.scalar(select(func.count(FeedbackEvent.id)).where(FeedbackEvent.action == "created")) == 50


def test_routing_category_and_working_day_due_dates(engine):
    sessions = session_factory()
    now = datetime(2026, 4, 24, 3, 0, tzinfo=timezone.utc)  # Friday 24/4/2026 (local), before Giỗ Tổ and 30/4
    by_procedure = service.submit(sessions, service.Draft("Hồ sơ đăng ký tạm trú nộp hai tuần chưa có kết quả gì cả",
                                                          procedure_code="9.000104", procedure_agency="Công an cấp xã"), now)
    by_mention = service.submit(sessions, service.Draft("Cán bộ Phòng Kinh tế xã có thái độ hách dịch với người dân đến làm hồ sơ"), now)
    default = service.submit(sessions, service.Draft("Quy định về giờ tiếp dân không phù hợp với người lao động đi làm cả ngày"), now)
    assert (by_procedure.agency_id, by_procedure.category) == ("cong-an-xa", "procedure")
    assert (by_mention.agency_id, by_mention.category) == ("phong-kinh-te-xa", "conduct")
    assert (default.agency_id, default.category) == ("van-phong-ubnd-xa", "regulation")
    calendar = default_calendar()
    received = date(2026, 4, 24)
    assert by_procedure.due_at == calendar.add_working_days(received, 10)
    # 27/4 (Giỗ Tổ compensatory day), 30/4, 1/5 and the weekends are skipped
    assert by_procedure.due_at == date(2026, 5, 13)  # 28, 29/4, 4-8/5, 11, 12, 13/5
    assert default.due_at == calendar.add_working_days(received, 15)
    assert service.forward_due(received) == date(2026, 5, 6)
    assert re.fullmatch(r"PA-2026-[2-9A-HJKMNP-Z]{6}", by_procedure.code)


def test_officials_update_with_audit_trail_and_the_citizen_gets_the_reply(client):
    user = "filer-1"
    code = next(w for w in fill(client, user, 7).split() if w.startswith("PA-"))
    assert client.get("/api/feedback").status_code == 401
    listed = client.get("/api/feedback?status=received", headers=TOKEN).json()
    assert listed["total"] == 1 and "reporter" not in listed["items"][0]
    shown = client.get(f"/api/feedback/{code}", headers=TOKEN).json()
    assert shown["reporter"]["phone"] == "+84912300007" and shown["events"][0]["action"] == "created"
    assert client.post(f"/api/feedback/{code}", json={"status": "bogus"}, headers=TOKEN).status_code == 400
    updated = client.post(f"/api/feedback/{code}", json={"status": "in_progress", "note": "Đã giao cán bộ tư pháp", "assign": "can-bo-b"}, headers=TOKEN).json()
    assert updated["status_label"] == "Đang xử lý"
    updated = client.post(f"/api/feedback/{code}", json={"status": "resolved", "reply": "Hồ sơ đã được giải quyết, mời ông nhận kết quả."}, headers=TOKEN).json()
    actions = [(e["actor"], e["action"]) for e in updated["events"]]
    assert ("can-bo-a", "assign") in actions and ("can-bo-a", "reply") in actions and actions.count(("can-bo-a", "status")) == 2
    # the reply waits in the outbox until the web chat fetches it, once
    pushed = client.get("/api/chat/updates", params={"user_id": user}).json()["messages"]
    assert any("Hồ sơ đã được giải quyết" in m["text"] for m in pushed)
    assert client.get("/api/chat/updates", params={"user_id": user}).json()["messages"] == []
    # the filer rates the handling; somebody else cannot
    assert "mức nào" in chat(client, user, payload=f'/give_rating{{"feedback": "{code}"}}')
    assert "Cảm ơn" in chat(client, user, payload=f'/give_rating{{"feedback": "{code}", "rating": "4"}}')
    assert "Chỉ người gửi" in chat(client, "stranger", payload=f'/give_rating{{"feedback": "{code}", "rating": "1"}}')
    with session_factory()() as s:
        assert s.scalar(select(Feedback.satisfaction)) == 4


def test_asking_to_rate_the_handling_offers_the_persons_own_answered_feedback(client):
    user = "filer-rates-later"
    code = next(w for w in fill(client, user, 8).split() if w.startswith("PA-"))
    client.post(f"/api/feedback/{code}", json={"status": "resolved", "reply": "Đã xử lý xong."}, headers=TOKEN)
    response = client.post("/api/chat", json={"user_id": user, "text": "tôi muốn đánh giá việc xử lý phản ánh"}).json()
    buttons = [b for m in response["messages"] for b in m.get("buttons") or []]
    assert buttons[0] == {"title": f"Việc xử lý phản ánh {code}", "payload": f'/give_rating{{"feedback": "{code}"}}'}
    other = client.post("/api/chat", json={"user_id": "someone-else", "text": "tôi muốn đánh giá việc xử lý phản ánh"}).json()
    assert not any(code in b["title"] for m in other["messages"] for b in m.get("buttons") or [])
    assert any("chưa có phản ánh nào đã có kết quả" in m["text"] for m in other["messages"])  # said, not a silent survey
    assert not any("chưa có phản ánh nào" in m["text"] for m in response["messages"])
    assert "mức nào" in chat(client, user, payload=buttons[0]["payload"])
    assert "Cảm ơn" in chat(client, user, "ko hài lòng")
    with session_factory()() as s:
        assert s.scalar(select(Feedback.satisfaction).where(Feedback.code == code)) == 2
    # rated: no longer offered
    again = client.post("/api/chat", json={"user_id": user, "text": "tôi muốn đánh giá việc xử lý phản ánh"}).json()
    assert not any(code in b["title"] for m in again["messages"] for b in m.get("buttons") or [])


def test_cli_feedback_list_show_update(client, capsys):
    code = next(w for w in fill(client, "cli-user", 3).split() if w.startswith("PA-"))
    assert main(["feedback", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["items"][0]["code"] == code
    assert main(["feedback", "update", code, "--status", "classified", "--note", "Thuộc thẩm quyền", "--actor", "cli-test", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "classified"
    assert main(["feedback", "show", code]) == 0
    out = capsys.readouterr().out
    assert "Đã phân loại" in out and "cli-test" in out and "+84912300003" in out
    assert main(["feedback", "update", "PA-2026-999999", "--status", "resolved"]) == 1


def test_open311_round_trip(client):
    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services} == {"conduct", "procedure", "regulation", "other"}
    form = {"service_code": "procedure", "description": "Đèn chiếu sáng trước trụ sở xã hỏng hai tuần, hồ sơ nộp tối khó đi lại",
            "first_name": "Bình", "last_name": "Trần Văn", "phone": "0912 555 666", "address_string": "Thôn 2, xã Mẫu Sơn",
            "lat": "21.85", "long": "106.76"}
    assert client.post("/open311/v2/requests.json", data=form).status_code == 403
    bad = client.post("/open311/v2/requests.json", data={**form, "api_key": "open311-key", "phone": "123", "service_code": "x"})
    assert bad.status_code == 400 and {e["code"] for e in bad.json()} == {400} and len(bad.json()) == 2
    created = client.post("/open311/v2/requests.json", data={**form, "api_key": "open311-key"}).json()
    request_id = created[0]["service_request_id"]
    assert request_id.startswith("PA-")
    as_json = client.post("/open311/v2/requests.json", json={**form, "api_key": "open311-key", "service_code": "other"}).json()
    # before publication: the status only, never the citizen's words, place or photos
    one = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "procedure" and one["description"] is None and one["lat"] is None
    assert "Đèn chiếu sáng" not in json.dumps(one, ensure_ascii=False) and "Thôn 2" not in json.dumps(one, ensure_ascii=False)
    assert client.get("/open311/v2/requests.json").json() == []  # the list holds published items only
    assert client.get("/open311/v2/requests.json", params={"service_request_id": f"{request_id},{as_json[0]['service_request_id']}"}).json() == []
    client.post(f"/api/feedback/{request_id}", json={"status": "resolved", "reply": "Đã thay bóng đèn, gọi 0912 555 666 nếu cần."}, headers=TOKEN)
    closed = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert closed["status"] == "closed" and "Đã thay bóng đèn" not in closed["status_notes"]  # resolved is not published
    client.post(f"/api/feedback/{request_id}", json={"status": "published"}, headers=TOKEN)
    published = client.get("/open311/v2/requests.json", params={"status": "closed", "service_code": "procedure"}).json()
    assert [p["service_request_id"] for p in published] == [request_id]
    assert "Đã thay bóng đèn" in published[0]["status_notes"] and published[0]["lat"] == 21.85
    assert "Đèn chiếu sáng" in published[0]["description"]
    text = json.dumps(published, ensure_ascii=False)
    assert "0912 555 666" not in text and "Trần Văn Bình" not in text
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    assert client.get("/open311/v2/requests.json", params={"start_date": future}).json() == []
    assert client.get("/open311/v2/requests/PA-2026-999999.json").status_code == 404


def test_qd766_ratios_match_a_hand_computation(engine):
    sessions = session_factory()
    day = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    items = [service.submit(sessions, service.Draft(f"Phản ánh số {i} về việc giải quyết hồ sơ chậm trễ kéo dài"), day) for i in range(6)]
    due = items[0].due_at
    on_time = datetime.combine(due - timedelta(days=2), datetime.min.time(), timezone.utc)
    late = datetime.combine(due + timedelta(days=3), datetime.min.time(), timezone.utc)
    with sessions() as s, s.begin():
        rows = {f.code: f for f in s.scalars(select(Feedback))}
        a, b, c, d, e, f = (rows[i.code] for i in items)
        a.status, a.resolved_at, a.satisfaction = "resolved", on_time, 5  # on time, satisfied
        b.status, b.resolved_at, b.satisfaction = "resolved", on_time, 1  # on time, not satisfied
        c.status, c.resolved_at = "resolved", late  # late
        d.status = "in_progress"  # open and past due (today is after the due date)
        e.status = "rejected"  # not in the agency's authority... but decided? no: rejected items are not resolved
        f.status = "in_progress"
    result = ratios(sessions, today=due + timedelta(days=10))
    # decided: a, b, c (resolved) + d, f (open, overdue) = 5; in authority: the same 5
    # on time: a, b -> 2/5 = 40%; unsatisfied or late: b (rating 1), c (late), d, f (overdue) = 4 -> (5-4)/5 = 20%
    assert result["on_time_rate"]["value"] == 40.0 and result["on_time_rate"]["in_authority"] == 5
    assert result["satisfaction_rate"]["value"] == 20.0 and result["satisfaction_rate"]["total"] == 5
    assert "thuộc thẩm quyền" in result["on_time_rate"]["definition"]


def test_a_house_number_is_not_the_phone_field():
    """Found by a newcomer: at "Bạn muốn sửa thông tin nào?", "số 14 thôn Đông…" was taken as
    choosing the phone number, and the address typed was dropped."""
    from feedback.intake import correction_target

    assert correction_target("số 14 thôn Đông, xã Mẫu Sơn", fixing=True) != "reporter_phone"
    assert correction_target("sửa số điện thoại") == "reporter_phone"
    assert correction_target("số", fixing=True) == "reporter_phone"
    assert correction_target("sửa lại sdt giúp tôi") == "reporter_phone"
    assert correction_target("sửa địa chỉ") == "reporter_address"
