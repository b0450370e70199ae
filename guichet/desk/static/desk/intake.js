/*
 * Public need form (/besoin/): progressive enhancements only — the form works without them.
 * - moves the focus to the error summary when the page comes back with errors;
 * - shows the company lookup: a name, SIREN or SIRET is looked up in the registry
 *   (public SIRENE data) and the chosen company fills the SIRET, name and postal code.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 3;
  var DELAY_MS = 400;

  function focusErrors() {
    var summary = document.getElementById("resume-erreurs");
    if (summary) {
      summary.focus();
    }
  }

  function formatSiret(siret) {
    if (!/^\d{14}$/.test(siret)) {
      return siret;
    }
    return siret.slice(0, 3) + " " + siret.slice(3, 6) + " " + siret.slice(6, 9) + " " + siret.slice(9);
  }

  function describe(company) {
    var parts = [company.name];
    if (company.siret) {
      parts.push("SIRET " + formatSiret(company.siret));
    }
    if (company.commune || company.postal_code) {
      parts.push([company.postal_code, company.commune].join(" ").trim());
    }
    var text = parts.join(" — ");
    if (!company.active) {
      text += " (fermé)";
    }
    return text;
  }

  function setField(id, value) {
    var input = document.getElementById(id);
    if (input && value) {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function setupLookup(box) {
    var input = document.getElementById("recherche-entreprise-texte");
    var button = document.getElementById("recherche-entreprise-bouton");
    var status = document.getElementById("recherche-entreprise-statut");
    var list = document.getElementById("recherche-entreprise-resultats");
    var url = box.getAttribute("data-url");
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function clear() {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
    }

    function choose(company) {
      setField("id_siret", company.siret);
      setField("id_company_name", company.name);
      setField("id_postal_code", company.postal_code);
      clear();
      status.textContent = "Champs remplis avec « " + company.name + " » : vérifiez-les.";
      var siret = document.getElementById("id_siret");
      if (siret) {
        siret.focus();
      }
    }

    function show(results) {
      clear();
      if (!results.length) {
        status.textContent = "Aucune entreprise trouvée : vérifiez l'orthographe ou le numéro, ou remplissez les champs vous-même.";
        return;
      }
      status.textContent = results.length === 1
        ? "1 entreprise trouvée : choisissez-la pour remplir les champs."
        : results.length + " entreprises trouvées : choisissez la vôtre pour remplir les champs.";
      results.forEach(function (company) {
        var item = document.createElement("li");
        var choice = document.createElement("button");
        choice.type = "button";
        choice.className = "fr-btn fr-btn--tertiary fr-btn--sm";
        choice.textContent = describe(company);
        choice.addEventListener("click", function () {
          choose(company);
        });
        item.appendChild(choice);
        list.appendChild(item);
      });
    }

    function search(force) {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        if (force) {
          status.textContent = "Tapez au moins " + MIN_LENGTH + " caractères.";
        }
        return;
      }
      if (query === lastQuery && !force) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      status.textContent = "Recherche en cours…";
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          if (!answer.ok) {
            clear();
            status.textContent = answer.body.message || "La recherche n'a pas abouti : remplissez les champs vous-même.";
            return;
          }
          show(answer.body.results || []);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            status.textContent = "La recherche n'a pas abouti : remplissez les champs vous-même.";
          }
        });
    }

    button.addEventListener("click", function () {
      search(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search(true);
      }
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        search(false);
      }, DELAY_MS);
    });
    box.hidden = false;
  }

  function start() {
    focusErrors();
    var box = document.getElementById("recherche-entreprise");
    if (box && window.fetch) {
      setupLookup(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
