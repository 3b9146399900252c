/* The session roster on a phone with bad Wi-Fi: every tap is kept on the phone (localStorage) before it is
   sent, sent one row at a time, and shown as saving, saved, kept on the phone, or failed with a retry.
   Marks kept offline are sent when the connection returns; the server's conflict rule decides as always
   (each mark carries the status the page showed, `expected`). A plain form underneath works without this
   script. Words come translated from the page (#roster-words, a JSON data block). */
(function () {
  "use strict";
  var form = document.querySelector(".roster-form");
  var wordsElement = document.getElementById("roster-words");
  if (!form || !wordsElement || !window.fetch) return;
  var words = JSON.parse(wordsElement.textContent);
  // Not form.action: the buttons are named "action", which shadows it.
  var address = form.getAttribute("action");
  var banner = document.getElementById("roster-offline");
  var storeKey = "pathways-roster-" + form.getAttribute("data-session");
  var queue = load();
  var failed = {}; // rows the server refused to save (not the network): sent again only by "Try again"
  var sending = false;
  var tries = {}; // answers of "server error" in a row, per row

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey)) || {};
    } catch (error) {
      return {};
    }
  }
  function store() {
    try {
      if (Object.keys(queue).length) window.localStorage.setItem(storeKey, JSON.stringify(queue));
      else window.localStorage.removeItem(storeKey);
    } catch (error) {
      /* private mode: the marks still go out while this page is open */
    }
  }
  function rowOf(key) {
    return document.getElementById("row-" + key);
  }
  function field(row, name) {
    return row.querySelector('[name="' + name + "-" + row.getAttribute("data-row") + '"]');
  }
  function read(row) {
    var checked = row.querySelector(".segmented__input:checked");
    return {
      status: checked ? checked.value : "",
      minutes: field(row, "minutes") ? field(row, "minutes").value : "",
      note: field(row, "note") ? field(row, "note").value : "",
      expected: field(row, "expected") ? field(row, "expected").value : "",
    };
  }
  function show(row, state) {
    var box = row.querySelector(".roster-row__state");
    if (!box) return;
    row.classList.remove("roster-row--queued", "roster-row--failed");
    box.className = "roster-row__state";
    box.textContent = "";
    if (!state) return;
    box.classList.add("roster-row__state--" + state);
    box.appendChild(document.createTextNode(words[state]));
    if (state === "queued" || state === "failed") row.classList.add("roster-row--" + state);
    if (state === "failed") {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button roster-row__retry";
      retry.textContent = words.retry;
      retry.addEventListener("click", function () {
        delete failed[row.getAttribute("data-row")];
        show(row, "saving");
        flush();
      });
      box.appendChild(retry);
    }
  }
  function say(text) {
    if (!banner) return;
    banner.textContent = text || "";
    banner.hidden = !text;
  }

  function keep(row) {
    var key = row.getAttribute("data-row");
    var mark = read(row);
    // A row tapped twice before it was sent still expects what the server last showed.
    if (queue[key]) mark.expected = queue[key].expected;
    queue[key] = mark;
    store();
    show(row, navigator.onLine === false ? "queued" : "saving");
  }

  function body(key, mark) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("row", key);
    if (mark.status) data.append("status-" + key, mark.status);
    data.append("minutes-" + key, mark.minutes);
    data.append("note-" + key, mark.note);
    data.append("expected-" + key, mark.expected);
    return data;
  }

  function swapIn(key, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content.querySelector("#row-" + key);
    var count = template.content.querySelector("#roster-count");
    if (count && document.getElementById("roster-count")) {
      count.removeAttribute("hx-swap-oob");
      document.getElementById("roster-count").replaceWith(count);
    }
    if (fresh && rowOf(key)) rowOf(key).replaceWith(fresh);
    return fresh;
  }

  function next() {
    var keys = Object.keys(queue).filter(function (key) {
      return !failed[key];
    });
    return keys.length ? keys[0] : null;
  }

  function flush() {
    if (sending) return;
    var key = next();
    if (key === null) return;
    if (!rowOf(key)) {
      delete queue[key]; // no longer on this roster (withdrawn meanwhile)
      store();
      return flush();
    }
    sending = true;
    var mark = queue[key];
    var sent = JSON.stringify(mark);
    fetch(address, {
      method: "POST",
      body: body(key, mark),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 204) return "";
        return response.text().then(function (html) {
          if (response.status >= 500) throw new Error("busy");
          if (!response.ok || html.indexOf('id="row-' + key + '"') === -1) throw new Error("refused");
          return html;
        });
      })
      .then(function (html) {
        sending = false;
        delete tries[key];
        var template = document.createElement("template");
        template.innerHTML = html;
        var answer = template.content.querySelector("#row-" + key);
        var heldBack = answer && answer.querySelector(".roster-row__conflict, .field__error");
        if (queue[key] && JSON.stringify(queue[key]) !== sent && answer && !heldBack) {
          // Tapped again while this was on its way: send the newer mark next, expecting what was just saved.
          var saved = answer.querySelector('[name="expected-' + key + '"]');
          queue[key].expected = saved ? saved.value : queue[key].expected;
          store();
        } else {
          delete queue[key];
          store();
          if (html) {
            var row = swapIn(key, html);
            if (row && !heldBack) show(row, "saved");
          } else {
            show(rowOf(key), "");
          }
        }
        if (!next() && banner && banner.textContent === words.sending) say("");
        flush();
      })
      .catch(function (error) {
        sending = false;
        // A busy server (another phone saving the same class this instant) gets two more tries.
        if (error && error.message === "busy" && (tries[key] || 0) < 2) {
          tries[key] = (tries[key] || 0) + 1;
          window.setTimeout(flush, 400 * tries[key]);
          return;
        }
        delete tries[key];
        if (error && (error.message === "refused" || error.message === "busy")) {
          failed[key] = true;
          show(rowOf(key), "failed");
          flush();
          return;
        }
        // The network: keep every waiting mark on the phone and try again when it returns.
        Object.keys(queue).forEach(function (waiting) {
          if (rowOf(waiting) && !failed[waiting]) show(rowOf(waiting), "queued");
        });
        if (navigator.onLine === false) say(words.offline);
      });
  }

  function whenSent() {
    return new Promise(function (resolve) {
      (function wait() {
        if (!sending && (next() === null || navigator.onLine === false)) return resolve();
        if (!sending) flush();
        window.setTimeout(wait, 100);
      })();
    });
  }

  form.addEventListener("change", function (event) {
    var row = event.target.closest(".roster-row");
    if (!row) return;
    keep(row);
    flush();
  });

  // Save and "everyone present" go through fetch, so a lost connection never shows the browser's error page.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    var action = submitter && submitter.name === "action" ? submitter.value : "save";
    whenSent().then(function () {
      var data = new FormData(form);
      data.set("action", action);
      return fetch(address, { method: "POST", body: data, redirect: "manual", credentials: "same-origin" });
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          window.location.assign(address);
          return;
        }
        return response.text().then(function (html) {
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(function () {
        if (action === "all_present") {
          Array.prototype.forEach.call(form.querySelectorAll(".roster-row"), function (row) {
            var mark = read(row);
            if (mark.status || mark.expected || queue[row.getAttribute("data-row")]) return;
            var present = row.querySelector('.segmented__input[value="present"]');
            if (!present) return;
            present.checked = true;
            keep(row);
          });
        }
        Object.keys(queue).forEach(function (key) {
          if (rowOf(key) && !failed[key]) show(rowOf(key), "queued");
        });
        say(words.offlineSave);
      });
  });

  window.addEventListener("online", function () {
    if (next() !== null) say(words.sending);
    else say("");
    flush();
  });
  window.addEventListener("offline", function () {
    say(words.offline);
  });
  window.setInterval(function () {
    if (next() !== null && navigator.onLine !== false) flush();
  }, 15000);

  // Marks kept from an earlier visit: draw them as chosen, then send them.
  Object.keys(queue).forEach(function (key) {
    var row = rowOf(key);
    if (!row) return;
    var mark = queue[key];
    var option = row.querySelector('.segmented__input[value="' + mark.status + '"]');
    if (option) option.checked = true;
    if (field(row, "minutes")) field(row, "minutes").value = mark.minutes;
    if (field(row, "note")) field(row, "note").value = mark.note;
    show(row, "queued");
  });
  if (navigator.onLine === false) say(words.offline);
  flush();

  // Find a learner by either name as you type.
  var filter = document.getElementById("roster-filter");
  if (filter) {
    filter.closest(".roster-filter").hidden = false;
    filter.addEventListener("input", function () {
      var term = filter.value.trim().toLowerCase();
      Array.prototype.forEach.call(form.querySelectorAll(".roster-row"), function (row) {
        row.hidden = term !== "" && (row.getAttribute("data-name") || "").indexOf(term) === -1;
      });
    });
  }
})();
