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
