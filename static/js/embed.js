/* Slotwise booking widget, for other sites. Paste once:
     <script src="https://SITE/static/js/embed.js" async></script>
   and then either an inline booking page
     <div data-slotwise-embed="https://SITE/embed/SLUG/"></div>
   or a button that opens it in a pop-up
     <button type="button" data-slotwise-popup="https://SITE/embed/SLUG/">Book</button>
   The frame follows its content's height. A booking dispatches a "slotwise:booked" event
   (detail: event_type, event_type_slug, status, start, end, time_zone) on the container or the
   button; it bubbles to document and window. Only addresses on this script's own site are
   framed, and only messages from those frames are heard. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.Slotwise) return;
  var origin = new URL(script.src).origin;
  var frames = []; // [{ frame: HTMLIFrameElement, owner: Element }]

  function frameAddress(address) {
    var url = new URL(address, origin);
    if (url.origin !== origin) return null;
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      zone = "";
    }
    if (zone && !url.searchParams.has("tz")) url.searchParams.set("tz", zone);
    return url.href;
  }

  function makeFrame(address, owner) {
    var src = frameAddress(address);
    if (!src) return null;
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = owner.getAttribute("data-slotwise-title") || "Book an appointment";
    frame.style.width = "100%";
    frame.style.height = "640px";
    frame.style.border = "0";
    frame.style.display = "block";
    frames.push({ frame: frame, owner: owner });
    return frame;
  }

  function forget(frame) {
    frames = frames.filter(function (entry) { return entry.frame !== frame; });
  }

  function mountInline(container) {
    var frame = makeFrame(container.getAttribute("data-slotwise-embed"), container);
    if (frame) container.appendChild(frame);
  }

  function openPopup(button) {
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", button.getAttribute("data-slotwise-title") || "Book an appointment");
    dialog.className = "slotwise-popup";
    dialog.style.width = "min(56rem, 94vw)";
    dialog.style.maxHeight = "90vh";
    dialog.style.padding = "0";
    dialog.style.border = "0";
    dialog.style.borderRadius = "12px";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "slotwise-close";
    close.textContent = "Close";
    close.style.float = "right";
    close.style.margin = "8px";
    var frame = makeFrame(button.getAttribute("data-slotwise-popup"), button);
    if (!frame) return;
    dialog.appendChild(close);
    dialog.appendChild(frame);
    document.body.appendChild(dialog);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      forget(frame);
      dialog.remove();
      button.focus();
    });
    dialog.showModal();
  }

  function scan(root) {
    (root || document).querySelectorAll("[data-slotwise-embed]").forEach(function (container) {
      if (container.hasAttribute("data-slotwise-ready")) return;
      container.setAttribute("data-slotwise-ready", "");
      mountInline(container);
    });
    (root || document).querySelectorAll("[data-slotwise-popup]").forEach(function (button) {
      if (button.hasAttribute("data-slotwise-ready")) return;
      button.setAttribute("data-slotwise-ready", "");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        openPopup(button);
      });
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data) return;
    var entry = frames.filter(function (e) { return e.frame.contentWindow === event.source; })[0];
    if (!entry) return;
    if (event.data.type === "slotwise:height" && typeof event.data.height === "number") {
      entry.frame.style.height = Math.max(event.data.height, 120) + "px";
    } else if (event.data.type === "slotwise:booked") {
      entry.owner.dispatchEvent(
        new CustomEvent("slotwise:booked", { detail: event.data.booking, bubbles: true })
      );
    }
  });

  window.Slotwise = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(); });
  } else {
    scan();
  }
})();
