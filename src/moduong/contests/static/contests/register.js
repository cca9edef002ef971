// Registration: the communes of the chosen province are listed as soon as it is chosen.
// Without this script, sending the form with a province lists them (the server does it).
(function () {
  var province = document.querySelector("select[name=province]");
  var commune = document.querySelector("select[name=commune]");
  if (!province || !commune) return;
  province.addEventListener("change", function () {
    commune.innerHTML = "";
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = "—";
    commune.appendChild(blank);
    if (!province.value) return;
    fetch("/api/v1/contests/communes?province=" + encodeURIComponent(province.value), {
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (places) {
        places.forEach(function (place) {
          var option = document.createElement("option");
          option.value = place.id;
          option.textContent = place.name;
          commune.appendChild(option);
        });
      });
  });
})();
