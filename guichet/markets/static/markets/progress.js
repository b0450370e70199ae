/* Progress of a market data load: polls the job's status and updates the bar; reloads the
   page once the load is finished so that its result appears. Without JavaScript, the page
   says to reload it. */
(function () {
  "use strict";
  var box = document.getElementById("load-progress");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("load-bar");

  function text(id, value) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = value;
    }
  }

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    text("load-percent", state.percent);
    text("load-message", state.message || state.status_label);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 1500);
})();
