// While a title is being typed, show up to five similar items under it: solved questions
// on the ask page (GET /api/v1/questions/similar, and the ask flow is recorded), open ideas
// on the new-idea page (GET /ideas/similar). The box's data attributes say which:
// data-url, data-heading, data-flow-url (ask flows only), data-votes-label (ideas only).
(function () {
  "use strict";
  var box = document.querySelector(".similar[data-url]");
  var title = document.getElementById("title");
  if (!box || !title) { return; }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var timer = null, lastQuery = title.value.trim().slice(0, 200), controller = null, started = false;

  function record(payload) {
    if (!box.dataset.flowUrl || !meta) { return; }
    started = true;
    fetch(box.dataset.flowUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": meta.content},
      body: JSON.stringify(payload),
      keepalive: true
    }).catch(function () {});
  }

  function show(items) {
    box.textContent = "";
    if (!items.length) { box.hidden = true; return; }
    var heading = document.createElement("p");
    heading.textContent = box.dataset.heading || "";
    box.appendChild(heading);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;  // text, never HTML
      if (item.question_id) {
        a.addEventListener("click", function () { record({event: "clicked", question_id: item.question_id}); });
      }
      li.appendChild(a);
      if (box.dataset.votesLabel && typeof item.votes === "number") {
        var votes = document.createElement("span");
        votes.className = "muted";
        votes.textContent = " · " + item.votes + " " + box.dataset.votesLabel;
        li.appendChild(votes);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
    record({event: "shown", ids: items.map(function (i) { return i.question_id; }).filter(Boolean)});
  }

  function lookUp() {
    var query = title.value.trim().slice(0, 200);
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 8) { show([]); return; }
    if (controller) { controller.abort(); }
    controller = new AbortController();
    fetch(box.dataset.url + "?title=" + encodeURIComponent(query), {
      headers: {"Accept": "application/json"}, credentials: "same-origin", signal: controller.signal
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) {
        var items = (Array.isArray(data) ? data : (data.items || [])).slice(0, 5);
        show(items);
        // Start the ask flow even when nothing is suggested (or the visitor is in the
        // holdout, who never sees suggestions): the holdout check compares both groups.
        if (!items.length && !started) { record({event: "shown", ids: []}); }
      })
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  });
})();
