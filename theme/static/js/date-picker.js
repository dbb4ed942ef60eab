/* "Các tin đã đưa ngày": the date picker and the "no news that day" page.
 *
 * The days with news come from the JSON written by plugins/date_archives (days_index.py):
 * {"v": 1, "years": {"2022": base64 bitmap of the year's days, LSB first}}.
 * Plain ES5-compatible script, no build step; without it the page keeps a plain link to
 * the archive index. */
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

  function initPicker(box) {
    var form = box.querySelector("form");
    if (!form) { return; }
    var input = form.querySelector("input[type=date]");
    var shown = form.querySelector("output");
    var fallback = box.querySelector(".date-picker-fallback");
    var loading = null;

    var asked = parseIso(new URLSearchParams(window.location.search).get("d"));
    if (asked && document.querySelector("[data-no-news]")) { input.value = isoDate(asked); }

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

    function show() {
      var day = parseIso(input.value);
      shown.textContent = day ? shortDate(day) : "dd/mm/yyyy";
    }

    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var day = parseIso(input.value);
      if (!day) { input.focus(); return; }
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
    var day = parseIso(new URLSearchParams(window.location.search).get("d"));
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
