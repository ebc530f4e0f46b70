// The case queue's station and deputy boxes (cases/filters.py, TypedRowField): as you type, up to
// 20 matches of your scope from the choices endpoint fill a datalist the box points at. Without
// JavaScript the box still takes a code or a full name; the server checks it either way.
(function () {
  "use strict";
  var script = document.currentScript;
  var template = script && script.dataset.url;
  if (!template || !window.fetch) { return; }
  document.querySelectorAll("input[data-choices]").forEach(function (box) {
    var list = document.createElement("datalist");
    list.id = box.getAttribute("list");
    box.after(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var q = box.value.trim();
      if (!q) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        var url = template.replace("KIND", box.dataset.choices) + "?q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (row) {
              var option = document.createElement("option");
              option.value = row.code;
              option.label = row.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 250);
    });
  });
})();
