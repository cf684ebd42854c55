// While a question is being typed, show up to five similar solved questions
// (GET /api/v1/questions/similar) and record what was shown and clicked (ask flow).
(function () {
  "use strict";
  var box = document.getElementById("similar-questions");
  var title = document.getElementById("title");
  if (!box || !title) { return; }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var timer = null, lastQuery = "", controller = null, started = false;

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
      a.addEventListener("click", function () { record({event: "clicked", question_id: item.question_id}); });
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
    record({event: "shown", ids: items.map(function (i) { return i.question_id; })});
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
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(function (data) {
        var items = (data.items || []).slice(0, 5);
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
