// The classroom screen: fetch the current code every 10 s, so it is never more than one
// window old when a learner scans it.
(function () {
  "use strict";
  var img = document.getElementById("qr");
  if (!img) { return; }
  var base = img.getAttribute("src");
  window.setInterval(function () {
    img.setAttribute("src", base + "?t=" + Date.now());
  }, 10000);
})();
