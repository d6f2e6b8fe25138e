// The live SWOT board: progressive enhancement of the server-rendered board
// (templates/swot/board/). Without this module every form still works: it
// posts to board/op and the page comes back. With it:
//
// - changes arrive live over the websocket (docs: the board protocol), or,
//   when the socket cannot open within 3 seconds or drops, by polling
//   board/poll every 2 seconds while the socket is retried with backoff;
// - the board's forms are sent as operations ({type: "op", id, kind, args})
//   over the socket, or by fetch to board/ops when polling;
// - what changed is re-rendered from the server's own HTML (board/fragment),
//   region by region, so the markup has one source and what a participant
//   may not see never reaches them: focus, what is being typed and open
//   sections are kept across every update;
// - a polite live region says what happened, batched ("3 new items"), at
//   most every few seconds.

const OPEN_TIMEOUT_MS = 3000;
const POLL_MS = 2000;
const ANNOUNCE_MS = 4000;
const REFRESH_DELAY_MS = 120;
const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;
// Close codes after which trying again cannot help (see the protocol).
const FINAL_CLOSE = new Map([
  [4401, "You are not signed in to this workshop any more. Reload the page to sign in again."],
  [4403, "You are no longer taking part in this workshop."],
  [4404, "This workshop no longer exists."],
]);

const QUADRANT_NAMES = {
  strengths: "Strengths",
  weaknesses: "Weaknesses",
  opportunities: "Opportunities",
  threats: "Threats",
};

const DONE = {
  "item.add": "Item added.",
  "item.edit": "Item saved.",
  "item.delete": "Item deleted.",
  "item.move": "Item moved.",
  "group.create": "Group created.",
  "group.add": "Item added to the group.",
  "item.ungroup": "Item taken out of its group.",
  "group.rename": "Group renamed.",
  "vote.add": "Vote added.",
  "vote.remove": "Vote removed.",
  "brainstorm.reveal": "Everyone can now see every item.",
  "timer.start": "Timer started.",
  "timer.stop": "Timer stopped.",
};

export function durationText(seconds) {
  if (seconds <= 0) return "Time is up";
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function newId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  return `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

class Announcer {
  // Batches what happened into one polite message every few seconds.
  constructor(node) {
    this.node = node;
    this.items = 0;
    this.votes = 0;
    this.lines = [];
    this.timer = null;
    this.last = 0;
  }

  newItem() {
    this.items += 1;
    this.schedule();
  }

  vote() {
    this.votes += 1;
    this.schedule();
  }

  say(text) {
    if (!this.lines.includes(text)) this.lines.push(text);
    this.schedule();
  }

  schedule() {
    if (this.timer) return;
    const wait = Math.max(0, this.last + ANNOUNCE_MS - Date.now());
    this.timer = window.setTimeout(() => this.flush(), Math.max(wait, 300));
  }

  flush() {
    this.timer = null;
    const parts = [...this.lines];
    if (this.items) parts.push(`${plural(this.items, "new item", "new items")} on the board.`);
    if (this.votes) parts.push(`${plural(this.votes, "vote", "votes")} changed.`);
    this.items = 0;
    this.votes = 0;
    this.lines = [];
    if (!parts.length || !this.node) return;
    this.last = Date.now();
    this.node.textContent = "";
    // A fresh text node after a pause, so the same words are read again.
    window.setTimeout(() => {
      this.node.textContent = parts.join(" ");
    }, 50);
  }
}

class Board {
  constructor(root) {
    this.root = root;
    this.present = [];
    this.pollUrl = root.dataset.pollUrl;
    this.opsUrl = root.dataset.opsUrl;
    this.fragmentUrl = root.dataset.fragmentUrl;
    this.socketPath = root.dataset.socketPath;
    this.status = document.getElementById("board-connection");
    this.announcer = new Announcer(document.getElementById("board-announcer"));
    this.lastSeq = this.seqOf(this.content());
    this.socket = null;
    this.mode = "connecting";
    this.stopped = false;
    this.backoff = 1000;
    this.pending = new Map();
    this.formErrors = new Map();
    this.pollTimer = null;
    this.reconnectTimer = null;
    this.refreshTimer = null;
    this.refreshing = null;
    this.refreshAgain = false;
    this.serverOffset = 0;
    this.timerSaid = new Set();
    this.remember(this.content());
    this.syncClock(this.content());
  }

  start() {
    this.root.addEventListener("submit", (event) => this.onSubmit(event));
    window.setInterval(() => this.tickTimer(), 1000);
    window.setInterval(() => this.ping(), PING_MS);
    this.connect();
  }

  // --- the DOM ---------------------------------------------------------------------------

  content() {
    return document.getElementById("board-content");
  }

  seqOf(node) {
    const seq = Number.parseInt(node?.dataset.lastSeq ?? "0", 10);
    return Number.isFinite(seq) ? seq : 0;
  }

  syncClock(node) {
    const serverTime = Date.parse(node?.dataset.serverTime ?? "");
    if (Number.isFinite(serverTime)) this.serverOffset = serverTime - Date.now();
  }

  skeleton(node) {
    // The board without its regions' contents: if this differs, the layout
    // itself changed (a phase change) and the whole board is swapped.
    const copy = node.cloneNode(true);
    for (const region of copy.querySelectorAll("[data-region]")) region.replaceChildren();
    copy.removeAttribute("data-last-seq");
    copy.removeAttribute("data-server-time");
    copy.removeAttribute("data-timer-ends");
    return copy.outerHTML;
  }

  remember(node) {
    this.regions = new Map();
    for (const region of node.querySelectorAll("[data-region]")) {
      this.regions.set(region.dataset.region, region.outerHTML);
    }
    this.layout = this.skeleton(node);
  }

  setStatus(text) {
    if (!this.status) return;
    this.status.hidden = false;
    this.status.textContent = text;
  }

  scheduleRefresh() {
    if (this.stopped) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  async refresh() {
    this.refreshAgain = false;
    this.refreshing = (async () => {
      let response;
      try {
        response = await fetch(this.fragmentUrl, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
      } catch {
        return; // offline: the next frame or poll tries again
      }
      if (response.status === 404 || response.status === 403) {
        this.stop("You are no longer taking part in this workshop.");
        return;
      }
      if (!response.ok) return;
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.getElementById("board-content");
      if (fresh) this.apply(fresh);
    })();
    try {
      await this.refreshing;
    } finally {
      this.refreshing = null;
      if (this.refreshAgain) this.scheduleRefresh();
    }
  }

  apply(fresh) {
    const current = this.content();
    if (!current) return;
    this.lastSeq = Math.max(this.lastSeq, this.seqOf(fresh));
    this.syncClock(fresh);
    const wasPhase = current.dataset.phase;
    if (this.skeleton(fresh) !== this.layout) {
      this.swap(current, document.importNode(fresh, true));
    } else {
      for (const name of ["data-last-seq", "data-server-time", "data-timer-ends", "data-phase"]) {
        if (fresh.hasAttribute(name)) current.setAttribute(name, fresh.getAttribute(name));
        else current.removeAttribute(name);
      }
      for (const region of fresh.querySelectorAll("[data-region]")) {
        const name = region.dataset.region;
        if (this.regions.get(name) === region.outerHTML) continue;
        const old = current.querySelector(`[data-region="${CSS.escape(name)}"]`);
        if (!old) continue;
        const replacement = document.importNode(region, true);
        this.swap(old, replacement);
        replacement.classList.add("app-updated");
      }
    }
    this.remember(this.content());
    this.showFormErrors();
    const phase = this.content()?.dataset.phase;
    if (wasPhase && phase && wasPhase !== phase) this.timerSaid.clear();
    this.tickTimer();
  }

  swap(old, replacement) {
    // Keep focus, what is being typed and open sections where they were.
    const active = document.activeElement;
    const hadFocus = active && active !== document.body && old.contains(active);
    const focusId = hadFocus ? active.id : "";
    const focusItem = hadFocus ? active.closest("[data-item]")?.id : "";
    const focusRegion = hadFocus ? active.closest("[data-region]") : null;
    let selection = null;
    if (hadFocus && typeof active.selectionStart === "number") {
      try {
        selection = [active.selectionStart, active.selectionEnd];
      } catch {
        selection = null;
      }
    }
    const typed = new Map();
    for (const field of old.querySelectorAll("input[id], textarea[id], select[id]")) {
      if (field.type === "hidden") continue;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) typed.set(field.id, { checked: field.checked });
      } else if (field.tagName === "SELECT") {
        const initial = Math.max([...field.options].findIndex((o) => o.defaultSelected), 0);
        if (field.selectedIndex !== initial) typed.set(field.id, { value: field.value });
      } else if (field.value !== field.defaultValue) {
        // An edit being typed keeps the version it started from, so a change
        // someone else made meanwhile is still caught as a stale edit.
        const version = field.form?.elements.namedItem("version");
        typed.set(field.id, { value: field.value, version: version?.value });
      }
    }
    const open = new Map();
    for (const details of old.querySelectorAll("details[id]")) open.set(details.id, details.open);

    old.replaceWith(replacement);

    for (const [id, state] of typed) {
      const field = document.getElementById(id);
      if (!field || !replacement.contains(field)) continue;
      if ("checked" in state) {
        field.checked = state.checked;
      } else if (field.tagName !== "SELECT" || [...field.options].some((o) => o.value === state.value)) {
        field.value = state.value;
      }
      const version = field.form?.elements.namedItem("version");
      if (state.version !== undefined && version) version.value = state.version;
    }
    for (const [id, isOpen] of open) {
      const details = document.getElementById(id);
      if (details && replacement.contains(details)) details.open = isOpen;
    }
    if (!hadFocus) return;
    let target = focusId ? document.getElementById(focusId) : null;
    if (!target && focusId) target = document.getElementById(counterpart(focusId));
    if (!target && focusItem) {
      const item = document.getElementById(focusItem);
      if (item) target = firstFocusable(item) ?? focusable(item);
    }
    if (!target && focusRegion) {
      const region = this.content()?.querySelector(
        `[data-region="${CSS.escape(focusRegion.dataset.region)}"]`,
      );
      const heading = region?.querySelector("h2");
      if (heading) target = focusable(heading);
    }
    if (!target) return;
    target.focus({ preventScroll: true });
    if (selection && typeof target.setSelectionRange === "function") {
      try {
        target.setSelectionRange(selection[0], selection[1]);
      } catch {
        // not a text field any more
      }
    }
  }

  renderPresence(people) {
    const list = document.getElementById("board-people");
    if (!Array.isArray(people)) return;
    this.present = people;
    if (!list) return;
    const you = this.content()?.dataset.you;
    const rows = people.map((person) => {
      const li = document.createElement("li");
      let text = String(person.name ?? "");
      if (String(person.id) === you) text += " (you)";
      if (person.role === "facilitator") text += " – facilitator";
      li.textContent = text;
      return li;
    });
    if (!rows.length) {
      const li = document.createElement("li");
      li.textContent = "No one is connected to the live board yet.";
      rows.push(li);
    }
    list.replaceChildren(...rows);
  }

  tickTimer() {
    const board = this.content();
    const shown = board?.querySelector("[data-timer-left]");
    const ends = Date.parse(board?.dataset.timerEnds ?? "");
    if (!shown || !Number.isFinite(ends)) return;
    const left = Math.max(0, Math.round((ends - (Date.now() + this.serverOffset)) / 1000));
    const text = durationText(left);
    if (shown.textContent !== text) shown.textContent = text;
    const key = `${ends}`;
    if (left <= 0 && !this.timerSaid.has(`${key}:0`)) {
      this.timerSaid.add(`${key}:0`);
      this.announcer.say("Time is up.");
    } else if (left <= 60 && left > 50 && !this.timerSaid.has(`${key}:60`)) {
      this.timerSaid.add(`${key}:60`);
      this.announcer.say("1 minute left.");
    }
  }

  // --- frames ----------------------------------------------------------------------------

  handle(frame) {
    if (!frame || typeof frame !== "object") return;
    switch (frame.type) {
      case "snapshot": {
        const snap = frame.snapshot ?? {};
        const seq = Number(snap.seq ?? 0);
        if (seq !== this.lastSeq) this.scheduleRefresh();
        this.lastSeq = Math.max(this.lastSeq, seq);
        if (Array.isArray(snap.present)) this.renderPresence(snap.present);
        break;
      }
      case "op":
        this.onOp(frame);
        break;
      case "ack":
        this.onAck(frame);
        break;
      case "error":
        this.onError(frame);
        break;
      case "presence":
        // The full list after a resume; otherwise one arrival or departure.
        if (Array.isArray(frame.participants)) {
          this.renderPresence(frame.participants);
        } else if (frame.joined) {
          const others = this.present.filter((p) => p.id !== frame.joined.id);
          this.renderPresence([...others, frame.joined]);
        } else if (frame.left !== undefined) {
          this.renderPresence(this.present.filter((p) => p.id !== frame.left));
        }
        break;
      default:
        break;
    }
  }

  onOp(frame) {
    const seq = Number(frame.seq ?? 0);
    if (seq && seq <= this.lastSeq) return; // already on the page
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (!frame.yours) this.announceOp(frame);
    this.scheduleRefresh();
  }

  announceOp(frame) {
    const data = frame.data ?? {};
    switch (frame.kind) {
      case "item.add":
        this.announcer.newItem();
        break;
      case "vote.add":
      case "vote.remove":
        this.announcer.vote();
        break;
      case "phase.set": {
        const label = data.workshop?.phase_label ?? data.phase;
        this.announcer.say(`The workshop moved to the ${label} phase.`);
        break;
      }
      case "brainstorm.reveal":
        this.announcer.say("Everyone's items are now shown.");
        break;
      case "timer.start":
        this.announcer.say(`Timer started: ${durationText(Number(data.seconds ?? 0))}.`);
        break;
      case "timer.stop":
        this.announcer.say("Timer stopped.");
        break;
      default:
        break;
    }
  }

  onAck(frame) {
    const sent = this.pending.get(frame.id);
    this.pending.delete(frame.id);
    this.scheduleRefresh();
    if (!sent) return;
    this.formErrors.delete(sent.key);
    this.clearFormError(sent.key);
    const { kind } = sent.frame;
    if (kind === "item.add") {
      const text = document.getElementById("add-text");
      if (text) {
        text.value = "";
        text.defaultValue = "";
      }
      const quadrant = QUADRANT_NAMES[sent.frame.args.quadrant];
      this.announcer.say(quadrant ? `Item added to ${quadrant}.` : DONE[kind]);
    } else if (kind === "item.edit") {
      const details = document.getElementById(`edit-${sent.frame.args.item}`);
      if (details) {
        if (details.contains(document.activeElement)) details.querySelector("summary")?.focus();
        details.open = false;
      }
      this.announcer.say(DONE[kind]);
    } else if (kind === "phase.set") {
      this.announcer.say("Phase changed.");
    } else if (kind === "group.create") {
      const name = document.getElementById(`group-name-${sent.quadrant}`);
      if (name) name.value = "";
      for (const box of document.querySelectorAll(`input[form="group-create-${sent.quadrant}"]`)) {
        box.checked = false;
      }
      this.announcer.say(DONE[kind]);
    } else {
      this.announcer.say(DONE[kind] ?? "Done.");
    }
  }

  onError(frame) {
    const sent = frame.id ? this.pending.get(frame.id) : null;
    if (frame.id) this.pending.delete(frame.id);
    const message = frame.message || firstError(frame.errors) || "That change could not be made.";
    if (frame.code === "rate_limited" && sent) {
      // Try once more a little later, with the same id.
      window.setTimeout(() => this.send(sent), 5000);
      this.pending.set(sent.frame.id, sent);
      this.setStatus("You are making changes quickly: your last change will be sent in a moment.");
      return;
    }
    if (!sent) {
      this.announcer.say(message);
      return;
    }
    const error = { message };
    if (frame.code === "stale" && frame.item) {
      error.current = String(frame.item.text ?? "");
      // Seen now: saving again replaces the current text on purpose.
      const version = document.getElementById(sent.key)?.form?.elements.namedItem("version");
      if (version && frame.item.version !== undefined) version.value = String(frame.item.version);
      this.scheduleRefresh();
    }
    this.formErrors.set(sent.key, error);
    this.showFormErrors();
  }

  showFormErrors() {
    for (const [key, error] of this.formErrors) {
      const button = document.getElementById(key);
      const form = button?.form;
      if (!form) continue;
      let box = form.querySelector("[data-op-error]");
      if (!box) {
        box = document.createElement("div");
        box.dataset.opError = "";
        box.className = "app-op-error";
        box.setAttribute("role", "alert");
        form.prepend(box);
      }
      const lines = [];
      const p = document.createElement("p");
      p.className = "govuk-error-message";
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = "Error: ";
      p.append(hidden, document.createTextNode(error.message));
      p.id = `${key}-error`;
      lines.push(p);
      if (error.current !== undefined) {
        const now = document.createElement("p");
        now.className = "govuk-body-s";
        now.textContent = `The item now reads: “${error.current}”`;
        lines.push(now);
      }
      box.replaceChildren(...lines);
      const field = form.querySelector("textarea, input:not([type=hidden]), select");
      if (field) {
        const described = new Set((field.getAttribute("aria-describedby") ?? "").split(" "));
        described.add(p.id);
        field.setAttribute("aria-describedby", [...described].filter(Boolean).join(" "));
      }
    }
  }

  clearFormError(key) {
    const form = document.getElementById(key)?.form;
    form?.querySelector("[data-op-error]")?.remove();
  }

  // --- sending ---------------------------------------------------------------------------

  onSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("js-board-op")) return;
    if (this.stopped) return; // let the browser post it the ordinary way
    event.preventDefault();
    const data = new FormData(form);
    const kind = String(data.get("kind") ?? "");
    const args = {};
    for (const [name, value] of data.entries()) {
      if (["csrfmiddlewaretoken", "kind", "id", "quadrant_hint"].includes(name)) continue;
      if (name === "items") {
        (args.items ??= []).push(String(value));
      } else {
        args[name] = String(value);
      }
    }
    if (kind === "group.create" && !args.items) args.items = [];
    const button = event.submitter ?? form.querySelector("button[type=submit]");
    const key = button?.id || form.id || kind;
    for (const sent of this.pending.values()) {
      if (sent.key === key) return; // already on its way
    }
    const frame = { type: "op", id: newId(), kind, args };
    const sent = { frame, key, quadrant: data.get("quadrant_hint") };
    this.pending.set(frame.id, sent);
    this.send(sent);
  }

  send(sent) {
    if (this.stopped) return;
    if (this.mode === "socket" && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(sent.frame));
      return;
    }
    this.post(sent);
  }

  csrfToken() {
    return this.root.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  }

  async post(sent) {
    const { id, kind, args } = sent.frame;
    let response;
    try {
      response = await fetch(this.opsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": this.csrfToken(),
        },
        body: JSON.stringify({ id, kind, args }),
      });
    } catch {
      // Kept pending: sent again (same id, applied once) when the connection is back.
      this.setStatus("Your change could not be sent yet: it will be sent when you are back online.");
      return;
    }
    if (response.status === 404) {
      this.stop("You are no longer taking part in this workshop.");
      return;
    }
    let frame = null;
    try {
      frame = await response.json();
    } catch {
      frame = null;
    }
    if (!frame) {
      frame = { type: "error", id, code: "invalid", message: "That change could not be made. Try again." };
    }
    if (frame.type === "ack" || frame.type === "error") {
      frame.id = frame.id || id;
      this.handle(frame);
      if (frame.type === "ack" && this.mode !== "socket") this.pollSoon();
    }
  }

  resendPending() {
    for (const sent of this.pending.values()) this.send(sent);
  }

  // --- the websocket, and polling when it is not there ------------------------------------

  socketUrl() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${this.socketPath}?since=${this.lastSeq}`;
  }

  connect() {
    if (this.stopped || !this.socketPath || typeof WebSocket === "undefined") {
      this.startPolling();
      return;
    }
    let socket;
    try {
      socket = new WebSocket(this.socketUrl());
    } catch {
      this.startPolling();
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let opened = false;
    const openTimer = window.setTimeout(() => {
      if (!opened) {
        this.startPolling();
        socket.close();
      }
    }, OPEN_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      opened = true;
      window.clearTimeout(openTimer);
      const resuming = this.mode !== "connecting";
      this.mode = "socket";
      this.backoff = 1000;
      this.stopPolling();
      this.setStatus("Live: changes by others appear as they happen.");
      if (resuming) socket.send(JSON.stringify({ type: "resume", since: this.lastSeq }));
      this.resendPending();
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handle(frame);
    });
    socket.addEventListener("close", (event) => {
      window.clearTimeout(openTimer);
      if (this.socket === socket) this.socket = null;
      if (FINAL_CLOSE.has(event.code)) {
        this.stop(FINAL_CLOSE.get(event.code));
        return;
      }
      if (event.code === 4408) this.backoff = MAX_BACKOFF_MS;
      this.startPolling();
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    if (this.stopped || this.reconnectTimer) return;
    const wait = this.backoff + Math.floor(Math.random() * 500);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = window.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, wait);
  }

  ping() {
    if (this.mode === "socket" && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: "ping" }));
    }
  }

  startPolling() {
    if (this.stopped) return;
    if (this.mode !== "polling") {
      this.mode = "polling";
      this.setStatus("Live: checking for changes every 2 seconds.");
      this.resendPending();
    }
    if (!this.pollTimer) this.pollTimer = window.setTimeout(() => this.poll(), 0);
  }

  stopPolling() {
    window.clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  pollSoon() {
    if (this.mode !== "polling") return;
    this.stopPolling();
    this.pollTimer = window.setTimeout(() => this.poll(), 50);
  }

  async poll() {
    this.pollTimer = null;
    if (this.stopped || this.mode !== "polling") return;
    let wait = POLL_MS;
    try {
      const url = `${this.pollUrl}?since=${encodeURIComponent(this.lastSeq)}`;
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 404) {
        this.stop("You are no longer taking part in this workshop.");
        return;
      }
      if (response.status === 429) {
        wait = POLL_MS * 5;
      } else if (response.ok) {
        const body = await response.json();
        if (body.snapshot) {
          this.handle({ type: "snapshot", snapshot: body.snapshot });
        }
        for (const frame of body.frames ?? []) this.handle(frame);
        if (Array.isArray(body.present)) this.renderPresence(body.present);
        this.lastSeq = Math.max(this.lastSeq, Number(body.last_seq ?? 0));
      }
    } catch {
      wait = POLL_MS * 2; // offline for now
    }
    if (!this.stopped && this.mode === "polling" && !this.pollTimer) {
      this.pollTimer = window.setTimeout(() => this.poll(), wait);
    }
  }

  stop(message) {
    this.stopped = true;
    this.stopPolling();
    window.clearTimeout(this.reconnectTimer);
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close();
    }
    this.setStatus(message);
    this.announcer.say(message);
  }
}

function firstError(errors) {
  if (!errors || typeof errors !== "object") return "";
  for (const messages of Object.values(errors)) {
    if (Array.isArray(messages) && messages.length) return String(messages[0]);
  }
  return "";
}

// A control that takes the place of another after an update: the vote
// button becomes "Remove vote", and back.
function counterpart(id) {
  const swaps = [
    ["vote-", "unvote-"],
    ["unvote-", "vote-"],
    ["phase-next", "phase-back"],
    ["timer-stop", "timer-start"],
  ];
  for (const [from, to] of swaps) {
    if (id.startsWith(from)) return to + id.slice(from.length);
  }
  return "";
}

function firstFocusable(node) {
  return node.querySelector("button, summary, select, textarea, input:not([type=hidden]), a[href]");
}

function focusable(node) {
  if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
  return node;
}

const root = document.getElementById("board");
if (root) new Board(root).start();
