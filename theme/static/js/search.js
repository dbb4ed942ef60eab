/* The archive's search page (/tim-kiem/): reads the static index written by
 * plugins/site_search and answers queries in the browser. Plain JavaScript, no framework.
 *
 * The analysis below mirrors plugins/vntext/analysis.py and the query algorithm mirrors
 * plugins/site_search/engine.py; the browser tests compare this client's results with the
 * Python brute-force reference. Never put data into innerHTML: every text goes through
 * textContent / createTextNode.
 */
(function () {
  "use strict";

  var MAX_QUERY_SYLLABLES = 32;
  var PAGE_SIZE = 10;
  var FIELD_WEIGHTS = [4, 2, 1];
  var TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323";
  var DROP = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]|\p{Cf}/gu;
  var SYLLABLE = /[\p{L}\p{N}]+/gu;
  var QUOTES = /["\u201c\u201d\u201e\u00ab\u00bb]/;
  // For highlighting: a run of text that contains syllables (marks and format chars included).
  var WORD_RUN = /[\p{L}\p{N}\p{M}\p{Cf}]+/gu;

  // --- analysis (plugins/vntext/analysis.py) -------------------------------------------
  function normalizeText(text) {
    return text.replace(DROP, "").normalize("NFC").toLowerCase().normalize("NFC");
  }

  function fold(text) {
    return text.toLowerCase().replace(/[đĐ]/g, "d").normalize("NFD")
      .replace(/\p{Mn}/gu, "").normalize("NFC");
  }

  function canonical(word) {
    var decomposed = Array.from(word.normalize("NFD"));
    var tones = decomposed.filter(function (c) { return TONE_MARKS.indexOf(c) >= 0; });
    if (tones.length !== 1) return word;
    var base = Array.from(decomposed.filter(function (c) { return TONE_MARKS.indexOf(c) < 0; })
      .join("").normalize("NFC"));
    var n = base.length;
    var tail = base.slice(-2).join("").toLowerCase();
    if ((tail !== "oa" && tail !== "oe" && tail !== "uy") ||
        (n >= 3 && base[n - 3].toLowerCase() === "q")) return word;
    var tone = tones[0];
    var first = base.slice(0, n - 2).join("") + (base[n - 2] + tone).normalize("NFC") + base[n - 1];
    var second = base.slice(0, n - 1).join("") + (base[n - 1] + tone).normalize("NFC");
    return first < second ? first : second;
  }

  function syllables(text) {
    return (normalizeText(text).match(SYLLABLE) || []).map(canonical);
  }

  function hasDiacritics(word) { return fold(word) !== word; }

  function parseQuery(text) {
    var parts = text.split(QUOTES);
    if (parts.length % 2 === 0) {  // odd number of quotes: the last one is ignored
      var last = parts.pop();
      parts[parts.length - 1] += " " + last;
    }
    var units = [], budget = MAX_QUERY_SYLLABLES, truncated = false;
    parts.forEach(function (part, index) {
      var all = syllables(part), words = all.slice(0, budget);
      if (words.length < all.length) truncated = true;
      budget -= words.length;
      if (index % 2 && words.length > 1) units.push(words);
      else words.forEach(function (w) { units.push([w]); });
    });
    var seen = {}, unique = [];
    units.forEach(function (unit) {
      var key = unit.join(" ");
      if (!seen[key]) { seen[key] = true; unique.push(unit); }
    });
    unique.truncated = truncated;
    return unique;
  }

  function allowed(queryWord, form) { return hasDiacritics(queryWord) ? form === queryWord : true; }

  // --- index decoding (plugins/site_search/encoding.py, decoder.py) ------------------------
  var utf8 = new TextDecoder("utf-8");
  var encoder = new TextEncoder();

  function Reader(bytes) { this.b = bytes; this.o = 0; }
  Reader.prototype.varint = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.b[this.o++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte >= 0x80);
    return value;
  };
  Reader.prototype.string = function () {
    var length = this.varint(), start = this.o;
    this.o += length;
    return utf8.decode(this.b.subarray(start, this.o));
  };
  /* The next doc set (a delta list, or a bitmap for dense sets) added to `found` (Matches)
   * without an array of its ids, or only skipped over when `ok` is false. */
  Reader.prototype.addDocset = function (found, ok, weight, exact) {
    var bytes = this.b, tag = bytes[this.o++], i;
    if (tag === 0) {
      var n = this.varint(), doc = 0;
      if (!ok) {
        for (i = 0; i < n; i++) while (bytes[this.o++] >= 0x80);
        return;
      }
      for (i = 0; i < n; i++) { doc += this.varint(); found.add(doc, weight, exact); }
      return;
    }
    if (tag !== 1) throw new Error("unknown doc set tag " + tag);
    var start = this.varint(), nbytes = this.varint();
    if (ok) {
      for (var j = 0; j < nbytes; j++) {
        var byte = bytes[this.o + j];
        if (!byte) continue;
        for (i = 0; i < 8; i++) if (byte >> i & 1) found.add(start + j * 8 + i, weight, exact);
      }
    }
    this.o += nbytes;
  };

  // CRC-32 (zlib's) of a key's UTF-8 bytes: which bucket holds it (encoding.key_hash).
  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(text) {
    var bytes = encoder.encode(text), crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function hex(bytes, offset, length) {
    var text = "";
    for (var i = offset; i < offset + length; i++) text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return text;
  }

  /* The key of an inline posting of key space `space` (decoder.posting_key): it starts
   * with its count of exact forms, then the first one's syllables, which fold to the key. */
  var KEY_SYLLABLES = { s: 1, p: 2, t: 3, q: 3 };
  var foldedForms = new Map();  // a bucket's forms repeat (của, và, các…): fold each once
  function postingKey(space, posting) {
    var reader = new Reader(posting), words = [];
    reader.varint();
    for (var w = 0; w < KEY_SYLLABLES[space]; w++) {
      var form = reader.string(), folded = foldedForms.get(form);
      if (folded === undefined) { folded = fold(form); foldedForms.set(form, folded); }
      words.push(folded);
    }
    return space + ":" + words.join(" ");
  }

  /* Every index file but index.json is named after the hash of its bytes (never stale in a
   * cache); index.json, fetched with revalidation, names them or the directory files that do. */
  function Index(base) {
    this.base = base;
    this.files = new Map();  // path -> Promise
    this.buckets = new Map();
    this.manifest = null;
  }
  Index.prototype.fetch = function (path, asJson, revalidate) {
    var key = path + (asJson ? "#json" : "");
    if (!this.files.has(key)) {
      var url = new URL(path, this.base).href;
      var options = { credentials: "same-origin" };
      if (revalidate) options.cache = "no-cache";
      this.files.set(key, fetch(url, options).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " " + url);
        return asJson ? response.json() : response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      }));
    }
    return this.files.get(key);
  };
  Index.prototype.load = function () {
    var self = this;
    if (!this.ready) this.ready = this.fetch("index.json", true, true).then(function (m) { self.manifest = m; return m; });
    return this.ready;
  };
  /* The content hash in the name of bucket `number` of key space `kind`: index.json lists
   * them for a small space (no round trip), a directory file for a large one. */
  Index.prototype.hashed = function (kind, number) {
    var m = this.manifest, listed = m.hashes[kind], group = Math.floor(number / m.group);
    if (listed) return Promise.resolve(listed.substr(8 * number, 8));
    return this.fetch("d/" + kind + group + "." + m.dirs[kind][group] + ".bin").then(function (bytes) {
      return hex(bytes, 4 * (number % m.group), 4);
    });
  };
  Index.prototype.bucket = function (space, number) {
    var self = this, id = space + number;
    if (!this.buckets.has(id)) {
      this.buckets.set(id, this.hashed(space, number).then(function (name) {
        return self.fetch("b/" + id + "." + name + ".bin");
      }).then(function (bytes) {
        var reader = new Reader(bytes), keys = new Map(), count = reader.varint();
        for (var i = 0; i < count; i++) {
          var tag = reader.varint();
          if (tag % 2 === 0) {  // inline: no key written, the posting's first forms fold to it
            var posting = bytes.subarray(reader.o, reader.o + tag / 2);
            keys.set(postingKey(space, posting), { inline: posting });
            reader.o += tag / 2;
          } else {
            var parts = (tag - 1) / 2, key = reader.string();
            var entry = { ordinal: reader.varint(), names: [] };
            for (var p = 0; p < parts; p++) { entry.names.push(hex(bytes, reader.o, 4)); reader.o += 4; }
            keys.set(key, entry);
          }
        }
        return keys;
      }));
    }
    return this.buckets.get(id);
  };
  Index.prototype.posting = function (key) {
    var self = this, space = key.charAt(0), number = crc32(key) % this.manifest.buckets[space];
    return this.bucket(space, number).then(function (keys) {
      var entry = keys.get(key);
      if (!entry) return null;
      if (entry.inline) return entry.inline;
      return Promise.all(entry.names.map(function (name, p) {
        return self.fetch("x/" + space + number + "-" + entry.ordinal + "-" + p + "." + name + ".bin");
      })).then(function (chunks) {
        var total = chunks.reduce(function (n, c) { return n + c.length; }, 0);
        var joined = new Uint8Array(total), offset = 0;
        chunks.forEach(function (c) { joined.set(c, offset); offset += c.length; });
        return joined;
      });
    });
  };
  Index.prototype.facet = function (kind, value) {
    var m = this.manifest;
    return this.fetch("f/" + kind + "-" + value + "." + m.facets[kind][value] + ".bin").then(function (bytes) {
      var members = new Matches(m.docs);
      new Reader(bytes).addDocset(members, true, 1, 0);
      return members.weight;  // 1 for a member, 0 for the others
    });
  };
  /* Only the facet sets the current filters need (the others come for the counts later). */
  Index.prototype.filterFacets = function (params) {
    var self = this, m = this.manifest, sets = [[], []];
    var catIndex = m.categories.findIndex(function (c) { return c.slug === params.category; });
    var campIndex = m.campaigns.findIndex(function (c) { return c.slug === params.campaign; });
    var loads = [];
    if (catIndex >= 0) loads.push(this.facet("cat", catIndex).then(function (f) { sets[0][catIndex] = f; }));
    if (campIndex >= 0) loads.push(this.facet("camp", campIndex).then(function (f) { sets[1][campIndex] = f; }));
    return Promise.all(loads).then(function () { return sets; });
  };
  Index.prototype.facets = function () {
    var self = this, m = this.manifest;
    if (!this.facetData) {
      var load = function (kind, list) {
        return Promise.all(list.map(function (_, i) { return self.facet(kind, i); }));
      };
      this.facetData = Promise.all([load("cat", m.categories), load("camp", m.campaigns)]);
    }
    return this.facetData;
  };
  Index.prototype.meta = function (ids) {
    var self = this, chunk = this.manifest.chunk, wanted = {};
    ids.forEach(function (id) { wanted[Math.floor(id / chunk)] = true; });
    var numbers = Object.keys(wanted);
    return Promise.all(numbers.map(function (n) {
      // A chunk is named after its group's hash, which index.json lists.
      return self.fetch("m/" + n + "." + self.manifest.meta[Math.floor(n / self.manifest.group)] + ".json", true);
    })).then(function (chunks) {
      var rows = {};
      numbers.forEach(function (n, i) { rows[n] = chunks[i]; });
      return ids.map(function (id) {
        var row = rows[Math.floor(id / chunk)][id % chunk];
        return { id: id, url: row[0], title: row[1], date: row[2], category: row[3], campaigns: row[4], lead: row[5] };
      });
    });
  };

  // --- query evaluation (plugins/site_search/engine.py) -----------------------------------
  /* The documents a query unit (or the whole query) matches, each with its best field
   * weight and whether an exact form matched: flat arrays indexed by document number, so
   * that a common word's 100,000 documents cost no Map entry or array each. On the bench's
   * 100,000 articles, "dang vien" (74,881 results) took 51-77 ms with a Map per unit and a
   * comparator sort, 18-28 ms this way (files already fetched; about 140 -> 60 ms cold). */
  function Matches(docs) {
    this.weight = new Uint8Array(docs);  // 0: not matched; at most 4 per unit, 32 units
    this.exact = new Uint8Array(docs);   // units matched in their exact form
    this.list = [];                      // the matched documents, in the order found
  }
  Matches.prototype.add = function (doc, weight, exact) {
    var weights = this.weight;
    if (!weights[doc]) { this.list.push(doc); weights[doc] = weight; this.exact[doc] = exact; return; }
    if (weight > weights[doc]) weights[doc] = weight;
    if (exact > this.exact[doc]) this.exact[doc] = exact;
  };

  function wordMatches(index, word) {
    return index.posting("s:" + fold(word)).then(function (bytes) {
      var found = new Matches(index.manifest.docs);
      if (!bytes) return found;
      var reader = new Reader(bytes), count = reader.varint();
      for (var v = 0; v < count; v++) {
        var form = reader.string(), ok = allowed(word, form), exact = form === word ? 1 : 0;
        for (var f = 0; f < 3; f++) reader.addDocset(found, ok, FIELD_WEIGHTS[f], exact);
      }
      return found;
    });
  }

  /* Two or three syllables: their pair (p:) or triple (t:) posting answers them alone;
   * null when the index has no such posting. */
  function gramMatches(index, words) {
    var space = words.length === 2 ? "p:" : "t:";
    return index.posting(space + words.map(fold).join(" ")).then(function (bytes) {
      if (!bytes) return null;
      var found = new Matches(index.manifest.docs);
      var reader = new Reader(bytes), count = reader.varint();
      for (var c = 0; c < count; c++) {
        var ok = true, exact = 1;
        for (var w = 0; w < words.length; w++) {
          var form = reader.string();
          if (!allowed(words[w], form)) ok = false;
          if (form !== words[w]) exact = 0;
        }
        for (var f = 0; f < 3; f++) reader.addDocset(found, ok, FIELD_WEIGHTS[f], exact);
      }
      return found;
    });
  }

  /* Three syllables: a triple found in fewer than a few documents has no t: posting
   * (writer.TRIPLE_SETS_MIN_DOCS), only its q: positions, which then answer it. */
  function tripleMatches(index, words) {
    return gramMatches(index, words).then(function (found) {
      return found || phraseMatches(index, words);
    });
  }

  function parsePositions(bytes, words) {
    var reader = new Reader(bytes), count = reader.varint(), ok = [], exact = [];
    for (var c = 0; c < count; c++) {
      var good = true, same = true;
      for (var w = 0; w < words.length; w++) {
        var form = reader.string();
        if (!allowed(words[w], form)) good = false;
        if (form !== words[w]) same = false;
      }
      ok.push(good);
      exact.push(same);
    }
    var docs = new Map(), ndocs = reader.varint(), doc = 0;
    for (var d = 0; d < ndocs; d++) {
      doc += reader.varint();
      var found = new Map(), n = reader.varint(), position = 0;
      for (var k = 0; k < n; k++) {
        position += reader.varint();
        var code = reader.varint();
        found.set(position, [Math.floor(code / 3), code % 3]);
      }
      docs.set(doc, found);
    }
    return { ok: ok, exact: exact, docs: docs };
  }

  /* Offsets of the triples covering a phrase of size >= 4 syllables (engine.cover). */
  function cover(size) {
    var offsets = [];
    for (var o = 0; o < size - 2; o += 3) offsets.push(o);
    if (offsets[offsets.length - 1] + 3 < size) offsets.push(size - 3);
    return offsets;
  }

  /* Three syllables or more: the positions (q:) of the covering triples; positions leave a
   * gap between paragraphs, so consecutive positions are in one paragraph. */
  function phraseMatches(index, words) {
    var offsets = cover(words.length);
    return Promise.all(offsets.map(function (o) {
      return index.posting("q:" + words.slice(o, o + 3).map(fold).join(" "));
    })).then(function (postings) {
      var found = new Matches(index.manifest.docs);
      if (postings.some(function (p) { return !p; })) return found;
      var triples = postings.map(function (bytes, i) {
        return parsePositions(bytes, words.slice(offsets[i], offsets[i] + 3));
      });
      triples[0].docs.forEach(function (starts, doc) {
        for (var t = 1; t < triples.length; t++) if (!triples[t].docs.has(doc)) return;
        starts.forEach(function (hit0, start) {
          var chainExact = true;
          for (var t = 0; t < triples.length; t++) {
            var hit = triples[t].docs.get(doc).get(start + offsets[t]);
            if (!hit || !triples[t].ok[hit[0]]) return;
            chainExact = chainExact && triples[t].exact[hit[0]];
          }
          found.add(doc, FIELD_WEIGHTS[hit0[1]], chainExact ? 1 : 0);
        });
      });
      return found;
    });
  }

  function yearRange(years, docs, fromYear, toYear) {
    var lo = 0, hi = docs, i;
    if (fromYear) {
      lo = docs;
      for (i = 0; i < years.length; i++) if (years[i][0] >= fromYear) { lo = years[i][1]; break; }
    }
    if (toYear) {
      hi = docs;
      for (i = 0; i < years.length; i++) if (years[i][0] > toYear) { hi = years[i][1]; break; }
    }
    return [lo, Math.max(lo, hi)];
  }

  /* The documents matching every unit of the query, weights and exact counts summed. */
  function matchQuery(index, units) {
    return Promise.all(units.map(function (unit) {
      if (unit.length === 1) return wordMatches(index, unit[0]);
      if (unit.length === 2) return gramMatches(index, unit).then(function (found) {
        return found || new Matches(index.manifest.docs);
      });
      if (unit.length === 3) return tripleMatches(index, unit);
      return phraseMatches(index, unit);
    })).then(function (sets) {
      sets.sort(function (a, b) { return a.list.length - b.list.length; });
      if (sets.length === 1) return sets[0];
      var scores = new Matches(index.manifest.docs), first = sets[0], n = sets.length;
      first.list.forEach(function (doc) {
        var weight = first.weight[doc], exact = first.exact[doc];
        for (var s = 1; s < n; s++) {
          var other = sets[s].weight[doc];
          if (!other) return;
          weight += other; exact += sets[s].exact[doc];
        }
        scores.add(doc, weight, exact);
      });
      return scores;
    });
  }

  /* params: {q, campaign (slug), category (slug), fromYear, toYear, sort ("date"|"")}
   * resolves to {units, ids (ordered), scores (Matches), counts {category: {slug: n}, campaign: {slug: n}}};
   * withCounts false skips the facet counts (the page computes them after showing results). */
  function runSearch(index, params, withCounts) {
    return index.load().then(function (m) {
      var units = parseQuery(params.q || "");
      if (!units.length) return { units: units, ids: [], scores: new Matches(0), counts: null };
      return matchQuery(index, units).then(function (scores) {
        var filtered = Boolean(params.campaign || params.category);
        var load = !scores.list.length ? Promise.resolve(null) : withCounts ? index.facets()
          : filtered ? index.filterFacets(params) : Promise.resolve(null);
        return load.then(function (facets) {
          var result = filterAndSort(m, scores, params, facets);
          result.units = units;
          result.scores = scores;
          if (withCounts) result.counts = facetCounts(m, scores, params, facets);
          return result;
        });
      });
    });
  }

  function inRange(m, params) {
    return yearRange(m.years, m.docs, Number(params.fromYear) || 0, Number(params.toYear) || 0);
  }

  function member(m, facets, params) {
    var catIndex = m.categories.findIndex(function (c) { return c.slug === params.category; });
    var campIndex = m.campaigns.findIndex(function (c) { return c.slug === params.campaign; });
    return {
      campaign: function (doc) { return !params.campaign || (campIndex >= 0 && facets[1][campIndex][doc] === 1); },
      category: function (doc) { return !params.category || (catIndex >= 0 && facets[0][catIndex][doc] === 1); }
    };
  }

  /* Relevance order is weight, then exact units, then newer (a higher number), all
   * descending: one number per document, (weight * 64 + exact) * DOC_SPAN + doc, sorted
   * as a Float64Array (numeric, no comparator calls); exact below 64 and documents below
   * DOC_SPAN keep the parts apart, and the largest key stays below 2^53. */
  var DOC_SPAN = 16777216;

  function filterAndSort(m, scores, params, facets) {
    var range = inRange(m, params), test = facets ? member(m, facets, params) : null;
    var list = scores.list, keys = new Float64Array(list.length), n = 0, byDate = params.sort === "date";
    for (var i = 0; i < list.length; i++) {
      var doc = list[i];
      if (doc < range[0] || doc >= range[1]) continue;
      if (test && !(test.campaign(doc) && test.category(doc))) continue;
      keys[n++] = byDate ? doc : (scores.weight[doc] * 64 + scores.exact[doc]) * DOC_SPAN + doc;
    }
    keys = keys.subarray(0, n).sort();
    var ids = new Array(n);
    for (var k = 0; k < n; k++) ids[k] = keys[n - 1 - k] % DOC_SPAN;
    return { ids: ids };
  }

  /* Per filter value, how many results it would give with the other filters kept. */
  function facetCounts(m, scores, params, facets) {
    var counts = { category: {}, campaign: {} };
    var catCounts = m.categories.map(function () { return 0; });
    var campCounts = m.campaigns.map(function () { return 0; });
    if (facets) {
      var range = inRange(m, params), test = member(m, facets, params), cats = facets[0], camps = facets[1];
      scores.list.forEach(function (doc) {
        if (doc < range[0] || doc >= range[1]) return;
        var i;
        if (test.campaign(doc)) for (i = 0; i < cats.length; i++) if (cats[i][doc]) catCounts[i]++;
        if (test.category(doc)) for (i = 0; i < camps.length; i++) if (camps[i][doc]) campCounts[i]++;
      });
    }
    m.categories.forEach(function (c, i) { counts.category[c.slug] = catCounts[i]; });
    m.campaigns.forEach(function (c, i) { counts.campaign[c.slug] = campCounts[i]; });
    return counts;
  }

  // --- the page ------------------------------------------------------------------------
  var root = document.querySelector("[data-search]");
  if (!root) return;
  var indexBase = new URL(root.getAttribute("data-index"), document.baseURI);
  var index = new Index(indexBase);
  var siteBase = new URL(root.getAttribute("data-site"), document.baseURI);
  var form = root.querySelector("form");
  var input = form.elements.q;
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var pager = root.querySelector("[data-search-pages]");
  var FIELDS = { q: "q", campaign: "chien-dich", category: "chuyen-muc", fromYear: "tu-nam",
                 toYear: "den-nam", sort: "sap-xep", page: "trang" };
  var generation = 0;

  function formatCount(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readParams(search) {
    var query = new URLSearchParams(search), params = {};
    Object.keys(FIELDS).forEach(function (name) { params[name] = query.get(FIELDS[name]) || ""; });
    params.sort = params.sort === "ngay" ? "date" : "";
    params.page = Math.max(1, parseInt(params.page, 10) || 1);
    return params;
  }

  function toSearch(params) {
    var query = new URLSearchParams();
    Object.keys(FIELDS).forEach(function (name) {
      var value = params[name];
      if (name === "sort") value = value === "date" ? "ngay" : "";
      if (name === "page") value = value > 1 ? String(value) : "";
      if (value) query.set(FIELDS[name], value);
    });
    var text = query.toString();
    return text ? "?" + text : location.pathname;
  }

  function fillOptions(select, items, counts, selected, labelAll) {
    while (select.options.length > 1) select.remove(1);
    select.options[0].textContent = labelAll;
    items.forEach(function (item) {
      var label = item.name + (counts ? " (" + formatCount(counts[item.slug] || 0) + ")" : "");
      var option = new Option(label, item.slug);
      select.add(option);
    });
    select.value = selected;
    if (select.value !== selected) select.value = "";
  }

  function fillYears(select, years, selected) {
    while (select.options.length > 1) select.remove(1);
    years.forEach(function (pair) { select.add(new Option(String(pair[0]), String(pair[0]))); });
    select.value = selected;
    if (select.value !== selected) select.value = "";
  }

  function highlighter(units) {
    var words = [];
    units.forEach(function (unit) { unit.forEach(function (w) { words.push(w); }); });
    return function (text, parent) {
      var last = 0, match;
      WORD_RUN.lastIndex = 0;
      while ((match = WORD_RUN.exec(text))) {
        var hit = syllables(match[0]).some(function (s) {
          return words.some(function (w) { return hasDiacritics(w) ? s === w : fold(s) === w; });
        });
        if (!hit) continue;
        if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
        parent.appendChild(el("mark", "", match[0]));
        last = match.index + match[0].length;
      }
      if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    };
  }

  function renderResult(doc, m, mark) {
    var item = el("li", "search-result");
    item.setAttribute("data-doc", String(doc.id));
    var heading = el("h2", "search-result-title"), link = el("a");
    link.href = new URL(doc.url, siteBase).href;
    mark(doc.title, link);
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = el("p", "search-result-meta");
    var time = el("time", "", doc.date);
    var parts = doc.date.split("/");
    if (parts.length === 3) time.setAttribute("datetime", parts[2] + "-" + parts[1] + "-" + parts[0]);
    meta.appendChild(time);
    if (doc.category >= 0 && m.categories[doc.category]) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("span", "search-result-category", m.categories[doc.category].name));
    }
    item.appendChild(meta);
    if (doc.campaigns.length) {
      var badges = el("ul", "search-result-campaigns");
      badges.setAttribute("aria-label", "Chiến dịch");
      doc.campaigns.forEach(function (c) { if (m.campaigns[c]) badges.appendChild(el("li", "campaign-badge", m.campaigns[c].name)); });
      item.appendChild(badges);
    }
    if (doc.lead) {
      var excerpt = el("p", "search-result-excerpt");
      mark(doc.lead, excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function pageLink(params, number, label, current) {
    var copy = Object.assign({}, params, { page: number });
    var link = el("a", current ? "current" : "", label);
    link.href = toSearch(copy);
    if (current) link.setAttribute("aria-current", "page");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigate(copy, true);
      list.focus();
    });
    return link;
  }

  function renderPager(params, total) {
    pager.textContent = "";
    var pages = Math.ceil(total / PAGE_SIZE);
    if (pages < 2) return;
    var ul = el("ul");
    var add = function (node) { var li = el("li"); li.appendChild(node); ul.appendChild(li); };
    if (params.page > 1) add(pageLink(params, params.page - 1, "« Trang trước", false));
    var from = Math.max(1, params.page - 3), to = Math.min(pages, params.page + 3);
    for (var n = from; n <= to; n++) add(pageLink(params, n, String(n), n === params.page));
    if (params.page < pages) add(pageLink(params, params.page + 1, "Trang sau »", false));
    pager.appendChild(ul);
  }

  function setStatus(text) { status.textContent = text; }

  function show(params, retried) {
    var mine = ++generation, started = performance.now();
    root.setAttribute("data-search-state", "loading");
    input.value = params.q;
    form.elements["sap-xep"].value = params.sort === "date" ? "ngay" : "";
    return index.load().then(function (m) {
      fillYears(form.elements["tu-nam"], m.years, params.fromYear);
      fillYears(form.elements["den-nam"], m.years, params.toYear);
      if (!params.q.trim()) {
        fillOptions(form.elements["chien-dich"], m.campaigns, null, params.campaign, "Tất cả chiến dịch");
        fillOptions(form.elements["chuyen-muc"], m.categories, null, params.category, "Tất cả chuyên mục");
        list.textContent = ""; pager.textContent = "";
        setStatus("Nhập từ khóa để tìm trong " + formatCount(m.docs) + " tin bài.");
        root.setAttribute("data-search-state", "done");
        return;
      }
      return runSearch(index, params, false).then(function (result) {
        if (mine !== generation) return;
        var total = result.ids.length;
        var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
        var pageNo = Math.min(params.page, pages);
        var shown = result.ids.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
        return index.meta(shown).then(function (docs) {
          if (mine !== generation) return;
          list.textContent = "";
          var mark = highlighter(result.units);
          docs.forEach(function (doc) { list.appendChild(renderResult(doc, m, mark)); });
          renderPager(Object.assign({}, params, { page: pageNo }), total);
          var text;
          if (!result.units.length) text = "Từ khóa không có chữ hoặc số nào để tìm. Hãy nhập một từ, ví dụ: bình đẳng giới.";
          else if (!total) text = "Không tìm thấy kết quả nào cho “" + params.q + "”.";
          else text = formatCount(total) + " kết quả cho “" + params.q + "”" +
            (pages > 1 ? " — trang " + pageNo + "/" + pages : "") + ".";
          if (result.units.truncated) text += " Chỉ " + MAX_QUERY_SYLLABLES + " âm tiết đầu của từ khóa được dùng.";
          setStatus(text);
          root.setAttribute("data-total", String(total));
          api.firstResultsAt = performance.now();
          api.lastTiming = api.firstResultsAt - started;
          document.title = "Tìm kiếm: " + params.q;
          // Counts per filter value come after the first results are on screen.
          var load = result.scores.list.length ? index.facets() : Promise.resolve(null);
          return load.then(function (facets) {
            if (mine !== generation) return;
            var counts = facetCounts(m, result.scores, params, facets);
            fillOptions(form.elements["chien-dich"], m.campaigns, counts.campaign, params.campaign, "Tất cả chiến dịch");
            fillOptions(form.elements["chuyen-muc"], m.categories, counts.category, params.category, "Tất cả chuyên mục");
            root.setAttribute("data-search-state", "done");
          });
        });
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      if (!retried) {
        // The site was rebuilt while this page was open: its index.json names files that
        // are gone. Read the new index.json once and search again.
        index = new Index(indexBase);
        return show(params, true);
      }
      setStatus("Không tải được dữ liệu tìm kiếm. Hãy thử lại sau.");
      root.setAttribute("data-search-state", "error");
      if (window.console) console.error(error);
    });
  }

  function navigate(params, push) {
    var target = toSearch(params);
    if (push && target !== location.search && !(target === location.pathname && !location.search)) {
      history.pushState(null, "", target);
    }
    return show(params);
  }

  function fromForm() {
    return {
      q: input.value, campaign: form.elements["chien-dich"].value, category: form.elements["chuyen-muc"].value,
      fromYear: form.elements["tu-nam"].value, toYear: form.elements["den-nam"].value,
      sort: form.elements["sap-xep"].value === "ngay" ? "date" : "", page: 1
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate(fromForm(), true);
  });
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
    select.addEventListener("change", function () { navigate(fromForm(), true); });
  });
  window.addEventListener("popstate", function () { show(readParams(location.search)); });
  list.setAttribute("tabindex", "-1");

  // A small public API (scripts, tests, the benchmark): the same search the page runs.
  var api = {
    search: function (params) {
      return runSearch(index, params, true).then(function (result) {
        return { ids: result.ids, counts: result.counts, total: result.ids.length };
      });
    },
    urls: function (ids) { return index.load().then(function () { return index.meta(ids); })
      .then(function (docs) { return docs.map(function (d) { return d.url; }); }); },
    lastTiming: null,
    firstResultsAt: null
  };
  window.siteSearch = api;
  show(readParams(location.search));
})();
