// Reply templates on the staff case page: choosing one fills the reply box. Without JavaScript
// the select stays hidden. A file, not an inline script: the Content-Security-Policy forbids those.
(function () {
  "use strict";
  document.querySelectorAll("select[data-fill]").forEach(function (select) {
    select.closest(".js-only").hidden = false;
    select.addEventListener("change", function () {
      var box = document.getElementById(select.dataset.fill);
      if (box && select.value) { box.value = select.value; box.focus(); }
    });
  });
})();
