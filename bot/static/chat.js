// Web chat: POST /api/chat; the server identifies this browser by a signed cookie it issues.
// Queued messages (replies to feedback) are fetched from /api/chat/updates. Text is always
// inserted as text, never as HTML (web addresses in the assistant's text become link nodes).
// The transcript of this tab is kept in sessionStorage (gone when the tab closes) so that a
// reload shows the conversation so far; old buttons are shown disabled.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var busy = false;
  var KEEP = 120;
  var history = [];
  try { history = JSON.parse(sessionStorage.getItem("civic-log") || "[]"); } catch (e) { history = []; }

  function remember(text, who, buttons, notice) {
    history.push({ text: text, who: who, notice: !!notice, buttons: (buttons || []).map(function (b) { return { title: b.title }; }) });
    history = history.slice(-KEEP);
    try { sessionStorage.setItem("civic-log", JSON.stringify(history)); } catch (e) { /* storage full or disabled */ }
  }

  function setStatus(text, isError) {
    statusLine.textContent = text || "";
    statusLine.className = "status" + (isError ? " error" : "");
  }

  // The assistant's text with its web addresses as links (built as nodes, never parsed as HTML);
  // only http(s) addresses, the closing punctuation of a sentence left out of the link.
  var URL_PATTERN = /https?:\/\/[^\s<>"“”]+[^\s<>"“”.,;:!?)\]]/g;

  function linked(item, text) {
    var at = 0;
    (text || "").replace(URL_PATTERN, function (url, offset) {
      item.appendChild(document.createTextNode(text.slice(at, offset)));
      var a = document.createElement("a");
      a.href = url; a.textContent = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      item.appendChild(a);
      at = offset + url.length;
      return url;
    });
    item.appendChild(document.createTextNode((text || "").slice(at)));
  }

  function add(text, who, buttons, notice, replay) {
    if (!replay) remember(text, who, buttons, notice);
    var item = document.createElement("li");
    item.className = "msg " + who + (notice ? " notice" : "");
    if (who === "bot") { linked(item, text); } else { item.textContent = text; }
    if (buttons && buttons.length) {
      var row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        if (replay) { button.disabled = true; }
        button.addEventListener("click", function () {
          row.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          send({ payload: b.payload }, b.title);
        });
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function show(messages, notice) {
    (messages || []).forEach(function (m) { add(m.text, "bot", m.buttons, notice); });
  }

  function send(body, shown) {
    if (busy) return Promise.resolve();
    busy = true; sendButton.disabled = true;
    add(shown, "me");
    setStatus("Trợ lý đang trả lời…");
    return fetch("api/chat", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (result) {
        show(result.data.messages);
        var wait = result.data && result.data.error ? result.data.error : "Có lỗi, vui lòng thử lại.";
        setStatus(result.ok ? "" : wait, !result.ok);
        return result.ok;
      })
      .catch(function () {
        setStatus("Không kết nối được máy chủ. Tin nhắn của bạn vẫn còn trong ô nhập, vui lòng gửi lại.", true);
        return false;
      })
      .finally(function () { busy = false; sendButton.disabled = false; input.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    send({ text: text }, text).then(function (ok) { if (ok) { input.value = ""; grow(); } });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  function grow() { input.style.height = "auto"; input.style.height = Math.min(input.scrollHeight, 200) + "px"; }
  input.addEventListener("input", grow);

  function poll() {
    fetch("api/chat/updates", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (data) { show(data.messages, true); })
      .catch(function () {});
  }
  setInterval(poll, 15000);

  history.slice().forEach(function (m) { add(m.text, m.who, m.buttons, m.notice, true); });

  if (!sessionStorage.getItem("civic-greeted")) {
    sessionStorage.setItem("civic-greeted", "1");
    send({ payload: "/greet" }, "Xin chào");
  } else {
    poll();
  }
})();
