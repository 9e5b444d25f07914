// The provider workspace: weekly-hours rows (Alpine, CSP build) and the "why is this time not
// available?" answer. Everything here is an enhancement: the server renders and handles both
// without JavaScript.
(function () {
  "use strict";

  // Weekly hours: "Add hours" reveals a new row from the weekday's <template> instead of the
  // server round trip the same button makes without JavaScript; × removes a row.
  function weeklyHours() {
    return {
      scriptless: false,
      addRow: function (event) {
        event.preventDefault();
        var fieldset = event.currentTarget.closest("fieldset");
        var template = fieldset.querySelector("template");
        var list = fieldset.querySelector(".pv-intervals");
        var row = template.content.firstElementChild.cloneNode(true);
        var number = list.querySelectorAll(".pv-row").length + 1;
        row.querySelectorAll("[data-interval]").forEach(function (label) {
          label.textContent = label.textContent.replace(/interval \d+/, "interval " + number);
        });
        list.appendChild(row);
        fieldset.classList.remove("is-closed");
        row.querySelector("input").focus();
      },
      removeRow: function (event) {
        var row = event.currentTarget.closest(".pv-row");
        var fieldset = row.closest("fieldset");
        row.remove();
        if (!fieldset.querySelector(".pv-row")) fieldset.classList.add("is-closed");
        fieldset.querySelector(".pv-add").focus();
      },
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("weeklyHours", weeklyHours);
  });

  // After an answer arrives, move focus to it so that it is read out and scrolled into view.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "why-panel") return;
    var panel = document.getElementById("why-panel");
    var answer = panel && panel.querySelector("[data-focus]");
    if (answer) answer.focus({ preventScroll: false });
  });
})();
