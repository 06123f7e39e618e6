// Live updates: the server says only that something changed; the page then
// fetches itself again and swaps in its live parts (marked data-live), so
// what appears is what this teammate's own request is allowed to see, and
// whatever is being typed in a form stays as it is.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Live": "1" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        pending = false;
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (el) {
          var fresh = next.getElementById(el.id);
          if (fresh && fresh.innerHTML !== el.innerHTML) el.innerHTML = fresh.innerHTML;
        });
        document.body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { pending = false; });
  }
  var events = new EventSource("/events");
  events.addEventListener("change", refresh);
  events.addEventListener("open", function () { document.body.setAttribute("data-live-ready", "1"); });
})();
