/* Text areas marked "growing" (agenda items, the lead) grow with what is typed, so a long
 * text is read whole rather than through a three-line slot. Browsers that size fields to
 * their content by CSS (`field-sizing: content`, admin_layout.css) need nothing more. */
"use strict";
(function () {
  if (window.CSS && CSS.supports("field-sizing", "content")) { return; }

  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + (area.offsetHeight - area.clientHeight) + "px";
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea.growing")) { grow(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.growing").forEach(grow);
  });
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("textarea.growing").forEach(grow);
  });
})();
