/* Slotwise front-end behaviour. Alpine's CSP build evaluates no inline expressions: every
   component is declared here with Alpine.data() and templates refer to names only. */
(function () {
  "use strict";

  /* The browser's zone, for viewers without a profile zone (see accounts/middleware.py). The
     server reads it on the next request; we do not reload, so a first page may still say UTC. */
  function rememberBrowserZone() {
    var zone = browserZone();
    // IANA names are cookie-safe as they are; the server does not URL-decode cookie values, so
    // the name is stored raw (and anything unexpected is not stored at all).
    if (!/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
    var current = document.cookie.split("; ").find(function (c) { return c.indexOf("tz=") === 0; });
    if (current !== "tz=" + zone) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    }
  }
  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }
  window.slotwiseBrowserZone = browserZone;
  rememberBrowserZone();

  var TOAST_MS = 8000;

  document.addEventListener("alpine:init", function () {
    var Alpine = window.Alpine;

    /* Main navigation: collapsed behind a Menu button on small screens (CSS decides when). */
    Alpine.data("navMenu", function () {
      return {
        open: false,
        toggleHidden: false,
        get expanded() { return this.open ? "true" : "false"; },
        get rootClass() { return this.open ? "nav-js nav-open" : "nav-js"; },
        toggle: function () { this.open = !this.open; }
      };
    });

    /* Django messages: a plain list without JS; floating, dismissible toasts with it. */
    Alpine.data("toastStack", function () {
      return { stackClass: "toasts-floating" };
    });
    /* Success and info toasts leave by themselves after a while (not while pointed at or focused);
       errors stay until dismissed. */
    Alpine.data("toast", function () {
      return {
        open: true,
        closeHidden: false,
        timer: null,
        init: function () {
          if (this.$el.dataset.autohide) this.resume();
        },
        pause: function () {
          clearTimeout(this.timer);
          this.timer = null;
        },
        resume: function () {
          if (!this.$el.dataset.autohide || !this.open) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(this.dismiss.bind(this), TOAST_MS);
        },
        dismiss: function () {
          this.pause();
          this.open = false;
        }
      };
    });

    /* A confirmation dialog in front of a link to a confirmation page (e.g. cancel). Without JS the
       link leads to that page; with JS the dialog holds the same POST form. */
    Alpine.data("confirmDialog", function () {
      return {
        ask: function (event) {
          event.preventDefault();
          this.$refs.dialog.showModal();
        },
        close: function () { this.$refs.dialog.close(); }
      };
    });

    /* Time-zone picker: a filter box over the plain <select>; pre-selects the browser's zone when
       the profile has none. */
    Alpine.data("zonePicker", function () {
      return {
        query: "",
        filterHidden: false,
        init: function () {
          var select = this.$refs.select;
          var browserZone = window.slotwiseBrowserZone();
          if (select && !select.value && browserZone) {
            var match = Array.prototype.find.call(select.options, function (o) { return o.value === browserZone; });
            if (match) select.value = browserZone;
          }
          this.$watch("query", this.filter.bind(this));
        },
        filter: function () {
          var needle = this.query.trim().toLowerCase().replace(/[ _]+/g, " ");
          var select = this.$refs.select;
          var firstMatch = null;
          Array.prototype.forEach.call(select.options, function (option) {
            var haystack = (option.value + " " + option.text).toLowerCase().replace(/[ _]+/g, " ");
            var visible = !needle || haystack.indexOf(needle) !== -1;
            option.hidden = !visible;
            if (visible && option.value && !firstMatch) firstMatch = option;
          });
          if (needle && firstMatch) select.value = firstMatch.value;
        }
      };
    });
  });
})();
