// The attempt page. Without this script the page still works: the "Save my answers" button
// saves every choice, "Submit" saves and submits. With it, each choice is saved the moment it
// is made and the server's remaining time counts down.
(function () {
  var form = document.querySelector(".attempt-form");
  if (!form) return;
  // The API's answer endpoint, with the attempt's own token: no session needed.
  var url = form.getAttribute("data-answer-url");
  var token = form.getAttribute("data-token");
  var saveAll = form.querySelector(".save-all");
  if (saveAll) saveAll.hidden = true;

  function save(input, tries) {
    var status = input.closest("fieldset").querySelector(".save-status");
    var body = JSON.stringify({
      question_id: parseInt(input.name.slice(1), 10),
      option_id: parseInt(input.value, 10),
    });
    status.textContent = "Đang lưu…";
    fetch(url, {
      method: "PUT",
      body: body,
      headers: { "Content-Type": "application/json", "X-Attempt-Token": token },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          status.textContent = data.message;
          if (!response.ok) status.classList.add("is-error");
          else status.classList.remove("is-error");
        });
      })
      .catch(function () {
        // A dropped connection: try again a few times, then ask for the save button.
        if (tries < 4) {
          status.textContent = "Mất kết nối, đang thử lại…";
          setTimeout(function () { save(input, tries + 1); }, 2000 * (tries + 1));
        } else {
          status.textContent = "Chưa lưu được. Hãy bấm “Lưu câu trả lời”.";
          status.classList.add("is-error");
          if (saveAll) saveAll.hidden = false;
        }
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") save(event.target, 0);
  });

  // The prediction is saved the same way, through the API with the token, once the reader
  // pauses typing or leaves the box; a reload then shows it again.
  var prediction = form.querySelector("input[name=prediction]");
  var predictionUrl = form.getAttribute("data-prediction-url");
  if (prediction && predictionUrl) {
    var predictionStatus = form.querySelector(".prediction-status");
    var pending = null;
    var lastSent = prediction.value;
    var savePrediction = function (tries) {
      clearTimeout(pending);
      var value = prediction.value;
      if (value === lastSent && tries === 0) return;
      predictionStatus.textContent = "Đang lưu…";
      fetch(predictionUrl, {
        method: "PUT",
        body: JSON.stringify({ prediction: value }),
        headers: { "Content-Type": "application/json", "X-Attempt-Token": token },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            predictionStatus.textContent = data.message;
            predictionStatus.classList.toggle("is-error", !response.ok);
            // After a refusal, typing the saved value again must be sent and confirmed.
            lastSent = response.ok ? value : null;
          });
        })
        .catch(function () {
          if (tries < 4) {
            predictionStatus.textContent = "Mất kết nối, đang thử lại…";
            pending = setTimeout(function () { savePrediction(tries + 1); }, 2000 * (tries + 1));
          } else {
            predictionStatus.textContent = "Chưa lưu được. Hãy bấm “Lưu câu trả lời”.";
            predictionStatus.classList.add("is-error");
            if (saveAll) saveAll.hidden = false;
          }
        });
    };
    prediction.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { savePrediction(0); }, 600);
    });
    prediction.addEventListener("change", function () { savePrediction(0); });
  }

  var timer = document.querySelector(".countdown");
  if (!timer) return;
  var value = timer.querySelector(".countdown-value");
  var end = Date.now() + parseInt(timer.getAttribute("data-seconds-left"), 10) * 1000;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    value.textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    if (left > 0) setTimeout(tick, 1000);
  }
  tick();
})();
