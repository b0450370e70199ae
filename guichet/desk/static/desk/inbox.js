// Inbox: a "select all" box for the bulk actions (the page works without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all-group]").forEach(function (group) {
    var box = group.querySelector("[data-select-all]");
    var form = group.closest("form");
    if (!box || !form) {
      return;
    }
    group.hidden = false;
    box.addEventListener("change", function () {
      form.querySelectorAll('input[name="matches"]').forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });
})();
