/* "Các tin đã đưa ngày": the date picker and the "no news that day" page.
 *
 * Day first whatever the browser's language: a text field read as dd/mm/yyyy (also d/m/yyyy,
 * dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy) and a calendar popup following the WAI-ARIA date picker
 * dialog pattern (a grid: arrows move by day and week, Home/End to the week's ends,
 * PageUp/PageDown by month, with Shift by year, Enter or Space opens the day, Escape closes).
 * The days with news come from the JSON written by plugins/date_archives (days_index.py):
 * {"v": 1, "years": {"2022": base64 bitmap of the year's days, LSB first}}.
 * Plain ES5-compatible script, no build step; without it the page keeps plain links to the
 * archives. */
(function () {
  "use strict";

  var DAY_MS = 86400000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* "2022-06-22" -> {y, m, d}, or null for anything that is not a real day. */
  function parseIso(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    if (!match) { return null; }
    var y = +match[1], m = +match[2], d = +match[3];
    var date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return null;
    }
    return { y: y, m: m, d: d };
  }

  function isoDate(day) { return day.y + "-" + pad(day.m) + "-" + pad(day.d); }
  function shortDate(day) { return pad(day.d) + "/" + pad(day.m) + "/" + day.y; }
  function serial(day) { return Date.UTC(day.y, day.m - 1, day.d) / DAY_MS; }
  function fromSerial(value) {
    var date = new Date(value * DAY_MS);
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  }

  function dayUrl(pattern, day) {
    return new URL(
      pattern.replace("{yyyy}", String(day.y)).replace("{mm}", pad(day.m)).replace("{dd}", pad(day.d)),
      document.baseURI
    ).href;
  }

  /* The index -> sorted list of day serials with news. */
  function decode(index) {
    if (!index || index.v !== 1 || !index.years) { throw new Error("days index: unknown format"); }
    var days = [];
    Object.keys(index.years).map(Number).sort(function (a, b) { return a - b; }).forEach(function (year) {
      var bits = atob(index.years[String(year)]);
      var start = Date.UTC(year, 0, 1) / DAY_MS;
      for (var i = 0; i < bits.length; i++) {
        var byte = bits.charCodeAt(i);
        for (var b = 0; b < 8; b++) {
          if (byte & (1 << b)) { days.push(start + i * 8 + b); }
        }
      }
    });
    return days;
  }

  /* {exact, before, after}: whether `value` has news, and the nearest days with news. */
  function nearest(days, value) {
    var lo = 0, hi = days.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (days[mid] < value) { lo = mid + 1; } else { hi = mid; }
    }
    var exact = lo < days.length && days[lo] === value;
    var afterIndex = exact ? lo + 1 : lo;
    return {
      exact: exact,
      before: lo > 0 ? days[lo - 1] : null,
      after: afterIndex < days.length ? days[afterIndex] : null
    };
  }

  /* "22/06/2022", "2/6/2022", "22-06-2022", "22.06.2022", "22062022" -> {y, m, d}, or null. */
  function parseVn(value) {
    var text = String(value || "").replace(/\s+/g, "");
    var match = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(text) || /^(\d{2})(\d{2})(\d{4})$/.exec(text);
    if (!match) { return null; }
    return parseIso(match[3] + "-" + pad(+match[2]) + "-" + pad(+match[1]));
  }

  function monthTitle(y, m) { return "Tháng " + m + "/" + y; }
  var WEEKDAYS = [["T2", "Thứ Hai"], ["T3", "Thứ Ba"], ["T4", "Thứ Tư"], ["T5", "Thứ Năm"],
                  ["T6", "Thứ Sáu"], ["T7", "Thứ Bảy"], ["CN", "Chủ nhật"]];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, name)) { node.setAttribute(name, attrs[name]); }
    }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function initPicker(box) {
    var form = box.querySelector("form");
    if (!form) { return; }
    var input = form.querySelector("#date-picker-input") || form.querySelector("input[name=d]");
    var toggle = form.querySelector(".date-picker-toggle");
    var dialog = form.querySelector(".date-picker-dialog");
    var error = form.querySelector(".date-picker-error");
    var fallback = box.querySelector(".date-picker-fallback");
    var loading = null;
    var newsDays = null;       /* {serial: true} once the index is loaded */
    var focused = null;        /* the day the grid's roving focus is on */

    var query = new URLSearchParams(window.location.search).get("d");
    var asked = parseIso(query) || parseVn(query);
    if (asked && document.querySelector("[data-no-news]")) { input.value = shortDate(asked); }

    function loadDays() {
      if (!loading) {
        loading = fetch(box.getAttribute("data-days-index"), { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) { throw new Error("days index: HTTP " + response.status); }
            return response.json();
          })
          .then(decode);
      }
      return loading;
    }

    function fail(message) {
      error.textContent = message;
      error.hidden = !message;
      if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }

    function go(day) {
      var noNews = new URL(box.getAttribute("data-no-news-url"), document.baseURI);
      noNews.searchParams.set("d", isoDate(day));
      loadDays().then(function (days) {
        window.location.href = nearest(days, serial(day)).exact
          ? dayUrl(box.getAttribute("data-day-url"), day)
          : noNews.href;
      }, function () {
        /* The index could not be fetched (file://, offline): the no-news page has it inline. */
        window.location.href = noNews.href;
      });
    }

    function readInput() {
      var day = parseVn(input.value);
      if (!day) {
        fail(input.value.trim() ? "Ngày \u201c" + input.value.trim() + "\u201d không hợp lệ: hãy nhập ngày/tháng/năm, ví dụ 22/06/2022."
                                : "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 22/06/2022.");
        return null;
      }
      fail("");
      return day;
    }

    /* Elsewhere than a day archive or the no-news page the field starts at the latest day with
       news, read from the days index (the page does not print it: see date_picker.html); a
       value the reader typed meanwhile is kept. */
    if (!input.value) {
      loadDays().then(function (days) {
        if (!input.value && days.length) { input.value = shortDate(fromSerial(days[days.length - 1])); }
      }, function () { /* no index (file://, offline): the field stays empty */ });
    }

    input.addEventListener("change", function () {
      var day = parseVn(input.value);
      if (day) { input.value = shortDate(day); fail(""); }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var day = readInput();
      if (!day) { input.focus(); return; }
      input.value = shortDate(day);
      go(day);
    });

    /* The calendar popup. */
    function startDay() {
      var typed = parseVn(input.value);
      if (typed) { return typed; }
      return fromSerial(Math.floor(Date.now() / DAY_MS));
    }

    function render() {
      var y = focused.y, m = focused.m;
      var selected = parseVn(input.value);
      dialog.textContent = "";
      var header = el("div", { "class": "dp-header" });
      var steps = [[-12, "«", "Năm trước"], [-1, "‹", "Tháng trước"], null, [1, "›", "Tháng sau"], [12, "»", "Năm sau"]];
      for (var s = 0; s < steps.length; s++) {
        if (!steps[s]) {
          header.appendChild(el("h3", { id: "dp-title", "aria-live": "polite" }, monthTitle(y, m)));
          continue;
        }
        var nav = el("button", { type: "button", "class": "dp-nav", "data-step": String(steps[s][0]), "aria-label": steps[s][2] }, steps[s][1]);
        header.appendChild(nav);
      }
      dialog.appendChild(header);
      var table = el("table", { "class": "dp-grid", role: "grid", "aria-labelledby": "dp-title" });
      var head = el("tr");
      for (var w = 0; w < 7; w++) { head.appendChild(el("th", { scope: "col", abbr: WEEKDAYS[w][1] }, WEEKDAYS[w][0])); }
      var thead = el("thead");
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el("tbody");
      var first = serial({ y: y, m: m, d: 1 });
      var offset = (new Date(first * DAY_MS).getUTCDay() + 6) % 7;  /* Monday first */
      var length = serial(m === 12 ? { y: y + 1, m: 1, d: 1 } : { y: y, m: m + 1, d: 1 }) - first;
      var row = null;
      for (var cell = 0; cell < offset + length || cell % 7; cell++) {
        if (cell % 7 === 0) { row = el("tr"); tbody.appendChild(row); }
        var index = cell - offset;
        if (index < 0 || index >= length) { row.appendChild(el("td")); continue; }
        var day = { y: y, m: m, d: index + 1 };
        var has = newsDays && newsDays[first + index];
        var isFocus = day.d === focused.d;
        var td = el("td", {
          "class": "dp-day" + (has ? " dp-has-news" : ""),
          tabindex: isFocus ? "0" : "-1",
          "data-iso": isoDate(day),
          "aria-selected": selected && isoDate(selected) === isoDate(day) ? "true" : "false",
          "aria-label": day.d + " tháng " + m + " năm " + y + (has ? ", có tin" : (newsDays ? ", không có tin" : ""))
        }, String(day.d));
        row.appendChild(td);
      }
      table.appendChild(tbody);
      dialog.appendChild(table);
      dialog.appendChild(el("p", { "class": "dp-legend" }, "Ngày in đậm có tin. Phím mũi tên chọn ngày, Enter để xem, Esc để đóng."));
    }

    function focusDay() {
      var target = dialog.querySelector('[data-iso="' + isoDate(focused) + '"]');
      if (target) { target.focus(); }
    }

    function moveTo(day) {
      var sameMonth = day.y === focused.y && day.m === focused.m;
      focused = day;
      if (sameMonth) {
        var cells = dialog.querySelectorAll(".dp-day");
        for (var i = 0; i < cells.length; i++) {
          cells[i].setAttribute("tabindex", cells[i].getAttribute("data-iso") === isoDate(day) ? "0" : "-1");
        }
      } else {
        render();
      }
      focusDay();
    }

    function addMonths(day, months) {
      var total = day.y * 12 + (day.m - 1) + months;
      var y = Math.floor(total / 12), m = total % 12 + 1;
      var last = fromSerial(serial(m === 12 ? { y: y + 1, m: 1, d: 1 } : { y: y, m: m + 1, d: 1 }) - 1).d;
      return { y: y, m: m, d: Math.min(day.d, last) };
    }

    function open() {
      focused = startDay();
      render();
      dialog.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      focusDay();
      loadDays().then(function (days) {
        newsDays = {};
        for (var i = 0; i < days.length; i++) { newsDays[days[i]] = true; }
        if (!dialog.hidden) {
          var hadFocus = dialog.contains(document.activeElement) && document.activeElement.classList.contains("dp-day");
          render();
          if (hadFocus) { focusDay(); }
        }
      }, function () { /* no marks: every day stays selectable */ });
    }

    function close(refocus) {
      if (dialog.hidden) { return; }
      dialog.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (refocus) { toggle.focus(); }
    }

    function choose(day) {
      input.value = shortDate(day);
      fail("");
      close(false);
      input.focus();
      go(day);
    }

    toggle.addEventListener("click", function () {
      if (dialog.hidden) { open(); } else { close(true); }
    });

    dialog.addEventListener("click", function (event) {
      var target = event.target;
      var step = target.getAttribute && target.getAttribute("data-step");
      if (step) {
        focused = addMonths(focused, +step);
        render();
        var again = dialog.querySelector('[data-step="' + step + '"]');
        if (again) { again.focus(); }
        return;
      }
      var iso = target.getAttribute && target.getAttribute("data-iso");
      if (iso) { choose(parseIso(iso)); }
    });

    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(true); return; }
      var iso = event.target.getAttribute && event.target.getAttribute("data-iso");
      if (!iso) { return; }
      var day = parseIso(iso), now = serial(day), weekday = (new Date(now * DAY_MS).getUTCDay() + 6) % 7;
      var next = null;
      switch (event.key) {
        case "ArrowLeft": next = fromSerial(now - 1); break;
        case "ArrowRight": next = fromSerial(now + 1); break;
        case "ArrowUp": next = fromSerial(now - 7); break;
        case "ArrowDown": next = fromSerial(now + 7); break;
        case "Home": next = fromSerial(now - weekday); break;
        case "End": next = fromSerial(now + 6 - weekday); break;
        case "PageUp": next = addMonths(day, event.shiftKey ? -12 : -1); break;
        case "PageDown": next = addMonths(day, event.shiftKey ? 12 : 1); break;
        case "Enter": case " ": event.preventDefault(); choose(day); return;
        default: return;
      }
      event.preventDefault();
      moveTo(next);
    });

    /* A non-modal popup: it closes when focus or a click goes elsewhere. */
    document.addEventListener("click", function (event) {
      if (!dialog.hidden && !dialog.contains(event.target) && !toggle.contains(event.target)) { close(false); }
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) { close(false); }
    });

    form.hidden = false;
    if (fallback) { fallback.hidden = true; }
  }

  function link(span, pattern, value) {
    var day = fromSerial(value);
    var anchor = span.querySelector("a");
    anchor.href = dayUrl(pattern, day);
    anchor.textContent = shortDate(day);
    span.hidden = false;
  }

  function initNoNews(section) {
    var data = document.getElementById("days-index");
    var days = data ? decode(JSON.parse(data.textContent)) : [];
    var pattern = section.getAttribute("data-day-url");
    var query = new URLSearchParams(window.location.search).get("d");
    var day = parseIso(query) || parseVn(query);
    if (!days.length) {
      section.querySelector(".no-news-none").hidden = false;
      return;
    }
    if (!day) { return; }
    var found = nearest(days, serial(day));
    if (found.exact) {
      window.location.replace(dayUrl(pattern, day));
      return;
    }
    var title = section.querySelector(".no-news-title");
    title.textContent = "Không có tin trong ngày " + shortDate(day);
    document.title = title.textContent + document.title.replace(/^[^—]*/, " ");
    if (found.before !== null) { link(section.querySelector(".no-news-before"), pattern, found.before); }
    if (found.after !== null) { link(section.querySelector(".no-news-after"), pattern, found.after); }
    section.querySelector(".no-news-nearest").hidden = false;
  }

  function init() {
    var boxes = document.querySelectorAll("[data-date-picker]");
    for (var i = 0; i < boxes.length; i++) { initPicker(boxes[i]); }
    var section = document.querySelector("[data-no-news]");
    if (section) { initNoNews(section); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
