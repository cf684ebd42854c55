/* Live updates on a question page (Socket.IO). Payload HTML is sanitized by the server. */
(function () {
  "use strict";
  var thread = document.querySelector("[data-question-id]");
  if (!thread || typeof io === "undefined") return;
  var questionId = parseInt(thread.dataset.questionId, 10);
  var socket = io({ transports: ["websocket", "polling"] });

  socket.on("connect", function () { socket.emit("subscribe", { question_id: questionId }); });

  socket.on("answer_posted", function (data) {
    if (data.question_id !== questionId || document.getElementById("answer-" + data.answer_id)) return;
    var tpl = document.getElementById("answer-template");
    var node = tpl.content.firstElementChild.cloneNode(true);
    node.id = "answer-" + data.answer_id;
    node.dataset.answerId = data.answer_id;
    node.querySelector(".post-body").innerHTML = data.body_html;  // sanitized at write time
    node.querySelector(".byline").textContent = data.author;
    if (data.is_official) node.querySelector(".official-mark").hidden = false;
    document.getElementById("answer-list").appendChild(node);
    var count = document.getElementById("answer-count");
    if (count) count.textContent = document.querySelectorAll("#answer-list > .answer").length;
    var empty = document.getElementById("no-answers");
    if (empty) empty.remove();
  });

  socket.on("vote_changed", function (data) {
    var sel = data.target === "question" ? '.votes[data-kind="question"][data-id="' + data.id + '"]'
                                         : '.votes[data-kind="answer"][data-id="' + data.id + '"]';
    var box = document.querySelector(sel);
    if (!box) { var a = document.getElementById("answer-" + data.id); box = a && a.querySelector(".votes"); }
    if (box) box.querySelector(".score").textContent = data.score;
  });

  socket.on("answer_accepted", function (data) {
    document.querySelectorAll("#answer-list > .answer").forEach(function (el) {
      var accepted = parseInt(el.dataset.answerId, 10) === data.answer_id;
      el.classList.toggle("accepted", accepted);
      var mark = el.querySelector(".accepted-mark");
      if (mark) mark.hidden = !accepted;
    });
  });

  socket.on("comment_posted", function (data) {
    if (document.getElementById("comment-" + data.comment_id)) return;
    var key = data.answer_id ? "answer-" + data.answer_id : "question-" + data.question_id;
    var list = document.querySelector('.comment-list[data-target="' + key + '"]');
    if (!list) return;
    var li = document.createElement("li");
    li.className = "comment";
    li.id = "comment-" + data.comment_id;
    var body = document.createElement("span");
    body.className = "comment-body";
    body.innerHTML = data.body_html;  // sanitized at write time
    li.appendChild(body);
    li.appendChild(document.createTextNode(" — " + data.author));
    list.appendChild(li);
  });
})();
