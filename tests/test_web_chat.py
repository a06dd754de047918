"""The web chat page in real headless Chromium on a phone-sized screen: buttons, typed
questions with and without diacritics, citizen text shown as text, no asset from elsewhere."""
import pytest

from tests.browser import browser, screenshot
from tests.fakes.server import LocalServer

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def live(engine):
    from bot.server import create_app

    with LocalServer(create_app(engine=engine), lifespan="on") as local:
        yield local.url


def test_web_chat_on_a_phone(live, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("the page is the same on both databases; the API is tested on both")
    with browser() as chromium:
        context = chromium.new_context(**PHONE)
        page = context.new_page()
        requested, failed = [], []
        page.on("request", lambda r: requested.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)  # the icon too (found on a walk: a 404)
        page.goto(live + "/")
        page.wait_for_selector(".msg.bot .buttons button")
        assert "trợ lý dịch vụ công" in page.inner_text(".msg.bot").lower()
        page.get_by_role("button", name="Gửi phản ánh").click()
        page.wait_for_function("document.querySelectorAll('.msg.bot').length >= 2")
        assert "việc gì đã xảy ra, ở đâu" in page.locator(".msg.bot").last.inner_text()
        page.fill("#text", "hủy")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('.msg.bot').length >= 3")

        page.fill("#text", "le phi dang ky tam tru bao nhieu")
        page.click("#send")
        page.wait_for_function("document.querySelectorAll('.msg.bot').length >= 4")
        answer = page.locator(".msg.bot").last.inner_text()
        assert "Nguồn" in answer and "tạm trú" in answer.lower()
        assert page.input_value("#text") == ""

        payload = "<img src=x onerror=\"document.body.dataset.hacked=1\"> giấy tờ"
        page.fill("#text", payload)
        page.click("#send")
        page.wait_for_function("document.querySelectorAll('.msg.bot').length >= 5")
        assert page.locator(".log img").count() == 0 and page.evaluate("document.body.dataset.hacked") is None
        assert payload in page.locator(".msg.me").last.inner_text()

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is wider than the phone: {width}px"
        assert page.locator("#send").bounding_box()["y"] < 844
        screenshot(page, "web-chat-phone")
        # a reload shows the conversation so far (this tab's transcript), its old buttons disabled
        before = page.locator(".msg").count()
        page.reload()
        page.wait_for_function(f"document.querySelectorAll('.msg').length >= {before}")
        assert "le phi dang ky tam tru bao nhieu" in page.inner_text(".log")
        assert page.locator(".msg.bot .buttons button").first.is_disabled()
        assert page.locator(".log img").count() == 0 and page.evaluate("document.body.dataset.hacked") is None
        assert requested and all(url.startswith(live) for url in requested), [u for u in requested if not u.startswith(live)]
        assert failed == [] and any(url.endswith("/static/icon.svg") for url in requested), (failed, requested)
        # web addresses in the assistant's text are links (found on a walk: the source link was plain
        # text); the rest stays text, and a user's own address is not turned into a link
        page.evaluate("""sessionStorage.setItem('civic-log', JSON.stringify([
            {who: 'bot', text: 'Nguồn: Cổng Dịch vụ công — https://dichvucong.gov.vn/thu-tuc/1.001193. <b>x</b>', buttons: []},
            {who: 'me', text: 'xem https://example.org/a', buttons: []}]))""")
        page.reload()
        page.wait_for_selector(".msg.bot a")
        link = page.locator(".msg.bot a").first
        assert link.get_attribute("href") == "https://dichvucong.gov.vn/thu-tuc/1.001193"
        assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
        assert page.locator(".log b").count() == 0 and "<b>x</b>" in page.locator(".msg.bot").first.inner_text()
        assert page.locator(".msg.me a").count() == 0
        context.close()
