/* IKPE-Archiv, Pressespiegel: items dragged within and between sections, and the preview
   frame as tall as its document. Everything works without this file: the buttons "Hoch",
   "Runter" and the section select do the same as a drag, with a form each.

   A drop moves the item on the page at once and POSTs the new order (a section's whole
   order, or the item's new section and position) with the page's CSRF token; then the
   sections are read again from the server, whose page is the truth (positions, buttons,
   selects). If the server refuses, the page shows why and is read again. */
(function () {
  "use strict";

  var container = null;
  var statusLine = null;
  var dragged = null;
  var originSection = null;
  var originNext = null;

  function say(text) {
    if (statusLine) { statusLine.textContent = text; }
  }

  function csrfToken() {
    var field = document.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    body.append("csrf_token", csrfToken());
    fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok || !data.ok) {
          throw new Error(data.message || "Die neue Reihenfolge wurde nicht gespeichert.");
        }
        return data;
      });
    });
  }

  function refresh() {
    return fetch(window.location.pathname, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("Die Seite ließ sich nicht neu laden."); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("rubriken");
      if (!fresh) { return; }
      var nodes = Array.prototype.map.call(fresh.childNodes, function (node) {
        return document.importNode(node, true);
      });
      container.replaceChildren.apply(container, nodes);
      addHandles();
    });
  }

  function addHandles() {
    var items = container.querySelectorAll(".pr-item");
    Array.prototype.forEach.call(items, function (item) {
      var head = item.querySelector(".pr-item-head");
      if (!head || head.querySelector(".pr-handle")) { return; }
      var handle = document.createElement("span");
      handle.className = "pr-handle";
      handle.draggable = true;
      handle.title = "Ziehen, um den Eintrag zu verschieben";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "\u2630";
      head.insertBefore(handle, head.firstChild);
    });
  }

  function clearMarks() {
    var marked = container.querySelectorAll(".drop-before, .drop-after, .drop-into");
    Array.prototype.forEach.call(marked, function (element) {
      element.classList.remove("drop-before", "drop-after", "drop-into");
    });
  }

  // Where a drop at this point puts the item: before or after another item, or at the end
  // of a section's list (an empty section has only its placeholder).
  function placement(event) {
    var list = event.target.closest ? event.target.closest(".pr-items") : null;
    if (!list || !container.contains(list)) { return null; }
    var target = event.target.closest(".pr-item");
    if (target && target !== dragged) {
      var box = target.getBoundingClientRect();
      return { list: list, target: target, before: event.clientY < box.top + box.height / 2 };
    }
    if (target === dragged) { return { list: list, target: null, same: true }; }
    return { list: list, target: null, before: false };
  }

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.classList.contains("pr-item");
    });
  }

  function save(item) {
    var list = item.parentNode;
    var section = list.getAttribute("data-section-id");
    var ids = itemsOf(list).map(function (element) { return element.getAttribute("data-item-id"); });
    var request;
    if (section === originSection) {
      request = post(container.getAttribute("data-reorder-url"),
        [["section", section]].concat(ids.map(function (id) { return ["item", id]; })));
    } else {
      request = post(item.getAttribute("data-move-url"),
        [["section", section], ["position", String(ids.indexOf(item.getAttribute("data-item-id")))]]);
    }
    say("Wird gespeichert …");
    request.then(refresh).then(function () {
      say("Reihenfolge gespeichert.");
    }).catch(function (error) {
      say(error.message);
      refresh().catch(function () { window.location.reload(); });
    });
  }

  function onDragStart(event) {
    var handle = event.target.closest ? event.target.closest(".pr-handle") : null;
    if (!handle) { return; }
    dragged = handle.closest(".pr-item");
    originSection = dragged.parentNode.getAttribute("data-section-id");
    originNext = dragged.nextElementSibling;
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.getAttribute("data-item-id"));
    if (event.dataTransfer.setDragImage) { event.dataTransfer.setDragImage(dragged, 16, 16); }
  }

  function onDragOver(event) {
    if (!dragged) { return; }
    var place = placement(event);
    if (!place) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    if (place.target) {
      place.target.classList.add(place.before ? "drop-before" : "drop-after");
    } else if (!place.same) {
      place.list.classList.add("drop-into");
    }
  }

  function onDrop(event) {
    if (!dragged) { return; }
    var place = placement(event);
    clearMarks();
    if (!place || place.same) { return; }
    event.preventDefault();
    var item = dragged;
    if (place.target) {
      place.list.insertBefore(item, place.before ? place.target : place.target.nextSibling);
    } else {
      place.list.appendChild(item);
    }
    var empty = place.list.querySelector(".pr-empty");
    if (empty) { empty.remove(); }
    var moved = item.parentNode.getAttribute("data-section-id") !== originSection ||
      item.nextElementSibling !== originNext;
    if (moved) { save(item); }
  }

  function onDragEnd() {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    clearMarks();
    dragged = null;
  }

  function sizePreview(frame) {
    function fit() {
      try {
        var body = frame.contentDocument.body;
        var height = Math.ceil(body.getBoundingClientRect().bottom);
        if (height > 0) { frame.style.height = (height + 16) + "px"; }
      } catch (error) {
        // A frame that is not readable keeps its own scroll bar.
      }
    }
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    fit();
  }

  // "Hoch" and "Runter" reload the page at the item: the button pressed gets the focus
  // back, so a keyboard can press it again (its twin when it is now disabled).
  var FOCUS_KEY = "pr-focus";

  function rememberStep(event) {
    var button = event.submitter;
    if (!button) { return; }
    var step = button.classList.contains("pr-up") ? "pr-up" :
      button.classList.contains("pr-down") ? "pr-down" : null;
    try {
      if (step) { window.sessionStorage.setItem(FOCUS_KEY, step); }
    } catch (error) {
      // Storage may be off: the page works as without the script.
    }
  }

  function restoreStep() {
    var step = null;
    try {
      step = window.sessionStorage.getItem(FOCUS_KEY);
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) {
      return;
    }
    if (!step || window.location.hash.indexOf("#eintrag-") !== 0) { return; }
    var item = document.getElementById(window.location.hash.slice(1));
    if (!item) { return; }
    var button = item.querySelector("button." + step);
    if (!button || button.disabled) {
      button = item.querySelector("button." + (step === "pr-up" ? "pr-down" : "pr-up"));
    }
    if (button && !button.disabled) { button.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("submit", rememberStep);
    // After the load: the browser's move to the item's anchor would take the focus again.
    window.addEventListener("load", restoreStep);
    var frame = document.querySelector("iframe.pr-preview-frame");
    if (frame) { sizePreview(frame); }
    container = document.getElementById("rubriken");
    statusLine = document.getElementById("pr-status");
    if (!container || !window.fetch || !("draggable" in document.createElement("span"))) {
      return;
    }
    addHandles();
    container.addEventListener("dragstart", onDragStart);
    container.addEventListener("dragover", onDragOver);
    container.addEventListener("drop", onDrop);
    container.addEventListener("dragend", onDragEnd);
  });
})();
