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

  // View beacon: a thread counts as read once it has been visible for T_dwell seconds
  // (data-dwell, an admin setting). Only visible time counts (Page Visibility API); one
  // POST per page view, for members and visitors alike; rendering the page never writes.
  // The server records the view (deflection estimate) and, for members, learns its tags.
  (function viewBeacon() {
    var beacon = document.getElementById("view-beacon");
    if (!beacon || !window.fetch) return;
    var needed = Math.max(1, parseInt(beacon.dataset.dwell, 10) || 10) * 1000;
    var seen = 0, since = null, timer = null, sent = false;
    function send() {
      if (sent) return;
      pause();
      sent = true;
      document.removeEventListener("visibilitychange", onVisibility);
      fetch(beacon.dataset.url, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ question_id: parseInt(beacon.dataset.questionId, 10), dwell: Math.floor(seen / 1000) })
      }).catch(function () {});
    }
    function start() {
      if (sent || since !== null) return;
      since = Date.now();
      timer = setTimeout(send, Math.max(0, needed - seen) + 50);
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

  // "Did this solve your problem?" and "would you have contacted support?": answered
  // in place; the plain forms post and redirect without JavaScript.
  document.querySelectorAll("#deflection-prompt form.prompt-step").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var button = ev.submitter;
      if (!button || !button.name || !window.fetch) return;
      ev.preventDefault();
      var box = form.closest(".deflection-prompt");
      var payload = {};
      payload[form.dataset.field] = form.dataset.field === "solved" ? button.value === "yes" : button.value;
      postJSON(form.action, payload)
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
        .then(function (res) {
          if (!res.ok) { toast(res.json.error ? res.json.error.message : (document.body.dataset.errorText || "Error")); return; }
          form.hidden = true;
          var next = res.json.next === "contact" ? box.querySelector('form[data-step="contact"]') : null;
          var thanks = box.querySelector(".prompt-thanks");
          thanks.textContent = res.json.message || "";  // text, never HTML
          thanks.hidden = false;
          if (next) { next.hidden = false; box.insertBefore(thanks, next); }
        })
        .catch(function () {
          var field = document.createElement("input");  // form.submit() leaves out the button pressed
          field.type = "hidden"; field.name = button.name; field.value = button.value;
          form.appendChild(field);
          form.submit();
        });
    });
  });

  // A short message in the page's polite live region (#toasts, in base.html); stacked, never
  // overlapping; a link when it leads somewhere. Text only: never HTML.
  // At most three at once (the oldest goes), and none leaves while the pointer or the
  // keyboard focus is on them, so a link in a toast can always be reached (WCAG 2.2.1).
  var TOAST_MAX = 3, TOAST_SECONDS = 6;
  function toast(message, kind, url) {
    var region = document.getElementById("toasts");
    if (!region || !message) return;
    var el = document.createElement(url ? "a" : "p");
    el.className = "toast toast-" + (kind || "error");
    el.textContent = message;
    if (url) el.href = url;
    region.appendChild(el);
    while (region.children.length > TOAST_MAX) region.firstElementChild.remove();
    var left = TOAST_SECONDS;
    var timer = setInterval(function () {
      if (region.matches(":hover") || region.contains(document.activeElement)) return;
      left -= 1;
      if (left === 0) el.classList.add("leaving");
      if (left < 0) { clearInterval(timer); el.remove(); }
    }, 1000);
  }
  window.passaparola = { toast: toast, postJSON: postJSON, updateVoteBox: updateVoteBox };
})();
