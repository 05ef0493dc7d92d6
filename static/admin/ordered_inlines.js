/* Reordering rows of the meeting's inlines (participants, photos, agenda items).
 * Adds "Move up" / "Move down" buttons to each row, keeps the position inputs numbered
 * 1, 2, 3… in the order shown, and, for agenda items, shows the number each item will
 * carry on the public page: 1., 2., … for items and (1), (2), … for sub-items.
 * Read only (no position inputs), it leaves the rows alone. */
"use strict";
(function () {
  function rows(group) {
    return Array.from(group.querySelectorAll("tbody tr.form-row")).filter(function (row) {
      return !row.classList.contains("empty-form");
    });
  }

  function isDeleted(row) {
    var box = row.querySelector("td.delete input[type=checkbox]");
    return box && box.checked;
  }

  function hasContent(row) {
    return Array.from(row.querySelectorAll("input[type=text], textarea, select")).some(function (field) {
      return field.value && !field.classList.contains("position-input") && field.type !== "hidden"
        && field.tagName !== "SELECT";
    }) || row.classList.contains("has_original");
  }

  function renumber(group) {
    var position = 0, item = 0, subItem = 0;
    rows(group).forEach(function (row) {
      var input = row.querySelector("input.position-input");
      var label = row.querySelector("td.field-number p, td.field-number");
      if (isDeleted(row) || !hasContent(row)) {
        if (input && !row.classList.contains("has_original")) { input.value = ""; }
        if (label) { label.textContent = ""; }
        return;
      }
      position += 1;
      if (input) { input.value = position; }
      if (label) {
        var sub = row.querySelector("td.field-is_sub_item input[type=checkbox]");
        if (sub && sub.checked && item > 0) {
          subItem += 1;
          label.textContent = "(" + subItem + ")";
          row.classList.add("is-sub-item");
        } else {
          item += 1;
          subItem = 0;
          label.textContent = item + ".";
          row.classList.remove("is-sub-item");
        }
      }
    });
  }

  function move(row, direction) {
    var group = row.closest(".ordered-inline");
    var sibling = direction < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (sibling && (!sibling.classList.contains("form-row") || sibling.classList.contains("empty-form"))) {
      sibling = direction < 0 ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    if (!sibling) { return; }
    if (direction < 0) { sibling.before(row); } else { sibling.after(row); }
    renumber(group);
    row.querySelector(direction < 0 ? "button.move-up" : "button.move-down").focus();
  }

  function addButtons(row) {
    var cell = row.querySelector("td.field-position");
    if (!cell || !cell.querySelector("input.position-input") || cell.querySelector("button.move-up")) { return; }
    [["move-up", "↑", "Move up"], ["move-down", "↓", "Move down"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = spec[0];
      button.textContent = spec[1];
      button.title = spec[2];
      button.setAttribute("aria-label", spec[2]);
      button.addEventListener("click", function () { move(row, spec[0] === "move-up" ? -1 : 1); });
      cell.appendChild(button);
    });
  }

  function setUp(group) {
    // A read-only page (a published meeting) has no position inputs: nothing to reorder,
    // and the numbers the server wrote are the ones the public page shows.
    if (!group.querySelector("input.position-input")) { return; }
    rows(group).forEach(addButtons);
    group.addEventListener("input", function () { renumber(group); });
    group.addEventListener("change", function () { renumber(group); });
    renumber(group);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".ordered-inline").forEach(setUp);
  });
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    var group = row.closest(".ordered-inline");
    if (group) { addButtons(row); renumber(group); }
  });
})();
