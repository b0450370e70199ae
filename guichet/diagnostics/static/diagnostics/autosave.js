/*
 * Diagnostic filling page: saves each question as soon as it changes (progressive
 * enhancement — without this script, the step's buttons save the same answers).
 *
 * The question's inputs are posted to the page's own URL with "autosave=<question code>";
 * the JSON answer carries the question's errors (in French) and the progress, shown in the
 * question's message area and in the progress counters.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave");
  var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');

  function setText(selector, value) {
    document.querySelectorAll(selector).forEach(function (node) {
      node.textContent = value;
    });
  }

  function showStatus(block, ok, messages) {
    var group = block.querySelector(".fr-messages-group");
    var status = block.querySelector("[data-autosave-status]");
    if (!group || !status) {
      return;
    }
    group.querySelectorAll(".fr-message--error").forEach(function (node) {
      node.remove();
    });
    block.classList.remove("fr-fieldset--error", "fr-input-group--error");
    if (ok) {
      status.textContent = messages[0] || "Réponse enregistrée.";
      status.hidden = false;
      return;
    }
    status.hidden = true;
    block.classList.add(block.tagName === "FIELDSET" ? "fr-fieldset--error" : "fr-input-group--error");
    messages.forEach(function (text) {
      var line = document.createElement("p");
      line.className = "fr-message fr-message--error";
      line.textContent = text;
      group.insertBefore(line, status);
    });
  }

  function updateProgress(data) {
    setText("[data-progress-answered]", String(data.answered));
    setText("[data-progress-total]", String(data.total));
    var bar = document.querySelector("[data-progress-bar]");
    if (bar) {
      bar.max = data.total;
      bar.value = data.answered;
    }
    if (data.dimension) {
      setText(
        '[data-dimension-progress="' + data.dimension.code + '"]',
        "(" + data.dimension.answered + "/" + data.dimension.total + ")"
      );
    }
  }

  // Saves go one at a time, in order; a question changed again while waiting is sent once,
  // with its latest value. The form's own submit waits for the queue to drain.
  var queue = [];
  var latest = {};
  var busy = false;
  var submitter = null;
  var submitting = false;

  function save(block) {
    var code = block.getAttribute("data-question");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    body.append("autosave", code);
    block.querySelectorAll("input, textarea").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) {
        return;
      }
      body.append(input.name, input.value);
    });
    if (!(code in latest)) {
      queue.push(code);
    }
    latest[code] = { block: block, body: body };
    next();
  }

  function done() {
    busy = false;
    next();
  }

  function next() {
    if (busy) {
      return;
    }
    if (!queue.length) {
      if (submitter !== null) {
        var button = submitter;
        submitter = null;
        submitting = true;
        if (form.requestSubmit) {
          form.requestSubmit(button || undefined);
        } else {
          form.submit();
        }
      }
      return;
    }
    var code = queue.shift();
    var item = latest[code];
    delete latest[code];
    busy = true;
    fetch(url, {
      method: "POST",
      body: item.body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" }
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.ok) {
          showStatus(item.block, true, [data.message]);
          updateProgress(data);
        } else {
          showStatus(item.block, false, data.errors || ["La réponse n'a pas pu être enregistrée."]);
          if (typeof data.answered === "number") {
            updateProgress(data);
          }
        }
      })
      .catch(function () {
        showStatus(item.block, false, [
          "La réponse n'a pas pu être enregistrée (connexion interrompue ?) : utilisez le bouton « Enregistrer »."
        ]);
      })
      .then(done, done);
  }

  form.addEventListener("submit", function (event) {
    if (submitting || (!busy && !queue.length)) {
      return;
    }
    event.preventDefault();
    submitter = event.submitter || false;
  });

  form.querySelectorAll("[data-question]").forEach(function (block) {
    block.addEventListener("change", function () {
      save(block);
    });
  });
})();
