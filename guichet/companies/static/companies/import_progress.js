/* Progress of a SIRENE import: polls the run's etat.json and updates the bar; reloads the
   page once the run is finished so that the report appears. Without JavaScript, the page's
   "Rafraîchir" link does the same. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-bar");

  function text(id, value) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = value;
    }
  }

  function eta(seconds) {
    if (seconds === null || seconds === undefined) {
      return "";
    }
    if (seconds < 60) {
      return "— moins d'une minute restante";
    }
    return "— environ " + Math.round(seconds / 60) + " min restantes";
  }

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    text("import-percent", state.percent);
    text("import-rows", state.rows_read.toLocaleString("fr-FR"));
    text("import-phase", state.phase || state.status_label);
    text("import-eta", eta(state.eta));
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
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 2000);
})();
