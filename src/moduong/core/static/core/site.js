// Collapse the main menu behind a button on narrow screens. Without this script the menu
// simply wraps, so nothing depends on it.
(function () {
  var button = document.querySelector(".nav-toggle");
  var menu = document.getElementById("menu-chinh");
  if (!button || !menu) return;
  button.hidden = false;
  document.documentElement.classList.add("js");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    menu.classList.toggle("is-open", !open);
  });
})();

// The print button of an article: the browser's own print, with the print stylesheet below.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// The captcha's switch between the picture and a question in words. Without this script it is
// a submit button: the server shows the form again with everything typed. With it, only the
// challenge is replaced, in place, by the one the page shows in the other mode.
(function () {
  if (!window.fetch || !window.DOMParser) return;
  var switches = document.querySelectorAll("button[name=captcha_switch]");
  // As a plain button it is no longer the form's default: Enter in a field sends the form.
  for (var i = 0; i < switches.length; i++) switches[i].type = "button";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[name=captcha_switch]");
    if (!button) return;
    var widget = button.closest("[data-captcha]");
    var form = button.form;
    var url = new URL(window.location.href);
    url.hash = "";
    url.searchParams.set("captcha", button.value);
    button.disabled = true;
    fetch(url.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-captcha]");
        if (!fresh) throw new Error("no captcha");
        widget.replaceWith(fresh);
        var freshSwitch = fresh.querySelector("button[name=captcha_switch]");
        if (freshSwitch) freshSwitch.type = "button";
        var answer = fresh.querySelector("input[type=text]");
        if (answer) answer.focus();
      })
      .catch(function () {
        // Fall back to the server's way: send the form with the switch, values and all.
        button.disabled = false;
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
        form.submit();
      });
  });
})();

// A text box with a length limit shows its count as the reader types, and marks it when over.
// The server refuses an over-long text with the same count, so nothing depends on this.
(function () {
  var boxes = document.querySelectorAll("textarea[data-max-chars]");
  for (var i = 0; i < boxes.length; i++) {
    (function (box) {
      var max = parseInt(box.getAttribute("data-max-chars"), 10);
      var label = box.getAttribute("data-count-label") || "{count}/{max}";
      var counter = document.createElement("p");
      counter.className = "char-count";
      counter.id = box.id + "_count";
      counter.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", counter);
      var described = box.getAttribute("aria-describedby");
      box.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      function update() {
        // A line break counts one, as the server counts it.
        var count = box.value.replace(/\r\n/g, "\n").normalize("NFC").length;
        counter.textContent = label
          .replace("{count}", count.toLocaleString("vi-VN"))
          .replace("{max}", max.toLocaleString("vi-VN"));
        counter.classList.toggle("is-over", count > max);
      }
      box.addEventListener("input", update);
      update();
    })(boxes[i]);
  }
})();
