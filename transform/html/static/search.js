// tei-edition: the search page (search.html). The edition's index is a set of Pagefind bundles,
// one per year and language (listed in #search-data). Each language gets its own copy of
// Pagefind (its own module, so its own WebAssembly with that language's stemmer, whatever the
// language of this page) and merges that language's bundles (mergeIndex), and more over the
// language's deltas after an incremental rebuild, one for each size of delta (see deltasOf);
// the results of all are merged here, by score, or by date: then year by year (each year with
// the year filter, so each Pagefind gives its own results in date order) and, within a year,
// by the results' dates.
// Each result shows the paragraphs where the words are, found from the page's anchors (the ids
// Pagefind records with their place in the text), with the speaker of their turn. Nothing is
// written as HTML: every text goes in with textContent. Opened from disk, the page says how to
// serve the edition instead (browsers refuse the index and WebAssembly over file://).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("search-data").textContent);
  var words = data.words;
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var facetsBox = document.getElementById("search-filters");
  var query = form.elements.namedItem("q");
  var order = form.elements.namedItem("sort");
  var PAGE = 10, HITS = 3, SHOWN_VALUES = 12, EXCERPT = 30;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // -- the state, kept in the address (?q=...&sort=...&speaker=...) --------------------------

  var params = new URLSearchParams(location.search);
  var chosen = {};
  var expanded = {};
  query.value = params.get("q") || "";
  order.value = params.get("sort") || "";
  data.facets.forEach(function (facet) { chosen[facet[0]] = params.getAll(facet[0]); });
  var refine = document.getElementById("search-refine");
  refine.open = window.matchMedia("(min-width: 40rem)").matches
    || data.facets.some(function (facet) { return chosen[facet[0]].length > 0; });

  function remember(q) {
    var next = new URLSearchParams();
    if (q) { next.set("q", q); }
    if (order.value) { next.set("sort", order.value); }
    data.facets.forEach(function (facet) {
      chosen[facet[0]].forEach(function (value) { next.append(facet[0], value); });
    });
    var text = next.toString();
    history.replaceState(null, "", text ? "?" + text : location.pathname);
  }

  if (location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }

  // -- the bundles --------------------------------------------------------------------------

  var root = new URL(".", location.href);
  var loading = null;
  var totals = null;

  // One Pagefind over the bundles in ``paths`` (the first one's module, its own WebAssembly).
  function openPagefind(lang, paths, years) {
    var script = new URL(paths[0] + "pagefind.js?lang=" + encodeURIComponent(lang), root);
    return import(script.href).then(function (pagefind) {
      var instance = pagefind.createInstance({
        basePath: new URL(paths[0], root).pathname, excerptLength: EXCERPT });
      return instance.init().then(function () {
        return Promise.all(paths.slice(1).map(function (path) {
          return instance.mergeIndex(new URL(path, root).pathname, {});
        }));
      }).then(function () { return { lang: lang, pagefind: instance, years: years }; });
    });
  }

  // After a rebuild that changed some pages, the entry file of a language's first bundle lists
  // the deltas (bundles of the changed pages), by size, and the year filter's values: the
  // language then gets a Pagefind over its first deltas, one over its second ones…, and all are
  // searched with the year filter, which leaves out the bundles' superseded pages
  // (tei/corpus/delta.py). A year has one delta of each size, so that each Pagefind gives a
  // year's results in date order, as it gives them from one bundle a year.
  function deltasOf(path) {
    var entry = new URL(path + "pagefind-entry.json?ts=" + Date.now(), root);
    return fetch(entry.href).then(function (response) { return response.json(); })
      .then(function (json) { return json["tei-edition"] || null; });
  }

  function instances() {
    if (loading === null) {
      var languages = [];
      data.shards.forEach(function (shard) {
        var found = languages.filter(function (l) { return l.lang === shard.lang; })[0];
        if (found) { found.shards.push(shard); } else { languages.push({ lang: shard.lang, shards: [shard] }); }
      });
      loading = Promise.all(languages.map(function (language) {
        var paths = language.shards.map(function (shard) { return shard.path; });
        return Promise.all([openPagefind(language.lang, paths, null), deltasOf(paths[0])])
          .then(function (both) {
            var base = both[0], deltas = both[1];
            if (!deltas) { return [base]; }
            base.years = deltas.years;
            return Promise.all(deltas.deltas.map(function (paths) {
              return openPagefind(language.lang, paths, deltas.years);
            })).then(function (opened) { return [base].concat(opened); });
          });
      })).then(function (all) { return [].concat.apply([], all); });
    }
    return loading;
  }

  // The filters of a search in one Pagefind: with the year filter where it has deltas.
  function live(x, filters) {
    if (!x.years || filters.year) { return filters; }
    return Object.assign({}, filters, { year: { any: x.years } });
  }

  function addCounts(all) {
    var merged = {};
    all.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (key) {
        merged[key] = merged[key] || {};
        Object.keys(counts[key]).forEach(function (value) {
          merged[key][value] = (merged[key][value] || 0) + counts[key][value];
        });
      });
    });
    return merged;
  }

  function allValues() {
    if (totals !== null) { return Promise.resolve(totals); }
    return instances().then(function (all) {
      return Promise.all(all.map(function (x) { return x.pagefind.filters(); }));
    }).then(function (counts) { totals = addCounts(counts); return totals; });
  }

  function pagefindFilters() {
    var filters = {};
    Object.keys(chosen).forEach(function (key) {
      if (chosen[key].length) { filters[key] = { any: chosen[key].slice() }; }
    });
    return filters;
  }

  // -- the filters: one fieldset of checkboxes per facet, each value with its count -----------

  function drawFacets(counts) {
    var active = document.activeElement;
    var focused = active && active.name && facetsBox.contains(active)
      ? active.name + "\u0000" + active.value : null;
    facetsBox.textContent = "";
    data.facets.forEach(function (facet) {
      var key = facet[0];
      var own = counts[key] || {};
      var values = Object.keys(totals[key] || {}).filter(function (value) {
        return own[value] > 0 || chosen[key].indexOf(value) >= 0;
      });
      if (!values.length) { return; }
      values.sort(key === "year"
        ? function (a, b) { return b.localeCompare(a); }
        : function (a, b) { return ((own[b] || 0) - (own[a] || 0)) || a.localeCompare(b); });
      var fieldset = el("fieldset", "search-facet");
      fieldset.appendChild(el("legend", null, facet[1]));
      var limit = expanded[key] ? values.length : SHOWN_VALUES;
      values.slice(0, limit).forEach(function (value) {
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = chosen[key].indexOf(value) >= 0;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        label.appendChild(el("span", "search-count", "(" + (own[value] || 0) + ")"));
        fieldset.appendChild(label);
        if (focused === key + "\u0000" + value) { setTimeout(function () { box.focus(); }); }
      });
      if (values.length > limit) {
        var all = el("button", "search-all-values", say(words.all_values, { n: values.length }));
        all.type = "button";
        all.addEventListener("click", function () { expanded[key] = true; drawFacets(counts); });
        fieldset.appendChild(all);
      }
      facetsBox.appendChild(fieldset);
    });
  }

  facetsBox.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") { return; }
    var values = chosen[box.name].filter(function (value) { return value !== box.value; });
    if (box.checked) { values.push(box.value); }
    chosen[box.name] = values;
    search();
  });

  // -- merging the bundles' results ---------------------------------------------------------

  function load(item) {
    if (!item.fragment) { item.fragment = item.result.data(); }
    return item.fragment;
  }

  function byScore(searched) {
    var items = [];
    searched.forEach(function (s) {
      s.found.results.forEach(function (result) { items.push({ result: result, lang: s.x.lang }); });
    });
    items.sort(function (a, b) { return b.result.score - a.result.score; });
    var at = 0;
    return function (count) {
      var part = items.slice(at, at + count);
      at += part.length;
      return Promise.resolve({ items: part, done: at >= items.length });
    };
  }

  function byDate(q, filters, ascending) {
    var sort = { date: ascending ? "asc" : "desc" };
    var years = null;
    var year = -1;
    var lists = [];

    function yearsInOrder(counts) {
      var found = chosen.year.length ? chosen.year.slice() : Object.keys(counts.year || {});
      var dated = found.filter(function (y) { return /^\d+$/.test(y); }).sort();
      if (!ascending) { dated.reverse(); }
      return dated.concat(found.filter(function (y) { return !/^\d+$/.test(y); }));
    }

    function when(fragment) { return (fragment.meta && fragment.meta.when) || ""; }

    function nextYear() {
      year += 1;
      var only = Object.assign({}, filters, { year: years[year] });
      return instances().then(function (all) {
        return Promise.all(all.map(function (x) {
          return x.pagefind.search(q || null, { filters: live(x, only), sort: sort }).then(function (found) {
            return { at: 0, items: found.results.map(function (result) {
              return { result: result, lang: x.lang };
            }) };
          });
        }));
      }).then(function (found) { lists = found; });
    }

    async function next(count) {
      var out = [];
      if (years === null) { years = yearsInOrder(await allValues()); }
      while (out.length < count) {
        var open = lists.filter(function (l) { return l.at < l.items.length; });
        if (!open.length) {
          if (year + 1 >= years.length) { break; }
          await nextYear();
          continue;
        }
        var heads = await Promise.all(open.map(function (l) { return load(l.items[l.at]); }));
        var best = 0;
        for (var k = 1; k < heads.length; k += 1) {
          var a = when(heads[k]), b = when(heads[best]);
          if (ascending ? a < b : a > b) { best = k; }
        }
        out.push(open[best].items[open[best].at]);
        open[best].at += 1;
      }
      var done = year + 1 >= years.length && lists.every(function (l) { return l.at >= l.items.length; });
      return { items: out, done: done };
    }
    return next;
  }

  // -- one result: the document, then the paragraphs where the words are ---------------------

  function contentWords(fragment) {
    if (!fragment.words) { fragment.words = fragment.content.split(/[\r\n\s]+/g); }
    return fragment.words;
  }

  function lastAnchorAt(anchors, location) {
    var found = -1;
    for (var i = 0; i < anchors.length && anchors[i].location <= location; i += 1) { found = i; }
    return found;
  }

  function speakerOf(anchors, index, text) {
    for (var i = index; i >= 0; i -= 1) {
      if (anchors[i].element === "section") { return ""; }
      if (anchors[i].element === "div") {
        var end = i + 1 < anchors.length ? anchors[i + 1].location : text.length;
        return text.slice(anchors[i].location, end).join(" ").replace(/[.:]+$/, "");
      }
    }
    return "";
  }

  function placeHits(fragment) {
    var anchors = (fragment.anchors || []).slice().sort(function (a, b) {
      return a.location - b.location;
    });
    var text = contentWords(fragment);
    var places = {};
    var found = [];
    (fragment.weighted_locations || []).forEach(function (hit) {
      var index = lastAnchorAt(anchors, hit.location);
      var key = String(index);
      if (!places[key]) {
        var anchor = index >= 0 ? anchors[index] : null;
        places[key] = {
          anchor: anchor, score: 0, hits: [],
          start: anchor ? anchor.location : 0,
          end: index + 1 < anchors.length ? anchors[index + 1].location : text.length,
          speaker: anchor ? speakerOf(anchors, index, text) : ""
        };
        found.push(places[key]);
      }
      places[key].score += hit.balanced_score || 1;
      places[key].hits.push(hit.location);
    });
    var best = found.slice().sort(function (a, b) { return b.score - a.score; }).slice(0, HITS);
    best.sort(function (a, b) { return a.start - b.start; });
    return { shown: best, more: found.length - best.length };
  }

  function excerpt(place, text) {
    var first = Math.min.apply(null, place.hits);
    var start = Math.max(place.start, first - 5);
    var end = Math.min(place.end, start + EXCERPT);
    start = Math.max(place.start, end - EXCERPT);
    var span = el("span", "search-excerpt");
    if (start > place.start) { span.appendChild(document.createTextNode("… ")); }
    for (var i = start; i < end; i += 1) {
      if (place.hits.indexOf(i) >= 0) {
        var parts = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(text[i]);
        span.appendChild(document.createTextNode(parts[1]));
        span.appendChild(el("mark", null, parts[2]));
        span.appendChild(document.createTextNode(parts[3]));
      } else {
        span.appendChild(document.createTextNode(text[i]));
      }
      if (i + 1 < end) { span.appendChild(document.createTextNode(" ")); }
    }
    if (end < place.end) { span.appendChild(document.createTextNode(" …")); }
    return span;
  }

  function where(place) {
    var anchor = place.anchor;
    if (!anchor) { return ""; }
    var number = /^(?:p|sp)(\d[\d.]*)$/.exec(anchor.id);
    var kind = anchor.element === "div" ? words.turn : anchor.element === "p" ? words.paragraph : "";
    return number && kind ? kind + " " + number[1] : "";
  }

  function show(fragment, lang) {
    var page = (fragment.raw_url || fragment.url).replace(/^\//, "");
    var item = el("li", "search-result");
    item.lang = lang;
    var heading = el("h2", "search-result-title");
    var title = el("a", null, (fragment.meta && fragment.meta.title) || page);
    title.href = page;
    heading.appendChild(title);
    item.appendChild(heading);
    var facts = [fragment.meta.date, fragment.meta.place].filter(Boolean).join(" · ");
    if (facts) { item.appendChild(el("p", "search-result-facts", facts)); }
    var placed = placeHits(fragment);
    var text = contentWords(fragment);
    var hits = el("ul", "search-hits");
    placed.shown.forEach(function (place) {
      var hit = el("li", "search-hit");
      var link = el("a", "search-hit-link");
      link.href = place.anchor ? page + "#" + place.anchor.id : page;
      var label = [where(place), place.speaker].filter(Boolean).join(" · ");
      link.textContent = label || words.title;
      hit.appendChild(link);
      hit.appendChild(document.createTextNode(" "));
      hit.appendChild(excerpt(place, text));
      hits.appendChild(hit);
    });
    if (placed.more > 0) {
      hits.appendChild(el("li", "search-hit-more", say(words.more_hits, { n: placed.more })));
    }
    item.appendChild(hits);
    return item;
  }

  // -- searching ----------------------------------------------------------------------------

  var run = 0;
  var cursor = null;

  function busy(yes) { list.setAttribute("aria-busy", yes ? "true" : "false"); }

  function showMore(mine) {
    more.hidden = true;
    busy(true);
    return cursor(PAGE).then(function (page) {
      var loads = page.items.map(load);  // fetched at once, shown in order as they come
      return loads.reduce(function (shown, loaded, i) {
        return shown.then(function () { return loaded; }).then(function (fragment) {
          if (mine === run) { list.appendChild(show(fragment, page.items[i].lang)); }
        });
      }, Promise.resolve()).then(function () {
        if (mine !== run) { return; }
        more.hidden = page.done;
        busy(false);
      });
    });
  }

  function searchAll(q, filters) {
    return instances().then(function (all) {
      return Promise.all(all.map(function (x) {
        return x.pagefind.search(q || null, { filters: live(x, filters) }).then(function (found) {
          return { x: x, found: found };
        });
      }));
    });
  }

  function search() {
    var mine = ++run;
    var q = query.value.trim();
    var filters = pagefindFilters();
    remember(q);
    list.textContent = "";
    more.hidden = true;
    busy(true);
    if (!q && !Object.keys(filters).length) {
      status.textContent = words.empty;
      busy(false);
      allValues().then(function (counts) { if (mine === run) { drawFacets(counts); } });
      return Promise.resolve();
    }
    status.textContent = words.loading;
    function facets() {
      // the filters are loaded once the first results are shown (they are not needed to find
      // them), and the search is run again then: only with them loaded does Pagefind count them
      return allValues().then(function () { return searchAll(q, filters); }).then(function (again) {
        if (mine === run) { drawFacets(addCounts(again.map(function (s) { return s.found.filters; }))); }
      });
    }
    return searchAll(q, filters).then(function (searched) {
      if (mine !== run) { return; }
      var total = searched.reduce(function (n, s) { return n + s.found.results.length; }, 0);
      if (!total) {
        status.textContent = q ? say(words.nothing, { q: q }) : say(words.found, { n: 0 });
        busy(false);
        return facets();
      }
      status.textContent = say(words.found, { n: total });
      cursor = order.value ? byDate(q, filters, order.value === "date-asc") : byScore(searched);
      return showMore(mine).then(facets);
    }).catch(function (error) {
      if (mine === run) {
        status.textContent = say(words.failed, { error: String(error) });
        busy(false);
      }
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  order.addEventListener("change", search);
  more.addEventListener("click", function () { showMore(run); });
  query.addEventListener("focus", instances, { once: true });
  search();
}());
