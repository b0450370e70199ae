/* Progress of a background job (a SIRENE import, a market data load): polls the job's JSON
   status and updates the page; reloads the page once the job is finished so that its result
   appears. Without JavaScript, the page says to reload it (or has a "Rafraîchir" link).

   Driven by data- attributes, so that one script serves every such page:
   - data-progress on the box, with data-status-url (the JSON status) and optionally
     data-progress-interval (milliseconds between two polls, 2000 by default);
   - data-progress-bar on the <progress> element, which takes state.percent;
   - data-progress-field="a b" on an element whose text becomes the first of state.a,
     state.b that is set (neither null nor empty), formatted by data-progress-format:
     "number" (French thousands separators) or "eta" (seconds left, in French). */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var interval = parseInt(box.getAttribute("data-progress-interval"), 10) || 2000;
  var bar = box.querySelector("[data-progress-bar]");
  var fields = box.querySelectorAll("[data-progress-field]");

  function eta(seconds) {
    if (seconds === null || seconds === undefined) {
      return "";
    }
    if (seconds < 60) {
      return "— moins d'une minute restante";
    }
    return "— environ " + Math.round(seconds / 60) + " min restantes";
  }

  var formats = {
    number: function (value) {
      return value === undefined ? "" : Number(value).toLocaleString("fr-FR");
    },
    eta: eta,
  };

  function first(state, names) {
    for (var i = 0; i < names.length; i += 1) {
      var value = state[names[i]];
      if (value !== null && value !== undefined && value !== "") {
        return value;
      }
    }
    return undefined;
  }

  function show(state) {
    if (bar) {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
    }
    Array.prototype.forEach.call(fields, function (element) {
      var value = first(state, element.getAttribute("data-progress-field").split(/\s+/));
      var format = formats[element.getAttribute("data-progress-format")];
      if (format) {
        element.textContent = format(value);
      } else {
        element.textContent = value === undefined ? "" : value;
      }
    });
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
          window.setTimeout(poll, interval);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, interval);
})();
