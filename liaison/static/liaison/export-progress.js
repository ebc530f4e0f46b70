// A large export being written (core/templates/core/exports/job.html): reload the page every few
// seconds until it is ready. Without JavaScript the page has a refresh link.
(function () {
  if (document.querySelector("[data-export-pending]")) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
  }
})();
