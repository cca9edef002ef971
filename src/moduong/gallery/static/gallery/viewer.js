/* Mở Đường: the photo viewer of an album. Without JavaScript each thumbnail links to the large
   picture; with it, the picture opens full screen in a modal <dialog> (the page behind is inert,
   so focus stays inside), with ← → Home End to move, Esc to close, swipes on touch screens, and
   focus back on the thumbnail that opened it. */
(function () {
  "use strict";
  var dialog = document.querySelector("dialog.viewer");
  var links = Array.prototype.slice.call(document.querySelectorAll(".photo-link"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") return;

  var img = dialog.querySelector("img");
  var source = dialog.querySelector("source");
  var caption = dialog.querySelector(".viewer-caption");
  var count = dialog.querySelector(".viewer-count");
  var countTemplate = dialog.getAttribute("data-count-template") || "{n} / {total}";
  var current = 0;
  var opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    source.srcset = link.getAttribute("data-webp");
    img.src = link.getAttribute("data-jpeg");
    img.width = Number(link.getAttribute("data-width"));
    img.height = Number(link.getAttribute("data-height"));
    img.alt = link.getAttribute("data-alt");
    caption.textContent = link.getAttribute("data-caption");
    count.textContent = countTemplate
      .replace("{n}", String(current + 1))
      .replace("{total}", String(links.length));
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab, as asked
      event.preventDefault();
      opener = link;
      show(index);
      dialog.showModal();
      dialog.querySelector(".viewer-close").focus();
    });
  });

  dialog.querySelector(".viewer-prev").addEventListener("click", function () { show(current - 1); });
  dialog.querySelector(".viewer-next").addEventListener("click", function () { show(current + 1); });
  dialog.querySelector(".viewer-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    if (opener) opener.focus();
  });
  var buttons = Array.prototype.slice.call(dialog.querySelectorAll("button"));
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Tab") {
      // The page behind is inert; Tab also cycles within the viewer instead of leaving for the
      // browser's own controls.
      var at = buttons.indexOf(document.activeElement);
      var next = event.shiftKey ? at - 1 : at + 1;
      event.preventDefault();
      buttons[(next + buttons.length) % buttons.length].focus();
      return;
    }
    var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: links.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key]);
    }
  });
  // A click on the dark backdrop (the dialog itself, not its content) closes it.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });

  var startX = null;
  var startY = null;
  dialog.addEventListener("pointerdown", function (event) {
    startX = event.clientX;
    startY = event.clientY;
  });
  dialog.addEventListener("pointerup", function (event) {
    if (startX === null) return;
    var dx = event.clientX - startX;
    var dy = event.clientY - startY;
    startX = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy) * 1.5) show(dx < 0 ? current + 1 : current - 1);
  });
})();
