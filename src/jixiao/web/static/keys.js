// Keyboard shortcuts on every page: "/" to the search box, "j"/"k" through the rows of a
// list, "?" for their help. Keys typed into a field, or with a modifier, are the user's.
(function () {
  "use strict";
  var help = document.getElementById("shortcuts");
  var helpButton = document.getElementById("shortcuts-button");

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function searchBox() {
    // The list's own search field when there is one, else the header's.
    return document.querySelector("form.filters input[name=q]") ||
      document.getElementById("quick-search");
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.list tbody tr"))
      .filter(function (row) { return row.querySelector("a"); });
  }

  function step(delta) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(document.querySelector("tr.selected"));
    index = index < 0 ? (delta > 0 ? 0 : all.length - 1)
      : Math.min(all.length - 1, Math.max(0, index + delta));
    all.forEach(function (row) { row.classList.remove("selected"); });
    var row = all[index];
    row.classList.add("selected");
    row.querySelector("a").focus();  // Enter then opens it, as any focused link
    row.scrollIntoView({ block: "nearest" });
  }

  function showHelp() {
    if (help && typeof help.showModal === "function" && !help.open) { help.showModal(); }
  }

  if (helpButton) { helpButton.addEventListener("click", showHelp); }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    if (help && help.open) { return; }  // the dialog's own keys (Esc closes it)
    if (e.key === "/") {
      var box = searchBox();
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    } else if (e.key === "j") {
      e.preventDefault(); step(1);
    } else if (e.key === "k") {
      e.preventDefault(); step(-1);
    } else if (e.key === "?") {
      e.preventDefault(); showHelp();
    }
  });
})();
