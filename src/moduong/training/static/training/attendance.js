// The teacher's sheet works without a network: a save that cannot reach the server is kept in
// localStorage (one entry per session) and sent again when the browser is back online, on the
// next load of the page, or every 30 s; the server's answer is final (a refusal is shown).
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form || !window.fetch || !window.localStorage) { return; }
  var key = "moduong-attendance-" + form.dataset.session;
  var status = document.getElementById("offline-status");

  function say(text) { if (status) { status.textContent = text; } }

  function send(body) {
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: new URLSearchParams(body),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function flush() {
    var kept = window.localStorage.getItem(key);
    if (!kept || !navigator.onLine) { return; }
    send(JSON.parse(kept)).then(function (result) {
      window.localStorage.removeItem(key);
      say(result.ok ? form.dataset.sent : result.data.message);
    }).catch(function () { /* still offline: kept for the next try */ });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = Array.from(new FormData(form).entries());
    send(body).then(function (result) {
      window.localStorage.removeItem(key);
      if (result.ok) { window.location.reload(); } else { say(result.data.message); }
    }).catch(function () {
      window.localStorage.setItem(key, JSON.stringify(body));
      say(form.dataset.offline);
    });
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  flush();
})();
