/* Topics suggested beside the tags of the meeting and of each agenda item (see
 * meetings/admin/topic_suggestions.py). The page lists what its texts named when it was
 * rendered; here each topic becomes a button that adds it to the tags, with one beside it
 * that dismisses it, and the suggestions follow the texts as the editor types. New
 * suggestions are announced in the page's polite status region. */
"use strict";
(function () {
  const WAIT_MS = 400;  // after the last keystroke, before asking the server
  const MEETING_TEXTS = ["id_title", "id_title_ja", "id_lead", "id_lead_ja"];
  let status = null;
  let timer = null;
  let asked = 0;  // only the answer to the latest question is shown

  function itemRows() {
    return Array.from(document.querySelectorAll("#agenda_items-group tbody tr.form-row"))
      .filter(function (row) { return !row.classList.contains("empty-form"); });
  }

  function isDeleted(row) {
    const box = row.querySelector("td.delete input[type=checkbox]");
    return Boolean(box && box.checked);
  }

  // Each place that takes tags: its tags input, its texts, and where its suggestions go.
  function meetingPlace() {
    const tags = document.getElementById("id_tags");
    if (!tags || !box(tags)) { return null; }
    return {
      tags: tags,
      texts: function () {
        return MEETING_TEXTS.map(function (id) { return document.getElementById(id); })
          .filter(Boolean).map(function (field) { return field.value; });
      },
      name: function () { return "the meeting"; },
    };
  }

  function itemPlace(row) {
    const tags = row.querySelector("[name$='-tags']");
    if (!tags || !box(tags)) { return null; }
    return {
      tags: tags,
      texts: function () {
        if (isDeleted(row)) { return []; }
        return Array.from(row.querySelectorAll("textarea[name$='-text'], textarea[name$='-text_ja']"))
          .map(function (field) { return field.value; });
      },
      name: function () { return itemName(row); },
    };
  }

  function box(tags) {
    return tags.parentElement.querySelector(".topic-suggestions");
  }

  // "item 3", or "item 2 (1)" for a sub-item: the numbers ordered_inlines.js shows.
  function itemName(row) {
    let item = "";
    for (const other of itemRows()) {
      const cell = other.querySelector("td.field-number");
      const number = cell ? cell.textContent.trim() : "";
      if (/^\d+\.$/.test(number)) { item = number.slice(0, -1); }
      if (other === row) {
        if (/^\(\d+\)$/.test(number)) { return "item " + item + " " + number; }
        return number ? "item " + number.slice(0, -1) : "the new item";
      }
    }
    return "the new item";
  }

  function show(place, topics) {
    const list = box(place.tags);
    list.dismissed = list.dismissed || new Set();
    list.shown = topics.filter(function (topic) { return !list.dismissed.has(topic.toLowerCase()); });
    list.replaceChildren();
    if (!list.shown.length) { return; }
    const label = document.createElement("span");
    label.textContent = "Suggested topics:";
    list.append(label);
    list.shown.forEach(function (topic) {
      const where = place.name();
      const pair = document.createElement("span");
      pair.className = "topic-suggestion";
      pair.append(
        button("topic-add", "+ " + topic, "Add topic " + topic + " to " + where, function () {
          accept(place, topic);
        }),
        button("topic-dismiss", "×", "Dismiss topic " + topic + " for " + where, function () {
          list.dismissed.add(topic.toLowerCase());
          drop(place, topic, "Dismissed topic " + topic + " for " + where + ".");
        })
      );
      pair.firstChild.dataset.topic = topic;
      list.append(pair);
    });
  }

  function button(className, text, label, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.addEventListener("click", action);
    return element;
  }

  // Add the topic to the tags as an editor would type it: comma-separated, quoted if it
  // holds a comma (meetings.models.topics.tags_from_text reads it back).
  function accept(place, topic) {
    const written = topic.indexOf(",") >= 0 ? "\"" + topic + "\"" : topic;
    const before = place.tags.value.replace(/[\s,]+$/, "");
    place.tags.value = before ? before + ", " + written : written;
    drop(place, topic, "Added topic " + topic + " to " + place.name() + ".");
  }

  // Take the topic off the list; keyboard focus moves to the next suggestion, or the tags.
  function drop(place, topic, message) {
    const list = box(place.tags);
    const index = list.shown.indexOf(topic);
    show(place, list.shown.filter(function (other) { return other !== topic; }));
    const left = list.querySelectorAll("button.topic-add");
    (left[Math.min(index, left.length - 1)] || place.tags).focus();
    announce(message);
  }

  function announce(message) {
    if (status && message) { status.textContent = message; }
  }

  function places() {
    return {
      meeting: meetingPlace(),
      items: itemRows().map(itemPlace).filter(Boolean),
    };
  }

  function entry(place) {
    return place ? { texts: place.texts(), tags: place.tags.value } : { texts: [], tags: "" };
  }

  function ask() {
    const current = places();
    const question = ++asked;
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(status.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify({ meeting: entry(current.meeting), items: current.items.map(entry) }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || question !== asked) { return; }
        const news = [];
        const pairs = [[current.meeting, answer.meeting]].concat(
          current.items.map(function (place, index) { return [place, answer.items[index]]; })
        );
        pairs.forEach(function (pair) {
          if (!pair[0] || !pair[1]) { return; }
          const before = box(pair[0].tags).shown || [];
          show(pair[0], pair[1]);
          const fresh = box(pair[0].tags).shown.filter(function (t) { return before.indexOf(t) < 0; });
          if (fresh.length) { news.push(fresh.join(", ") + " for " + pair[0].name()); }
        });
        if (news.length) { announce("Suggested topics: " + news.join("; ") + "."); }
      })
      // Suggestions are a help: when they cannot be had, the form works as before.
      .catch(function () {});
  }

  function askSoon() {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT_MS);
  }

  function relabel() {
    const current = places();
    [current.meeting].concat(current.items).forEach(function (place) {
      if (place && box(place.tags).shown) { show(place, box(place.tags).shown); }
    });
  }

  function isWatched(field) {
    return MEETING_TEXTS.indexOf(field.id) >= 0 || field.id === "id_tags"
      || /^agenda_items-\d+-(text|text_ja|tags|DELETE)$/.test(field.name || "");
  }

  document.addEventListener("DOMContentLoaded", function () {
    status = document.getElementById("topic-suggestions-status");
    if (!status) { return; }
    // The suggestions the page was rendered with become buttons, announced to no one.
    const current = places();
    [current.meeting].concat(current.items).forEach(function (place) {
      if (!place) { return; }
      const rendered = Array.from(box(place.tags).querySelectorAll(".suggested-topic"));
      show(place, rendered.map(function (span) { return span.textContent; }));
    });
    document.addEventListener("input", function (event) {
      if (isWatched(event.target)) { askSoon(); }
    });
    document.addEventListener("change", function (event) {
      if (isWatched(event.target)) { askSoon(); } else if (event.target.name) { relabel(); }
    });
    // Moving rows and ticking "sub-item" renumber the items the buttons name.
    const group = document.getElementById("agenda_items-group");
    if (group) {
      group.addEventListener("click", function (event) {
        if (event.target.closest("button.move-up, button.move-down")) { relabel(); }
      });
    }
  });
  document.addEventListener("formset:removed", function () { if (status) { askSoon(); } });
})();
