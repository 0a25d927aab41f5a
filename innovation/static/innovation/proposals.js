// INN-2: find co-submitters by name within the worker's unit and add them as checked boxes.
"use strict";
(function () {
  var search = document.getElementById("co-submitter-search");
  if (!search) { return; }
  var results = document.getElementById("co-submitter-results");
  var picked = document.getElementById("co-submitters-picked");
  var timer = null;
  function pick(person) {
    if (picked.querySelector('input[value="' + person.id + '"]')) { return; }
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "co_submitters"; box.value = person.id; box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + person.name));
    picked.appendChild(label);
  }
  function show(list) {
    results.textContent = "";
    list.forEach(function (person) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = person.name + (person.post ? "（" + person.post + "）" : "");
      button.addEventListener("click", function () { pick(person); results.textContent = ""; search.value = ""; });
      item.appendChild(button);
      results.appendChild(item);
    });
  }
  search.addEventListener("input", function () {
    clearTimeout(timer);
    var text = search.value.trim();
    if (!text) { results.textContent = ""; return; }
    timer = setTimeout(function () {
      fetch(search.dataset.url + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) { show(data.results); });
    }, 200);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
}());
