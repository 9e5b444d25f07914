/* Inside the embed frame (appointments/embed/base.html): tell the page around the frame how tall
   the booking page is, and that a booking was made. Posted to any origin ("*"), since the
   embedding site is not known here: the messages hold nothing private (no manage link, no
   e-mail address; see appointments/embed/messages.py). embed.js, on the host page, checks that
   they come from this site's frame. */
(function () {
  "use strict";

  if (window.parent === window) return;

  function post(message) {
    window.parent.postMessage(message, "*");
  }

  var lastHeight = 0;
  function reportHeight() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    post({ type: "slotwise:height", height: height });
  }

  function announceBooking() {
    var details = document.getElementById("slotwise-booked");
    if (!details || details.dataset.sent) return;
    details.dataset.sent = "true";
    post({ type: "slotwise:booked", booking: JSON.parse(details.textContent) });
  }

  document.addEventListener("DOMContentLoaded", function () {
    new ResizeObserver(reportHeight).observe(document.body);
    announceBooking();
  });
  document.addEventListener("htmx:afterSettle", announceBooking);
})();
