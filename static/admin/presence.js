/* Who else has this meeting's page open (meetings/presence.py).
 * The page was rendered with the people there at that moment; from then on it sends a
 * heartbeat every data-seconds, which answers who is there now and whether the meeting
 * was saved since this page opened it, and updates the notice (an aria-live region).
 * Leaving the page (closing, reloading, saving) tells the server at once with a beacon. */
"use strict";
(function () {
  function start(box) {
    var form = box.closest("form");
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var others = box.querySelector(".presence-others");
    var changed = box.querySelector(".presence-changed");
    var seconds = parseFloat(box.dataset.seconds) || 25;
    var timer = null;
    var stopped = false;

    function body() {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("tab", box.dataset.tab);
      var opened = form.elements.namedItem("opened_version");
      if (opened) { data.append("opened_version", opened.value); }
      return data;
    }

    function show(element, text) {
      // Unchanged text is left alone, so screen readers do not hear it again.
      if (element.textContent !== text) { element.textContent = text; }
      element.hidden = !text;
    }

    function schedule() {
      if (!stopped && timer === null) { timer = window.setTimeout(beat, seconds * 1000); }
    }

    function beat() {
      window.clearTimeout(timer);
      timer = null;
      fetch(box.dataset.heartbeatUrl, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        headers: {"X-CSRFToken": token, "Accept": "application/json"}
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (response.status >= 400 && response.status < 500) { stopped = true; }
        if (!response.ok || !json) { throw new Error("no presence answer: " + response.status); }
        return response.json();
      }).then(function (answer) {
        show(others, answer.others_text);
        show(changed, answer.changed_text);
      }).catch(function () {
        // Offline, or logged out meanwhile: the notice stays as it was; try again later.
      }).then(schedule);
    }

    window.addEventListener("pagehide", function () {
      stopped = true;
      window.clearTimeout(timer);
      timer = null;
      navigator.sendBeacon(box.dataset.leaveUrl, body());
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { stopped = false; beat(); }  // back from the back/forward cache
    });
    document.addEventListener("visibilitychange", function () {
      // Background tabs' timers are slowed down: catch up as soon as the tab is seen again.
      if (document.visibilityState === "visible" && !stopped) { beat(); }
    });
    // At once: a page shown again after a refused save is not checked in yet.
    beat();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("editing-presence");
    if (box) { start(box); }
  });
})();
