// The skill picker: a text input with list="…" (a native <datalist>, so it works and is
// accessible without this script) whose suggestions follow what is typed, from the server
// (/vaardigheden/suggesties?q=…: skills starting with the letters). For a comma-separated
// field (data-skill-picker="tags") the last tag is completed and the earlier ones are kept.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-skill-picker]");
  if (!inputs.length || !window.fetch) { return; }
  var timer = null;
  var asked = "";

  function lastTag(value) {
    var parts = value.split(/[,;]/);
    return { head: parts.slice(0, -1).join(","), tag: parts[parts.length - 1].trim() };
  }

  function fill(input, names) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var tags = input.getAttribute("data-skill-picker") === "tags";
    var head = tags ? lastTag(input.value).head : "";
    while (list.firstChild) { list.removeChild(list.firstChild); }
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = head ? head.replace(/\s+$/, "") + ", " + name : name;
      list.appendChild(option);
    });
  }

  function ask(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var source = list && list.getAttribute("data-source");
    var tags = input.getAttribute("data-skill-picker") === "tags";
    var typed = tags ? lastTag(input.value).tag : input.value.trim();
    if (!source || typed.length < 1 || typed === asked) { return; }
    asked = typed;
    fetch(source + "?q=" + encodeURIComponent(typed), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) { fill(input, data.items || []); })
      .catch(function () { /* the datalist from the page stays */ });
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(input); }, 150);
    });
  });
})();
