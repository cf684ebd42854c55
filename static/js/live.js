/* Live updates (Socket.IO): the question page, the bell and toasts, the leaderboard, the
 * staff queue. One connection per page. HTML in payloads is sanitized by the server and
 * is the only thing inserted as HTML; names and texts always go in as text. */
(function () {
  "use strict";
  if (typeof io === "undefined") return;
  var member = document.body.dataset.userId;
  var thread = document.querySelector("[data-question-id]");
  var board = document.getElementById("leaderboard");
  var queue = document.getElementById("queue-live");
  if (!member && !thread && !board) return;  // nothing on this page can change live

  var socket = io({ transports: ["websocket", "polling"] });
  var questionId = thread ? parseInt(thread.dataset.questionId, 10) : null;

  var connectedBefore = false;
  socket.on("connect", function () {
    // Rooms are per connection: after a reconnect, follow them again, and catch up on
    // what happened while the connection was down (events are not replayed).
    if (questionId) socket.emit("subscribe", { question_id: questionId });
    if (board) socket.emit("subscribe", { leaderboard: true });
    if (connectedBefore) catchUp();
    connectedBefore = true;
  });

  function fetchPage(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { return html && new DOMParser().parseFromString(html, "text/html"); });
  }

  function catchUp() {
    fetchPage(window.location.href).then(function (doc) {
      if (!doc) return;
      var fresh = doc.querySelector("[data-unread-count]");
      if (fresh) setUnread(parseInt(fresh.textContent, 10) || 0);
      if (thread) {
        doc.querySelectorAll("#answer-list > article.answer").forEach(function (a) {
          if (!answerNode(a.dataset.answerId)) {
            var node = document.importNode(a, true);
            node.classList.add("live-new");
            document.getElementById("answer-list").appendChild(node);
          }
        });
        doc.querySelectorAll(".votes[data-kind][data-id]").forEach(function (v) {
          var mine = document.querySelector('.votes[data-kind="' + v.dataset.kind + '"][data-id="' + v.dataset.id + '"] .score');
          if (mine) mine.textContent = v.querySelector(".score").textContent;
        });
        doc.querySelectorAll(".comment-list[data-target]").forEach(function (list) {
          var mine = document.querySelector('.comment-list[data-target="' + list.dataset.target + '"]');
          if (!mine) return;
          list.querySelectorAll("li.comment[id]").forEach(function (li) {
            if (!document.getElementById(li.id)) mine.appendChild(document.importNode(li, true));
          });
        });
        var accepted = doc.querySelector("#answer-list > article.answer.accepted");
        markAccepted(accepted ? parseInt(accepted.dataset.answerId, 10) : null);
        countAnswers();
      }
      if (board) {
        var rows = doc.querySelector("#leaderboard tbody");
        if (rows) board.tBodies[0].replaceWith(document.importNode(rows, true));
        board.hidden = !board.tBodies[0].rows.length;
      }
      if (queue) refreshQueue();
    }).catch(function () { /* the next reconnect tries again */ });
  }

  var toast = window.passaparola ? window.passaparola.toast : function () {};

  /* ---- the member: bell, points, badges ---- */
  function setUnread(count) {
    var badge = document.querySelector("[data-unread-count]");
    var label = document.querySelector("[data-unread-label]");
    var link = document.querySelector(".notifications-link");
    if (!badge) return;
    badge.textContent = count;
    badge.hidden = !count;
    if (label) label.hidden = !count;
    if (link) link.classList.toggle("has-unread", count > 0);
  }

  socket.on("notification", function (data) {
    if (typeof data.unread === "number") setUnread(data.unread);
    var list = document.querySelector(".notification-list");
    if (list && !document.getElementById("notification-" + data.id)) {
      var li = document.createElement("li");
      li.className = "notification unread live-new";
      li.id = "notification-" + data.id;
      var a = document.createElement("a");
      a.href = data.url;
      a.textContent = data.text;
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    }
  });

  socket.on("points", function (data) {
    var mine = document.querySelector("[data-my-points]");
    if (mine && typeof data.total === "number") mine.textContent = data.total;
    toast(data.text, "points");
  });

  socket.on("badge", function (data) { toast(data.text, "badge", data.url); });

  /* ---- the question page ---- */
  function answerNode(id) { return document.getElementById("answer-" + id); }

  function fragmentUrl(answerId) {
    return thread.dataset.answerFragmentUrl.replace(/\/0\/fragment$/, "/" + answerId + "/fragment");
  }

  function countAnswers() {
    var n = document.querySelectorAll("#answer-list > .answer").length;
    var count = document.getElementById("answer-count"), noun = document.getElementById("answer-noun");
    if (count) count.textContent = n;
    if (noun) noun.textContent = n === 1 ? noun.dataset.one : noun.dataset.many;
    var empty = document.getElementById("no-answers");
    if (empty) empty.remove();
  }

  socket.on("answer_posted", function (data) {
    if (!thread || data.question_id !== questionId || answerNode(data.answer_id)) return;
    // At once from the event (sanitized HTML), then the viewer's own controls from the server.
    var node = document.createElement("article");
    node.className = "post answer live-new" + (data.is_official ? " official" : "");
    node.id = "answer-" + data.answer_id;
    node.dataset.answerId = data.answer_id;
    var main = document.createElement("div");
    main.className = "post-main";
    var body = document.createElement("div");
    body.className = "post-body";
    body.innerHTML = data.body_html;  // sanitized by the server at write time
    var byline = document.createElement("p");
    byline.className = "byline";
    byline.textContent = data.author;
    main.appendChild(body);
    main.appendChild(byline);
    node.appendChild(main);
    document.getElementById("answer-list").appendChild(node);
    countAnswers();
    toast((thread.dataset.liveNewAnswer || "") + " · " + data.author, "answer", "#" + node.id);
    fetchPage(fragmentUrl(data.answer_id))
      .then(function (doc) {
        var full = doc && doc.querySelector("article.answer");
        var current = answerNode(data.answer_id);
        if (!full || !current) return;
        full.classList.add("live-new");
        var score = full.querySelector(".votes .score"), newest = scores["answer:" + data.answer_id];
        if (score && newest !== undefined) score.textContent = newest;
        current.replaceWith(document.importNode(full, true));
      })
      .catch(function () { /* the event's version stays */ });
  });

  var scores = {};  // the newest score of each post, for answers whose fragment is still on its way
  socket.on("vote_changed", function (data) {
    scores[data.target + ":" + data.id] = data.score;
    var box = document.querySelector('.votes[data-kind="' + data.target + '"][data-id="' + data.id + '"]');
    if (!box && data.target === "answer") { var a = answerNode(data.id); box = a && a.querySelector(".votes"); }
    var score = box && box.querySelector(".score");
    if (score) score.textContent = data.score;
  });

  function markAccepted(answerId) {
    document.querySelectorAll("#answer-list > .answer").forEach(function (el) {
      var accepted = parseInt(el.dataset.answerId, 10) === answerId;
      el.classList.toggle("accepted", accepted);
      var mark = el.querySelector(".accepted-mark");
      if (mark) mark.hidden = !accepted;
    });
  }

  socket.on("answer_accepted", function (data) { markAccepted(data.answer_id); });

  socket.on("comment_posted", function (data) {
    if (document.getElementById("comment-" + data.comment_id)) return;
    var key = data.answer_id ? "answer-" + data.answer_id : "question-" + data.question_id;
    var list = document.querySelector('.comment-list[data-target="' + key + '"]');
    if (!list) return;
    var li = document.createElement("li");
    li.className = "comment live-new";
    li.id = "comment-" + data.comment_id;
    var body = document.createElement("span");
    body.className = "comment-body";
    body.innerHTML = data.body_html;  // sanitized by the server at write time
    li.appendChild(body);
    li.appendChild(document.createTextNode(" — " + data.author));
    list.appendChild(li);
  });

  /* ---- the leaderboard: move the member to their new place ---- */
  function boardRow(data) {
    var tr = document.createElement("tr");
    tr.dataset.userId = data.user_id;
    var rank = document.createElement("td"); rank.className = "rank";
    var who = document.createElement("td");
    var link = document.createElement("a"); link.href = data.url; link.textContent = data.name; who.appendChild(link);
    var pts = document.createElement("td"); pts.className = "num";
    var bar = document.createElement("td"); bar.className = "bar-col";
    var progress = document.createElement("progress"); progress.setAttribute("aria-hidden", "true"); bar.appendChild(progress);
    tr.append(rank, who, pts, bar);
    if (String(data.user_id) === member) tr.className = "me";
    return tr;
  }

  socket.on("leaderboard", function (data) {
    if (!board) return;
    var key = board.dataset.period + ":" + board.dataset.tagKey;
    if (!(key in data.boards)) return;
    var points = data.boards[key];
    var body = board.tBodies[0];
    var row = body.querySelector('tr[data-user-id="' + data.user_id + '"]');
    if (points <= 0) { if (row) row.remove(); }
    else {
      if (!row) row = boardRow(data);
      row.querySelector(".num").textContent = points;
      row.classList.add("live-new");
      body.appendChild(row);
    }
    // Re-rank: most points first; ties keep their order (whoever reached the score first).
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.dataset.order = i; });
    rows.sort(function (a, b) {
      var d = parseInt(b.querySelector(".num").textContent, 10) - parseInt(a.querySelector(".num").textContent, 10);
      return d || (a.dataset.order - b.dataset.order);
    });
    var limit = parseInt(board.dataset.limit, 10) || 50;
    var best = rows.length ? parseInt(rows[0].querySelector(".num").textContent, 10) : 1;
    rows.forEach(function (r, i) {
      if (i >= limit) { r.remove(); return; }
      body.appendChild(r);
      var cell = r.querySelector(".rank");
      cell.textContent = "";
      if (i < 3) { var medal = document.createElement("span"); medal.className = "medal medal-" + (i + 1); medal.textContent = i + 1; cell.appendChild(medal); }
      else cell.textContent = i + 1;
      var p = r.querySelector("progress");
      p.max = best; p.value = parseInt(r.querySelector(".num").textContent, 10);
    });
    board.hidden = rows.length === 0;
    var empty = document.getElementById("board-empty");
    if (empty && rows.length) empty.remove();
  });

  /* ---- the staff queue: fetch the page again and swap the live parts ---- */
  var queueTimer = null;
  function refreshQueue() {
    var before = {};
    queue.querySelectorAll("tr[data-escalation-id]").forEach(function (tr) { before[tr.dataset.escalationId] = true; });
    fetchPage(window.location.href)
      .then(function (doc) {
        if (!doc) return;
        ["esc-counts", "queue-tabs", "queue-live"].forEach(function (id) {
          var fresh = doc.getElementById(id), current = document.getElementById(id);
          if (fresh && current) current.replaceWith(document.importNode(fresh, true));
        });
        queue = document.getElementById("queue-live");
        queue.querySelectorAll("tr[data-escalation-id]").forEach(function (tr) {
          if (!before[tr.dataset.escalationId]) tr.classList.add("live-new");
        });
      })
      .catch(function () { /* the next event tries again */ });
  }

  socket.on("escalation", function (data) {
    if (!queue) return;
    if (data.kind === "opened") toast((queue.dataset.liveNew || "") + ": " + data.title, "escalation");
    clearTimeout(queueTimer);
    queueTimer = setTimeout(refreshQueue, 300);  // several events in a burst: one fetch
  });
})();
