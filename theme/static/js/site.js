/* The article tools: print, text size (A- A A+, remembered in localStorage).
 * Plain ES5, no build step, no inline handlers (the CSP has no 'unsafe-inline'); the tools
 * stay hidden when this script does not run. */
(function () {
  "use strict";

  var KEY = "vinhyen-text-size";
  var MIN = -1, MAX = 3;
  var root = document.documentElement;

  function stored() {
    try { return parseInt(window.localStorage.getItem(KEY), 10) || 0; } catch (e) { return 0; }
  }

  function apply(level) {
    level = Math.max(MIN, Math.min(MAX, level));
    for (var i = MIN; i <= MAX; i++) { root.classList.remove("text-size-" + (i < 0 ? "n" + -i : i)); }
    if (level) { root.classList.add("text-size-" + (level < 0 ? "n" + -level : level)); }
    var buttons = document.querySelectorAll("[data-text-size]");
    for (var b = 0; b < buttons.length; b++) {
      var step = +buttons[b].getAttribute("data-text-size");
      buttons[b].disabled = (step < 0 && level <= MIN) || (step > 0 && level >= MAX);
      if (step === 0) { buttons[b].setAttribute("aria-pressed", level === 0 ? "true" : "false"); }
    }
    return level;
  }

  function save(level) {
    try { window.localStorage.setItem(KEY, String(level)); } catch (e) { /* private mode */ }
  }

  function init() {
    var level = apply(stored());
    var buttons = document.querySelectorAll("[data-text-size]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var step = +event.currentTarget.getAttribute("data-text-size");
        level = apply(step === 0 ? 0 : level + step);
        save(level);
      });
    }
    var print = document.querySelectorAll("[data-print]");
    for (var p = 0; p < print.length; p++) {
      print[p].addEventListener("click", function () { window.print(); });
    }
    var hidden = document.querySelectorAll("[data-js-only]");
    for (var h = 0; h < hidden.length; h++) { hidden[h].hidden = false; }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
