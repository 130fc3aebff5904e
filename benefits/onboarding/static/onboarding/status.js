// Progress bar of a caseload import: polls the JSON endpoint until the preview is ready or the import ends,
// then reloads the page (counts, errors, discrepancies, the confirm button).
(function () {
  "use strict";
  var box = document.getElementById("onboarding-status");
  if (!box || box.dataset.final) { return; }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("onboarding-progress").value = d.progress;
      document.getElementById("onboarding-percent").textContent = d.progress;
      document.getElementById("onboarding-state").textContent = d.status_label;
      document.getElementById("onboarding-message").textContent = d.message;
      if (d.final) { window.location.reload(); return; }
      window.setTimeout(poll, 1000);
    });
  }
  poll();
})();
