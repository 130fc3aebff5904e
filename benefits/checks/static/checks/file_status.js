// Progress bar of a department file: polls the JSON endpoint until the file is done or rejected.
(function () {
  "use strict";
  var box = document.getElementById("checks-file-status");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("checks-progress").value = d.progress;
      document.getElementById("checks-percent").textContent = d.progress;
      document.getElementById("checks-status").textContent = d.status;
      document.getElementById("checks-message").textContent = d.message;
      if (d.status === "done" || d.status === "rejected") {
        if (d.error_count) { window.location.reload(); }
        return;
      }
      window.setTimeout(poll, 1000);
    });
  }
  if (["done", "rejected"].indexOf(document.getElementById("checks-status").dataset.final) === -1) { poll(); }
})();
