/* Typing is never lost: what is typed into a meeting's form is kept in this browser's
 * localStorage (debounced, and at once when the page is left) until the form is saved.
 *
 * Each draft is keyed by the person and the page's address (data-key on #unsaved-draft)
 * and remembers the version of the meeting it was typed into. It holds only the fields the
 * person changed, so restoring it over a newer version (someone saved meanwhile) does not
 * put back old values of fields they never touched; inline rows are matched by their id,
 * and rows new in the draft get rows of their own ("Add another"), never someone else's. When the form is sent, its
 * draft is only marked as sent: a refused save (a validation error, or someone else's save
 * meanwhile) shows the form again with errors, and the draft stays; it is forgotten once a
 * page says the save went through (its success message, or the meeting's version moved on).
 * When a page opens with a draft that differs from it, a banner offers to restore it
 * (adding inline rows as "Add another" does) or to discard it. Drafts older than a week
 * are forgotten, and logging out forgets them all (registration/logged_out.html). */
"use strict";
(function () {
  var PREFIX = "portal.unsaved-draft:";
  var MAX_AGE = 7 * 24 * 3600 * 1000;
  var SENT_RECENTLY = 10 * 60 * 1000;
  var DEBOUNCE = 500;
  var script = document.currentScript;

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function load(key) {
    try { return JSON.parse(storage().getItem(PREFIX + key)); } catch (error) { return null; }
  }

  function store(key, draft) {
    try { storage().setItem(PREFIX + key, JSON.stringify(draft)); } catch (error) { /* full, or private mode */ }
  }

  function forget(key) {
    try { storage().removeItem(PREFIX + key); } catch (error) { /* nothing kept */ }
  }

  function allKeys() {
    var keys = [], store = storage();
    if (!store) { return keys; }
    for (var index = 0; index < store.length; index += 1) {
      var name = store.key(index);
      if (name && name.indexOf(PREFIX) === 0) { keys.push(name.slice(PREFIX.length)); }
    }
    return keys;
  }

  function hasErrors() {
    return Boolean(document.querySelector(".errornote, ul.errorlist"));
  }

  function successMessages() {
    return Array.prototype.slice.call(document.querySelectorAll(".messagelist .success"));
  }

  // Which fields a draft keeps: what a person types or picks. Not the CSRF token, files,
  // passwords, nor hidden fields (the stale-save check's version stays the page's own; a
  // row's id is read apart, to match rows); nor the rows' positions, which
  // ordered_inlines.js derives from the rows' order.
  function kept(field) {
    var type = (field.type || "").toLowerCase();
    if (!field.name || field.disabled || field.name.indexOf("__prefix__") !== -1) { return false; }
    if (field.classList.contains("position-input")) { return false; }
    if (["file", "password", "submit", "button", "reset", "image", "fieldset"].indexOf(type) !== -1) { return false; }
    return type !== "hidden" && field.name !== "csrfmiddlewaretoken";
  }

  // "agenda_items-3-text" → the row "agenda_items-3" of the inline "agenda_items".
  function rowOf(form, name) {
    var match = /^(.+)-(\d+)-[^-]+$/.exec(name);
    if (!match || !form.elements.namedItem(match[1] + "-TOTAL_FORMS")) { return null; }
    return {prefix: match[1], index: match[2], key: match[1] + "-" + match[2]};
  }

  function rowId(form, key) {
    var field = form.elements.namedItem(key + "-id");
    return field ? field.value : "";
  }

  function read(form) {
    var values = {}, labels = {}, ids = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      var name = field.name;
      if (field.type === "checkbox") {
        values[name] = field.checked;
      } else if (field.type === "radio") {
        if (!(name in values)) { values[name] = ""; }
        if (field.checked) { values[name] = field.value; }
      } else if (field.type === "select-multiple") {
        values[name] = Array.prototype.map.call(field.selectedOptions, function (o) { return o.value; });
        labels[name] = Array.prototype.map.call(field.selectedOptions, function (o) { return o.text; });
      } else {
        values[name] = field.value;
        if (field.tagName === "SELECT" && field.selectedIndex >= 0) {
          labels[name] = field.options[field.selectedIndex].text;
        }
      }
      var row = rowOf(form, name);
      if (row) { ids[row.key] = rowId(form, row.key); }
    });
    return {values: values, labels: labels, ids: ids};
  }

  function blank(value) {
    return value === "" || value === false || value === null || value === undefined
      || (Array.isArray(value) && value.length === 0);
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b) || (blank(a) && blank(b));
  }

  function differences(values, page) {
    return Object.keys(values).filter(function (name) { return !same(values[name], page[name]); });
  }

  function indexWithId(form, prefix, id) {
    var total = parseInt(form.elements.namedItem(prefix + "-TOTAL_FORMS").value, 10);
    for (var index = 0; index < total; index += 1) {
      if (rowId(form, prefix + "-" + index) === id) { return String(index); }
    }
    return null;
  }

  function addRow(form, prefix) {
    var total = form.elements.namedItem(prefix + "-TOTAL_FORMS");
    var group = document.getElementById(prefix + "-group");
    var add = group && group.querySelector(".add-row a");
    var before = parseInt(total.value, 10);
    if (add) { add.click(); }  // Django's "Add another": numbers the row and counts it
    return parseInt(total.value, 10) > before ? String(before) : null;
  }

  // Where each field of the draft goes on this page: {draft name: page name, or null for
  // a row still to add}. A saved row goes to the row with its id; a new row to the same
  // blank new row of the page if there is one, else to a row added for it (with `adding`).
  function placing(form, draft, adding) {
    var places = {}, rows = {}, taken = {};
    Object.keys(draft.values).forEach(function (name) {
      var row = rowOf(form, name);
      if (!row) { places[name] = name; return; }
      if (!(row.key in rows)) {
        var id = (draft.ids || {})[row.key] || "";
        var index = id ? indexWithId(form, row.prefix, id) : null;
        var total = parseInt(form.elements.namedItem(row.prefix + "-TOTAL_FORMS").value, 10);
        if (index === null && !id && Number(row.index) < total && !rowId(form, row.key)
            && !taken[row.key]) {
          index = row.index;
        }
        if (index === null && adding) { index = addRow(form, row.prefix); }
        rows[row.key] = index;
        if (index !== null) { taken[row.prefix + "-" + index] = true; }
      }
      var target = rows[row.key];
      places[name] = target === null ? null : name.replace(row.key + "-", row.prefix + "-" + target + "-");
    });
    return places;
  }

  // The draft's fields that differ from this page, as they would be placed on it.
  function unsaved(form, draft) {
    var page = read(form).values, places = placing(form, draft, false);
    return Object.keys(draft.values).filter(function (name) {
      return !same(draft.values[name], places[name] === null ? undefined : page[places[name]]);
    });
  }

  function fire(field) {
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function put(form, name, value, label) {
    var field = form.elements.namedItem(name);
    if (!field) { return; }
    if (field instanceof RadioNodeList) {
      Array.prototype.forEach.call(field, function (radio) {
        var checked = radio.value === value;
        if (radio.checked !== checked) { radio.checked = checked; fire(radio); }
      });
      return;
    }
    if (field.type === "checkbox") {
      if (field.checked !== Boolean(value)) { field.checked = Boolean(value); fire(field); }
    } else if (field.type === "select-multiple") {
      Array.prototype.forEach.call(field.options, function (option) { option.selected = value.indexOf(option.value) !== -1; });
      fire(field);
    } else if (field.value !== value) {
      if (field.tagName === "SELECT" && value && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
        // An autocomplete's choices are loaded as one types: give back the one chosen.
        field.add(new Option(label || value, value, true, true));
      }
      field.value = value;
      fire(field);
    }
  }

  // Puts the draft's values on the page; the names of the fields it filled.
  function restore(form, draft) {
    var places = placing(form, draft, true);
    return Object.keys(draft.values).filter(function (name) {
      if (places[name] === null) { return false; }
      put(form, places[name], draft.values[name], (draft.labels || {})[name]);
      return true;
    }).map(function (name) { return places[name]; });
  }

  function when(savedAt) {
    var moment = new Date(savedAt), now = new Date();
    var time = moment.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    return moment.toDateString() === now.toDateString() ? time : moment.toLocaleDateString() + " " + time;
  }

  function forgetOld() {
    allKeys().forEach(function (key) {
      var draft = load(key);
      if (!draft || !draft.values || !(Date.now() - draft.savedAt < MAX_AGE)) { forget(key); }
    });
  }

  // Drafts sent with their form: forgotten where a page says the save went through, kept
  // (and no longer marked as sent) where their own page shows the form again.
  function settleSent(ownKey, version) {
    var successes = successMessages();
    allKeys().forEach(function (key) {
      var draft = load(key);
      if (!draft || !draft.sentAt) { return; }
      var linked = successes.some(function (message) {
        return Array.prototype.some.call(message.querySelectorAll("a"), function (link) {
          return link.pathname === draft.path;
        });
      });
      var recent = Date.now() - draft.sentAt < SENT_RECENTLY;
      if (key === ownKey) {
        if (hasErrors()) {
          delete draft.sentAt;  // refused: the form is shown again, the draft stays
          store(key, draft);
        } else if (successes.length || (version && draft.version && Number(version) > Number(draft.version))) {
          forget(key);
        } else {
          delete draft.sentAt;  // never arrived (offline?): offer it below
          store(key, draft);
        }
      } else if (!hasErrors() && (linked || (draft.adding && recent && successes.length))) {
        forget(key);
      }
    });
  }

  function start(form, banner) {
    var key = banner.dataset.key;
    var path = window.location.pathname;
    var adding = !form.elements.namedItem("opened_version") || !form.elements.namedItem("opened_version").value;
    var version = function () {
      var field = form.elements.namedItem("opened_version");
      return field ? field.value : "";
    };
    // The page as the server sent it, to tell which fields the person changed. A page shown
    // again with errors already holds what was typed: the fields its draft held still count.
    var baseline = read(form).values;
    var carried = [];
    var pending = null;
    var timer = null;

    settleSent(key, version());
    var before = load(key);
    if (before && hasErrors()) {
      carried = Object.keys(before.values);
    }

    function save(sent) {
      window.clearTimeout(timer);
      timer = null;
      if (pending) { return; }  // the offer stands until taken or discarded
      var now = read(form);
      var names = differences(now.values, baseline);
      carried.forEach(function (name) {
        if (name in now.values && names.indexOf(name) === -1) { names.push(name); }
      });
      if (names.length === 0) {
        forget(key);
        return;
      }
      var draft = {savedAt: Date.now(), version: version(), path: path, adding: adding,
                   values: {}, labels: {}, ids: {}};
      names.forEach(function (name) {
        draft.values[name] = now.values[name];
        if (name in now.labels) { draft.labels[name] = now.labels[name]; }
        var row = rowOf(form, name);
        if (row) { draft.ids[row.key] = now.ids[row.key]; }
      });
      if (sent) { draft.sentAt = Date.now(); }
      store(key, draft);
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DEBOUNCE);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    document.addEventListener("formset:added", later);
    document.addEventListener("formset:removed", later);
    form.addEventListener("submit", function () { save(true); });
    window.addEventListener("pagehide", function () { if (timer !== null) { save(); } });

    var draft = load(key);
    if (!draft) { return; }
    var changed = unsaved(form, draft);
    if (changed.length === 0) {
      if (!hasErrors()) { forget(key); }  // what it holds is what the page shows
      return;
    }
    pending = draft;
    var text = "You have unsaved changes from " + when(draft.savedAt) + " ("
      + changed.length + (changed.length === 1 ? " field" : " fields") + ").";
    if (draft.version && version() && draft.version !== version()) {
      text += " They were typed into an older version of this meeting, which was saved since:"
        + " restore them, then check them against the newer text before saving.";
    }
    banner.querySelector(".unsaved-draft-text").textContent = text;
    banner.hidden = false;
    banner.querySelector("[data-draft-action=restore]").addEventListener("click", function () {
      pending = null;
      banner.hidden = true;
      var filled = restore(form, draft);
      save();
      var first = form.elements.namedItem(filled[0]);
      if (first && first.focus) { first.focus(); }
    });
    banner.querySelector("[data-draft-action=discard]").addEventListener("click", function () {
      pending = null;
      banner.hidden = true;
      forget(key);
      var field = form.querySelector("input:not([type=hidden]), textarea, select");
      if (field) { field.focus(); }
    });
  }

  if (script && script.hasAttribute("data-forget-all")) {
    // The logged-out page: this computer may be shared.
    allKeys().forEach(forget);
    return;
  }

  window.addEventListener("load", function () {
    forgetOld();
    var banner = document.getElementById("unsaved-draft");
    var form = banner && banner.closest("form");
    if (form) {
      start(form, banner);
    } else {
      settleSent(null, null);  // the list a save went back to
    }
  });
})();
