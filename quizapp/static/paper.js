// Progressive enhancement for the paper: a countdown on the server's remaining
// seconds, and autosave of each answer as it is given. Without JavaScript the
// page works the same; the server alone enforces the deadline.
(function () {
  "use strict";
  var timer = document.querySelector(".timer[data-remaining-s]");
  if (timer) {
    var endsAt = Date.now() + Number(timer.dataset.remainingS) * 1000;
    var label = timer.querySelector("strong");
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      label.textContent = (m ? m + "分" : "") + (m ? String(s).padStart(2, "0") : s) + "秒";
      timer.classList.toggle("low", left <= 60);
      if (left === 0) {
        // Time is up: the server scores the attempt once its 10 s grace has passed.
        clearInterval(handle);
        timer.textContent = "时间到，正在自动交卷…";
        timer.classList.remove("low");
        setTimeout(function () { window.location.reload(); }, 11000);
      }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".save-status");
  var pending = null;
  // form.action would be the button named "action", so read the attribute.
  var target = form.getAttribute("action");
  // The 答题卡: the count and the ticked cells follow each autosave (the server's list of
  // answered positions, so clearing an answer unticks its cell too).
  var count = form.querySelector(".answer-card .answered-count");
  var showAnswered = function (positions) {
    if (!Array.isArray(positions)) { return; }
    if (count) { count.textContent = String(positions.length); }
    form.querySelectorAll(".answer-card .cell[data-position]").forEach(function (cell) {
      cell.classList.toggle("answered", positions.indexOf(Number(cell.dataset.position)) !== -1);
    });
  };
  var save = function () {
    var data = new FormData(form);
    data.set("action", "stay");
    status.textContent = "正在保存…";
    fetch(target, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (result.ok) {
          status.textContent = "已自动保存";
          showAnswered(result.body.answered);
          return;
        }
        status.textContent = result.body.error ? result.body.error.message : "保存失败，请点击下方按钮保存";
        if (result.body.error && (result.body.error.code === "deadline_passed" || result.body.error.code === "already_submitted")) {
          window.location.reload();
        }
      })
      .catch(function () { status.textContent = "网络异常，答案尚未保存；恢复网络后请点击下方按钮保存"; });
  };
  form.addEventListener("change", save);
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text") { return; }
    clearTimeout(pending);
    pending = setTimeout(save, 800);
  });
})();
