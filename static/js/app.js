/* Passaparola: small progressive enhancement. Every page works without this file. */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(data || {})
    });
  }

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  // Confirmation before destructive one-button forms.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
    }
  });

  // Votes without a page reload; the plain forms still work without JavaScript.
  document.querySelectorAll(".votes[data-vote-url]").forEach(function (box) {
    box.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var body = new URLSearchParams(new FormData(form));
        fetch(box.dataset.voteUrl, {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "Accept": "application/json", "X-CSRFToken": csrf }
        }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
          .then(function (res) {
            if (!res.ok) { toast(res.json.error ? res.json.error.message : (document.body.dataset.errorText || "Error")); return; }
            updateVoteBox(box, res.json.score, res.json.my_vote);
          })
          .catch(function () { form.submit(); });
      });
    });
  });

  function updateVoteBox(box, score, mine) {
    var scoreEl = box.querySelector(".score");
    if (scoreEl) scoreEl.textContent = score;
    var forms = box.querySelectorAll("form");
    if (mine === undefined || forms.length < 2) return;
    var up = forms[0], down = forms[1];
    up.querySelector('input[name="value"]').value = mine === 1 ? "0" : "1";
    down.querySelector('input[name="value"]').value = mine === -1 ? "0" : "-1";
    up.querySelector("button").classList.toggle("active", mine === 1);
    down.querySelector("button").classList.toggle("active", mine === -1);
    up.querySelector("button").setAttribute("aria-pressed", mine === 1 ? "true" : "false");
    down.querySelector("button").setAttribute("aria-pressed", mine === -1 ? "true" : "false");
  }

  // Live Markdown preview, rendered and sanitized by the server exactly as it will be stored.
  document.querySelectorAll(".editor[data-preview-url]").forEach(function (editor) {
    var textarea = editor.querySelector("textarea");
    var preview = editor.querySelector(".preview");
    if (!textarea || !preview) return;
    var render = debounce(function () {
      postJSON(editor.dataset.previewUrl, { body: textarea.value })
        .then(function (r) { return r.json(); })
        .then(function (j) { preview.innerHTML = j.html; })  // server-sanitized HTML
        .catch(function () {});
    }, 300);
    textarea.addEventListener("input", render);
    if (textarea.value) render();
  });

  // Read beacon: a member who keeps a thread visible for 8 seconds has read it, and the
  // site learns its tags (their home page shows them first). Only visible time counts;
  // one POST per page view; rendering the page itself never writes.
  (function readBeacon() {
    var thread = document.querySelector("#question[data-question-id]");
    if (!thread || !document.body.dataset.userId || !window.fetch) return;
    var needed = 8000, seen = 0, since = null, timer = null, sent = false;
    function send() {
      if (sent) return;
      sent = true;
      document.removeEventListener("visibilitychange", onVisibility);
      fetch("/questions/" + encodeURIComponent(thread.dataset.questionId) + "/read", {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "X-CSRFToken": csrf }
      }).catch(function () {});
    }
    function start() {
      if (sent || since !== null) return;
      since = Date.now();
      timer = setTimeout(send, Math.max(0, needed - seen));
    }
    function pause() {
      if (since === null) return;
      seen += Date.now() - since;
      since = null;
      clearTimeout(timer);
    }
    function onVisibility() { if (document.visibilityState === "visible") start(); else pause(); }
    document.addEventListener("visibilitychange", onVisibility);
    if (document.visibilityState === "visible") start();
  })();

  function toast(message) {
    var el = document.createElement("div");
    el.className = "toast";
    el.setAttribute("role", "status");
    el.textContent = message;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 4000);
  }
  window.passaparola = { toast: toast, postJSON: postJSON, updateVoteBox: updateVoteBox };
})();
