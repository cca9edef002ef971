// The online reader's settings (text size, dark mode), kept in this browser only.
(function () {
  "use strict";
  var reader = document.querySelector(".reader");
  if (!reader) return;
  var root = document.documentElement;
  var sizes = [0.95, 1.05, 1.1, 1.25, 1.4, 1.6];
  function load(name, fallback) {
    try { var v = window.localStorage.getItem("moduong-reader-" + name); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function save(name, value) {
    try { window.localStorage.setItem("moduong-reader-" + name, value); } catch (e) { /* private mode */ }
  }
  var size = parseInt(load("size", "2"), 10);
  if (isNaN(size) || size < 0 || size >= sizes.length) size = 2;
  var dark = load("dark", "0") === "1";
  var darkButton = reader.querySelector('[data-reader="dark"]');
  function apply() {
    reader.style.setProperty("--reader-size", sizes[size] + "rem");
    root.classList.toggle("reader-dark", dark);
    if (darkButton) darkButton.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  reader.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reader]");
    if (!button) return;
    var action = button.getAttribute("data-reader");
    if (action === "smaller" && size > 0) size -= 1;
    if (action === "larger" && size < sizes.length - 1) size += 1;
    if (action === "dark") dark = !dark;
    save("size", String(size));
    save("dark", dark ? "1" : "0");
    apply();
  });
  apply();
})();
