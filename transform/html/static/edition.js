// tei-edition: one click on a paragraph number copies the link to that paragraph (and the
// browser follows it, so the address bar shows it too); the "Copy" button copies the citation
// with the day it is copied as the access date. Links are to the page's published address
// (<link rel="canonical">, from --base-url) where it is known, else to where it was opened.
// "/" focuses the search box, which, on a page opened from disk, says how to serve the edition
// (browsers refuse the search index over file://). No framework, nothing fetched: the page
// works offline from the file system.
(function () {
  "use strict";
  var body = document.body;
  var status = document.getElementById(body.getAttribute("data-status"));
  var timer = null;

  function say(message) {
    if (!status) { return; }
    status.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 2500);
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    body.removeChild(area);
    return done;
  }

  function copy(text, message) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(message); },
        function () { if (fallbackCopy(text)) { say(message); } });
    } else if (fallbackCopy(text)) {
      say(message);
    }
  }

  function pageAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    return canonical ? canonical.href.split("#")[0] : location.href.split("#")[0];
  }

  function today(locale) {
    var now = new Date();
    try {
      return now.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
    } catch (error) {
      return now.toISOString().slice(0, 10);
    }
  }

  function citationText(source, button) {
    // The access date goes after the address, for the copy only: the page does not change.
    var slot = source.querySelector(".accessed");
    var words = button.getAttribute("data-accessed");
    if (!slot || !words) { return source.textContent.trim(); }
    slot.textContent = " (" + words.replace("{date}", today(button.getAttribute("data-locale"))) + ")";
    var text = source.textContent.trim();
    slot.textContent = "";
    return text;
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var number = target.closest("a.pnum");
    if (number) {
      copy(pageAddress() + number.getAttribute("href"), body.getAttribute("data-link-copied"));
      return;
    }
    var button = target.closest("button[data-copy]");
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (source) { copy(citationText(source, button), body.getAttribute("data-copied")); }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target instanceof Element ? event.target : null;
    if (target && (target.closest("input, textarea, select, [contenteditable]"))) { return; }
    var box = document.querySelector("input[type=search]");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  });

  var searchBox = document.querySelector("form.search-box");
  if (searchBox && location.protocol === "file:") {
    var offline = searchBox.querySelector(".search-offline");
    var showOffline = function () { if (offline) { offline.hidden = false; } };
    searchBox.addEventListener("focusin", showOffline);
    searchBox.addEventListener("submit", function (event) {
      event.preventDefault();
      showOffline();
    });
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i += 1) { buttons[i].hidden = false; }
}());
