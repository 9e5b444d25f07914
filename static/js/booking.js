/* Booking page components for Alpine's CSP build: registered by name, no inline expressions.
   Alpine holds only local UI state (focus, the chosen day, the form's counters); the server
   renders everything else and htmx swaps it in. */
(function () {
  "use strict";

  var STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function parseDay(iso) {
    var parts = iso.split("-");
    return new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
  }

  function formatDay(day) {
    return day.toISOString().slice(0, 10);
  }

  function targetDay(key, iso) {
    var day = parseDay(iso);
    var weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
    if (key in STEPS) day.setUTCDate(day.getUTCDate() + STEPS[key]);
    else if (key === "Home") day.setUTCDate(day.getUTCDate() - weekday);
    else if (key === "End") day.setUTCDate(day.getUTCDate() + 6 - weekday);
    else if (key === "PageUp") day.setUTCMonth(day.getUTCMonth() - 1);
    else if (key === "PageDown") day.setUTCMonth(day.getUTCMonth() + 1);
    else return null;
    return formatDay(day);
  }

  // A day to focus once the neighbouring month (loaded by arrow keys) has been swapped in.
  var pendingFocus = null;

  function monthCalendar() {
    return {
      init: function () {
        var days = this.days();
        var current =
          this.$root.querySelector('.bk-day[aria-pressed="true"]') ||
          this.$root.querySelector('.bk-day[aria-current="date"]') ||
          this.$root.querySelector(".bk-day.has-free") ||
          days.filter(function (b) { return !b.hasAttribute("aria-disabled"); })[0] ||
          days[0];
        days.forEach(function (b) { b.tabIndex = -1; });
        if (current) current.tabIndex = 0;
        if (pendingFocus) {
          var wanted = this.dayButton(pendingFocus);
          pendingFocus = null;
          if (wanted) this.focusDay(wanted);
        }
      },
      days: function () {
        return Array.prototype.slice.call(this.$root.querySelectorAll("button.bk-day"));
      },
      dayButton: function (iso) {
        return this.$root.querySelector('button.bk-day[data-date="' + iso + '"]');
      },
      focusDay: function (button) {
        this.days().forEach(function (b) { b.tabIndex = -1; });
        button.tabIndex = 0;
        button.focus();
      },
      select: function (event) {
        var button = event.currentTarget;
        if (button.getAttribute("aria-disabled") === "true") return;
        this.days().forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        this.focusDay(button);
      },
      onKeydown: function (event) {
        var wanted = targetDay(event.key, event.currentTarget.dataset.date);
        if (!wanted) return;
        event.preventDefault();
        var button = this.dayButton(wanted);
        if (button) {
          this.focusDay(button);
          return;
        }
        var forward = wanted > event.currentTarget.dataset.date;
        var link = this.$root.querySelector(forward ? '[data-nav="next"]' : '[data-nav="previous"]');
        if (!link) return;
        pendingFocus = wanted;
        link.click();
      },
    };
  }

  function bookingForm() {
    return {
      chosen: false,
      length: 0,
      max: 2000,
      init: function () {
        this.max = parseInt(this.$root.dataset.max || "2000", 10);
        this.chosen = !!this.$root.querySelector('input[name="slot"]:checked');
        var text = this.$root.querySelector("textarea");
        this.length = text ? text.value.length : 0;
      },
      choose: function () {
        this.chosen = true;
      },
      count: function (event) {
        this.length = event.target.value.length;
      },
      cannotSubmit: function () {
        return !this.chosen || this.length > this.max;
      },
      needsSlot: function () {
        return !this.chosen;
      },
      remainingText: function () {
        var left = this.max - this.length;
        return left + " of " + this.max + " characters left";
      },
    };
  }

  // Weekly hours: add and remove interval rows in the browser; the server validates on save.
  function hoursEditor() {
    return {
      scriptless: false,
      addRow: function (event) {
        var fieldset = event.currentTarget.closest("fieldset");
        var rows = fieldset.querySelectorAll(".pv-row");
        var row = rows[rows.length - 1].cloneNode(true);
        row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        fieldset.querySelector(".pv-intervals").appendChild(row);
        row.querySelector("input").focus();
      },
      removeRow: function (event) {
        var row = event.currentTarget.closest(".pv-row");
        var fieldset = row.closest("fieldset");
        if (fieldset.querySelectorAll(".pv-row").length > 1) {
          row.remove();
        } else {
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        }
        var add = fieldset.querySelector(".pv-add");
        if (add) add.focus();
      },
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("hoursEditor", hoursEditor);
    window.Alpine.data("monthCalendar", monthCalendar);
    window.Alpine.data("bookingForm", bookingForm);
  });

  // After a booking or a refusal, move focus to the message so screen readers read it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "booking-panel") return;
    var panel = document.getElementById("booking-panel");
    var message = panel && panel.querySelector("[data-focus]");
    if (message) message.focus();
  });
})();
