// While an idea's title is being typed, show up to five similar open ideas
// (GET /ideas/similar?title=…), so members vote for an existing idea instead of a duplicate.
(function () {
  "use strict";
  var box = document.getElementById("similar-ideas");
  var title = document.getElementById("title");
  if (!box || !title) { return; }
  var timer = null, lastQuery = title.value.trim().slice(0, 200), controller = null;

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
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = " · " + item.votes + " " + (box.dataset.votesLabel || "");
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
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
      .then(function (items) { show(Array.isArray(items) ? items.slice(0, 5) : []); })
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  });
})();
