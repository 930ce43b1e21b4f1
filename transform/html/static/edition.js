// tei-edition: one click on a paragraph number copies the link to that paragraph (and the
// browser follows it, so the address bar shows it too); the "Copy" button copies the citation;
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

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var number = target.closest("a.pnum");
    if (number) {
      copy(location.href.split("#")[0] + number.getAttribute("href"),
           body.getAttribute("data-link-copied"));
      return;
    }
    var button = target.closest("button[data-copy]");
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (source) { copy(source.textContent.trim(), body.getAttribute("data-copied")); }
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
