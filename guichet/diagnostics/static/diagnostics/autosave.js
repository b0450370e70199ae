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
  var pending = {};

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
    if (pending[code]) {
      pending[code].abort();
    }
    var controller = window.AbortController ? new AbortController() : null;
    pending[code] = controller;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (data.ok) {
          showStatus(block, true, [data.message]);
          updateProgress(data);
        } else {
          showStatus(block, false, data.errors || ["La réponse n'a pas pu être enregistrée."]);
          if (typeof data.answered === "number") {
            updateProgress(data);
          }
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        showStatus(block, false, [
          "La réponse n'a pas pu être enregistrée (connexion interrompue ?) : utilisez le bouton « Enregistrer »."
        ]);
      });
  }

  form.querySelectorAll("[data-question]").forEach(function (block) {
    block.addEventListener("change", function () {
      save(block);
    });
  });
})();
