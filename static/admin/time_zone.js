// Django's calendar and clock add "Note: You are 9 hours behind server time" beside every
// date and time field when the browser's zone differs from the site's. Our date and start
// time are the meeting's own (as the readout gives them), and the times that are instants
// (publication, expiry) say which zone they are in where they are asked for: the note only
// confuses. The "Today" and "Now" shortcuts keep using the site's zone.
document.addEventListener('DOMContentLoaded', function () {
    'use strict';
    if (window.DateTimeShortcuts) {
        window.DateTimeShortcuts.addTimezoneWarning = function () {};
    }
});
