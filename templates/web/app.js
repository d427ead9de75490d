// jixiao serve: live refresh (server-sent events), 重新生成, drag-and-drop upload. No build step, no CDN.
(function () {
  "use strict";
  // The run's token: given once in the address's fragment (#t=…), kept in this origin's storage
  // (another port of 127.0.0.1 cannot read it), taken out of the address at once.
  var KEY = "jixiao-token";
  var given = /^#t=([0-9a-f]+)$/.exec(location.hash);
  if (given) {
    try { localStorage.setItem(KEY, given[1]); } catch (e) { window.__jixiaoToken = given[1]; }
    history.replaceState(null, "", location.pathname + location.search);
  }
  var token = window.__jixiaoToken || "";
  try { token = localStorage.getItem(KEY) || token; } catch (e) { /* storage disabled */ }
  function fillForms() {
    document.querySelectorAll('input[name="token"]').forEach(function (i) { i.value = token; });
  }
  function localTimes(root) {
    (root || document).querySelectorAll("time[data-time]").forEach(function (t) {
      var s = Number(t.getAttribute("data-time"));
      if (s) t.textContent = new Date(s * 1000).toLocaleString("zh-CN", { hour12: false });
    });
  }
  function caseName() {
    var c = document.getElementById("case");
    return c ? c.getAttribute("data-case") : null;
  }
  var refreshing = false;
  function refresh() {
    if (refreshing) return;
    refreshing = true;
    var name = caseName();
    var url = name ? "/case/" + encodeURIComponent(name) + "/main" : "/";
    fetch(url, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = name ? doc.getElementById("case") : doc.getElementById("main");
      var old = name ? document.getElementById("case") : document.getElementById("main");
      if (fresh && old) { old.replaceWith(fresh); bind(); localTimes(); }
    }).finally(function () { refreshing = false; });
  }
  function rebuild(btn) {
    btn.disabled = true;
    btn.textContent = "正在生成…";
    fetch("/case/" + encodeURIComponent(btn.getAttribute("data-case")) + "/rebuild", {
      method: "POST", headers: { "X-Jixiao-Token": token }
    }).then(function (r) { return r.text(); }).then(function (text) {
      refresh();
      var c = document.getElementById("changes");
      if (c) c.textContent = text;
    });
  }
  function upload(files, name) {
    var status = document.getElementById("upload-status");
    var list = Array.prototype.slice.call(files);
    var next = function () {
      var f = list.shift();
      if (!f) { refresh(); return; }
      if (status) status.textContent = "正在上传 " + f.name + "…";
      fetch("/case/" + encodeURIComponent(name) + "/upload?file=" + encodeURIComponent(f.name), {
        method: "PUT", headers: { "X-Jixiao-Token": token }, body: f
      }).then(function (r) { return r.text(); }).then(function (t) { if (status) status.textContent = t; next(); });
    };
    next();
  }
  function restore(btn) {
    btn.disabled = true;
    fetch("/case/" + encodeURIComponent(btn.getAttribute("data-case")) + "/restore?file=" + encodeURIComponent(btn.getAttribute("data-file")), {
      method: "POST", headers: { "X-Jixiao-Token": token }
    }).then(function (r) { return r.text(); }).then(function (text) {
      var status = document.getElementById("upload-status");
      refresh();
      setTimeout(function () { var s = document.getElementById("upload-status"); if (s) s.textContent = text; }, 600);
      if (status) status.textContent = text;
    });
  }
  function bind() {
    fillForms();
    document.querySelectorAll("button.restore").forEach(function (b) {
      if (b.dataset.bound) return;
      b.dataset.bound = "1";
      b.addEventListener("click", function () { restore(b); });
    });
    var btn = document.getElementById("rebuild");
    if (btn && !btn.dataset.bound) {
      btn.dataset.bound = "1";
      btn.addEventListener("click", function () { rebuild(btn); });
    }
    var sum = document.getElementById("summary-build");
    if (sum && !sum.dataset.bound) {
      sum.dataset.bound = "1";
      sum.addEventListener("click", function () {
        sum.disabled = true;
        sum.textContent = "正在汇总…";
        fetch("/summary", { method: "POST", headers: { "X-Jixiao-Token": token } })
          .then(function (r) { return r.text(); })
          .then(function (text) {
            refreshing = false;
            refresh();
            setTimeout(function () {
              var c = document.getElementById("summary-changes");
              if (c) c.textContent = text;
            }, 600);
          });
      });
    }
    var drop = document.getElementById("drop");
    if (drop && !drop.dataset.bound) {
      drop.dataset.bound = "1";
      var name = drop.getAttribute("data-case");
      drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
      drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
      drop.addEventListener("drop", function (e) { e.preventDefault(); drop.classList.remove("over"); upload(e.dataTransfer.files, name); });
      var input = document.getElementById("file-input");
      if (input) input.addEventListener("change", function () { upload(input.files, name); });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    bind();
    localTimes();
    if (window.EventSource) {
      var es = new EventSource("/events");
      var timer = null;
      es.onmessage = function (e) {
        var name = caseName();
        if (name && e.data !== name) return;
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
      };
    }
  });
})();
