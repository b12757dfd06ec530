/* Presence on a content item's edit page: ping every 30 s and show who else has the item open.
   The server renders the same list without JavaScript; this only keeps it fresh. */
(function () {
  "use strict";
  var box = document.querySelector(".presence[data-ping-url]");
  if (!box || !window.fetch) { return; }
  var list = box.querySelector(".presence-list");
  var interval = (parseInt(box.getAttribute("data-interval"), 10) || 30) * 1000;

  function render(others) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!others.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "最近 2 分钟内没有其他人打开此内容。";
      list.appendChild(empty);
      return;
    }
    others.forEach(function (other) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = other.name;
      var seen = document.createElement("span");
      seen.className = "muted";
      seen.textContent = " " + other.seen_at + " 在线";
      item.appendChild(name);
      item.appendChild(seen);
      list.appendChild(item);
    });
  }

  function ping() {
    fetch(box.getAttribute("data-ping-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.getAttribute("data-csrf"), "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { render(data.others || []); }
    }).catch(function () { /* offline for a moment: try again at the next tick */ });
  }

  window.setInterval(ping, interval);
})();
