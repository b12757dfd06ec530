// Competition editor (workspace): live count of the questions each draw rule matches,
// and the rule rows / fixed list shown by the chosen paper mode. Without JavaScript the
// form works the same: the 重新计算 button re-renders the counts on the server.
(function () {
  "use strict";
  var form = document.querySelector("form.competition-form");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-counts-url");
  var timer = null;
  var sequence = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name === "paper_mode" || name === "fixed" || name.indexOf("rules-") === 0) { params.append(name, value); }
    });
    return params.toString();
  }

  function text(count) {
    var shown = count.matching + " 道";
    if (count.available !== count.matching) { shown += "（至少剩 " + count.available + "）"; }
    if (!count.ok) { shown += " 不足"; }
    return shown;
  }

  function render(data) {
    form.querySelectorAll("output.rule-count").forEach(function (output) { output.textContent = ""; });
    data.rules.forEach(function (count, index) {
      var output = form.querySelector('output.rule-count[data-row="' + data.rows[index] + '"]');
      if (output) { output.textContent = text(count); }
    });
    Object.keys(data.row_errors || {}).forEach(function (row) {
      var output = form.querySelector('output.rule-count[data-row="' + row + '"]');
      if (output) { output.textContent = data.row_errors[row]; }
    });
    var box = document.getElementById("paper-check");
    if (!box) { return; }
    box.textContent = "";
    var summary = document.createElement("p");
    var total = document.createElement("output");
    total.id = "paper-total";
    total.textContent = String(data.total);
    summary.append(data.mode === "fixed" ? "固定试卷：共 " : "每份试卷 ", total,
      data.mode === "fixed" ? " 题，题库中找到 " + data.found + " 道。" : " 题。");
    box.appendChild(summary);
    data.errors.forEach(function (message) {
      var line = document.createElement("p");
      line.className = "error";
      line.setAttribute("role", "alert");
      line.textContent = message;
      box.appendChild(line);
    });
  }

  function refresh() {
    var mine = ++sequence;
    fetch(url + "?" + query(), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === sequence) { render(data); } })
      .catch(function () { /* the 重新计算 button still works */ });
  }

  function showMode() {
    var checked = form.querySelector('input[name="paper_mode"]:checked');
    var mode = checked ? checked.value : "rules";
    form.querySelectorAll(".paper-rule [data-mode]").forEach(function (part) {
      part.hidden = part.getAttribute("data-mode") !== mode;
    });
  }

  function scheduled(event) {
    var name = event.target.name || "";
    if (name === "paper_mode") { showMode(); }
    if (name === "paper_mode" || name === "fixed" || name.indexOf("rules-") === 0) {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }
  }

  form.addEventListener("input", scheduled);
  form.addEventListener("change", scheduled);
  showMode();
})();
