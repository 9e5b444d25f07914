/* Calendar pages. Alpine's CSP build runs no inline expressions: components are declared here.
   Loaded as a plain script at the end of <body>, before Alpine starts. */
(function () {
  "use strict";
  document.addEventListener("alpine:init", function () {
    /* The subscription address's Copy button; the address stays selectable without it. */
    window.Alpine.data("copyLink", function () {
      return {
        status: "",
        withoutScript: false,
        copy: function () {
          var field = this.$refs.address;
          var self = this;
          var done = function () { self.status = "Copied."; };
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(field.value).then(done, function () {
              self.status = "Select the address and copy it.";
            });
          } else {
            field.select();
            self.status = document.execCommand("copy") ? "Copied." : "Select the address and copy it.";
          }
        }
      };
    });
  });
})();
