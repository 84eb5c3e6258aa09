/* IKPE-Archiv: small improvements; every page works without this file.
   Adds a "Kopieren" button beside each citation text (textarea[data-copy]). */
(function () {
  "use strict";
  function addCopyButton(area) {
    var actions = area.parentNode.querySelector(".cite-actions");
    if (!actions || !navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Kopieren";
    button.setAttribute("aria-label", "In die Zwischenablage kopieren");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(area.value).then(function () {
        button.textContent = "Kopiert";
        window.setTimeout(function () { button.textContent = "Kopieren"; }, 2000);
      }, function () {
        area.focus();
        area.select();
      });
    });
    actions.insertBefore(button, actions.firstChild);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-copy]");
    for (var i = 0; i < areas.length; i++) { addCopyButton(areas[i]); }
  });
})();
