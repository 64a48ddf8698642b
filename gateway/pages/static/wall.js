// The lobby wall's script: the organisation's local date and time, ticking (the frame's time
// zone, not the display's clock zone), and the "offline since" note when a refresh of the
// boards fails (htmx keeps the last boards on the screen: it swaps in successes only).
(function () {
  var zone = document.body.dataset.timezone;
  var lang = document.documentElement.lang;
  var since = null;

  function format(moment, options) {
    try {
      return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options)).format(moment);
    } catch (error) {
      return null; // an unknown zone: keep what the server wrote
    }
  }
  function time(moment) {
    return format(moment, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }
  function tick() {
    var now = new Date();
    var date = format(now, { dateStyle: "full" });
    var clock = time(now);
    if (date) document.getElementById("wall-date").textContent = date;
    if (clock) document.getElementById("wall-time").textContent = clock;
  }
  function offline() {
    var note = document.getElementById("wall-offline");
    if (since === null) {
      since = new Date();
      note.textContent = note.dataset.text.replace("__TIME__", time(since) || "");
      note.hidden = false;
    }
  }
  function online() {
    since = null;
    document.getElementById("wall-offline").hidden = true;
  }
  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, offline);
  });
  document.addEventListener("htmx:afterSwap", online);
  tick();
  setInterval(tick, 10000);
})();
