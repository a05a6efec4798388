// The main menu (templates/base.html), a small enhancement; without JavaScript the menu is simply
// open and each group is a <details> that works on its own.
// - On small screens the menu folds behind the "Menu" button (aria-expanded tells its state).
// - One group open at a time; Escape or a click elsewhere closes it (focus back on its summary).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (toggle && menu) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("open", open);
      });
    }
    var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group"));
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        groups.forEach(function (other) {
          if (other !== group) other.open = false;
        });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups.forEach(function (group) {
        if (group.open) {
          group.open = false;
          group.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) {
        if (group.open && !group.contains(event.target)) group.open = false;
      });
    });
  });
})();

// A table wider than the screen scrolls inside itself (style.css): make it reachable by keyboard.
function markScrollingTables() {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
    if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
    }
  });
}
window.addEventListener("load", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
