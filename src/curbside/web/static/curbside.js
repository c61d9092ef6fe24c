/* curbside — progressive enhancement only. Without JavaScript every form posts normally.
   With it: asking shows generation progress from server-sent events, then opens the article;
   citation links open the referenced passage; the audience switch says it is working. */
(function () {
  "use strict";

  var LABELS = {
    received: "Question received",
    duplicates: "Looking for an existing article",
    safety: "Checking for urgent warning signs",
    checking: "Checking every statement against its sources",
    answering: "Searching the evidence and writing the answer",
    variant: "Writing this audience's version",
    analyzing: "Understanding the question",
    analysis: "Understanding the question",
    retrieving: "Searching the evidence",
    retrieval: "Searching the evidence",
    retrieved: "Evidence found",
    searching_pubmed: "Searching PubMed for recent evidence",
    composing: "Writing the article",
    compose: "Writing the article",
    verifying: "Checking every statement against its sources",
    saving: "Saving",
    saved: "Saved",
    duplicate: "Found an existing article on this question",
    done: "Done"
  };

  function describe(data) {
    if (data.message) { return String(data.message); }
    var stage = data.stage || data.step || data.event || "";
    var text = LABELS[stage] || String(stage || "Working");
    if (typeof data.count === "number") { text += " (" + data.count + ")"; }
    return text;
  }

  function show(box, text, isError) {
    box.hidden = false;
    var list = box.querySelector("ol");
    if (!list) {
      list = document.createElement("ol");
      box.appendChild(list);
    }
    var last = list.lastElementChild;
    if (last && last.textContent === text) { return; }
    var item = document.createElement("li");
    item.textContent = text;
    if (isError) { item.className = "error"; }
    list.appendChild(item);
  }

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var name = "message";
      var data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) { name = line.slice(6).trim(); }
        else if (line.indexOf("data:") === 0) { data += line.slice(5).trim(); }
      });
      try { onEvent(name, data ? JSON.parse(data) : {}); } catch (e) { /* ignore a malformed event */ }
    });
    return rest;
  }

  function streamAsk(form, event) {
    if (!window.fetch || !window.TextDecoder || !window.ReadableStream) { return; }
    var box = form.querySelector(".progress");
    if (!box) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    box.innerHTML = "";
    show(box, "Sending your question");
    var finished = false;

    function fail(message) {
      show(box, message, true);
      if (button) { button.disabled = false; }
    }

    fetch(form.getAttribute("data-stream"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "text/event-stream" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) {
          fail((body && body.error && body.error.message) || ("Request failed (" + response.status + ")"));
        }, function () { fail("Request failed (" + response.status + ")"); });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            if (!finished) { fail("The connection closed before the article was ready. Try again."); }
            return;
          }
          buffer = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }), function (name, data) {
            if (name === "done") {
              finished = true;
              show(box, "Opening the article");
              window.location.assign(data.url);
            } else if (name === "token") {
              return;  // raw model output: progress is shown by stage
            } else if (name === "error") {
              finished = true;
              fail((data.error && data.error.message) || "Something went wrong.");
            } else {
              show(box, describe(data));
            }
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (!finished) { form.submit(); }  // the plain form post still works
    });
  }

  function openReference(hash) {
    if (!/^#ref-\d+$/.test(hash)) { return; }
    var target = document.getElementById(hash.slice(1));
    if (!target) { return; }
    var details = target.querySelector("details");
    if (details) { details.open = true; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-stream")) { streamAsk(form, event); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var printButton = target.closest("[data-print]");
    if (printButton) { window.print(); return; }
    var choice = target.closest(".audience-switch .choice");
    if (choice && choice.getAttribute("aria-current") !== "true") {
      var box = document.querySelector(".personalize .progress");
      if (box) {
        box.hidden = false;
        box.textContent = "Preparing the " + (choice.querySelector("strong") || choice).textContent.toLowerCase() +
          " version. The first time, it is written from the evidence; this takes a moment.";
      }
    }
    var cite = target.closest("a[href^='#ref-']");
    if (cite) { openReference(cite.getAttribute("href")); }
  });

  window.addEventListener("hashchange", function () { openReference(window.location.hash); });
  if (document.readyState !== "loading") { openReference(window.location.hash); }
  else { document.addEventListener("DOMContentLoaded", function () { openReference(window.location.hash); }); }
})();
