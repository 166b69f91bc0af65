// The web chat page: no framework, no third-party code. The session token lives in sessionStorage only.
(() => {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const exitUrl = document.body.dataset.exit;
  const store = window.sessionStorage;
  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const input = $("text");
  const fileInput = $("file");
  const status = $("status");
  const MAX_FILE = 10 * 1024 * 1024;
  let lang = store.getItem("sa.lang") || "id";
  let session = store.getItem("sa.session");
  let cursor = Number(store.getItem("sa.cursor") || 0);
  const outgoing = [];
  let sending = false;
  let stream = null;
  let failures = 0;
  let lastEscape = 0;
  let leaving = false;

  const t = (key) => (texts[lang] || texts.id)[key] || texts.id[key] || key;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const rid = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  const setStatus = (key) => {
    status.textContent = key ? t(key) : "";
  };

  function applyTexts() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
    for (const el of document.querySelectorAll("[data-t-label]")) {
      el.setAttribute("aria-label", t(el.dataset.tLabel));
      el.title = t(el.dataset.tLabel);
    }
    for (const el of document.querySelectorAll("[data-t-placeholder]"))
      el.placeholder = t(el.dataset.tPlaceholder);
  }

  function bubble(kind, text) {
    const div = document.createElement("div");
    div.className = `msg ${kind}`;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function closeChoices() {
    for (const b of log.querySelectorAll(".choices button")) b.disabled = true;
  }

  function render(message) {
    if (message.type === "end") return bubble("note", t("ended"));
    if (message.type !== "text" && message.type !== "request") return;
    const div = bubble("bot", message.text);
    if (message.type === "request" && message.kind === "media") {
      const pick = document.createElement("button");
      pick.type = "button";
      pick.textContent = t("attach");
      pick.addEventListener("click", () => fileInput.click());
      const row = document.createElement("div");
      row.className = "choices";
      row.appendChild(pick);
      div.appendChild(row);
    }
    if (!message.choices || message.choices.length === 0) return;
    closeChoices();
    const row = document.createElement("div");
    row.className = "choices";
    for (const choice of message.choices) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = choice.label;
      b.dataset.id = choice.id;
      if (choice.description) {
        const small = document.createElement("small");
        small.textContent = choice.description;
        b.appendChild(small);
      }
      b.addEventListener("click", () => {
        closeChoices();
        bubble("me", choice.label);
        send({ choice: choice.id });
      });
      row.appendChild(b);
    }
    div.appendChild(row);
    log.scrollTop = log.scrollHeight;
  }

  async function ensureSession() {
    if (session) return;
    const res = await fetch("/api/session", { method: "POST", cache: "no-store" });
    if (!res.ok) throw new Error("session");
    session = (await res.json()).session;
    cursor = 0;
    store.setItem("sa.session", session);
    store.setItem("sa.cursor", "0");
    connect();
  }

  function api(path, body, headers) {
    return fetch(path, {
      method: "POST",
      cache: "no-store",
      headers: Object.assign({ "X-Session": session }, headers || {}),
      body,
    });
  }

  function send(fields) {
    closeChoices();
    outgoing.push({
      path: "/api/send",
      body: JSON.stringify(Object.assign({ id: rid() }, fields)),
      headers: { "Content-Type": "application/json" },
    });
    pump();
  }

  // Sends in order; a failed request is retried with the same id, so the server applies it once.
  async function pump() {
    if (sending) return;
    sending = true;
    let wait = 500;
    while (outgoing.length > 0 && !leaving) {
      const item = outgoing[0];
      try {
        await ensureSession();
        const res = await api(item.path, item.body, item.headers);
        if (res.status === 401) {
          session = null;
          store.removeItem("sa.session");
          continue;
        }
        if (res.status >= 500 || res.status === 429) throw new Error(String(res.status));
        outgoing.shift();
        wait = 500;
        setStatus("");
        if (!res.ok) bubble("note", t(res.status === 413 ? "too_large" : "not_sent"));
        if (!stream) poll();
      } catch {
        setStatus("offline");
        await sleep(wait);
        wait = Math.min(8000, wait * 2);
      }
    }
    sending = false;
  }

  function deliver(item) {
    if (item.seq <= cursor) return;
    render(item.message);
    cursor = item.seq;
    store.setItem("sa.cursor", String(cursor));
    api("/api/ack", JSON.stringify({ seq: cursor }), { "Content-Type": "application/json" }).catch(() => {});
  }

  // Polling fallback when the event stream cannot be held open.
  async function poll() {
    if (!session) return;
    try {
      const res = await fetch(`/api/messages?after=${cursor}`, {
        cache: "no-store",
        headers: { "X-Session": session },
      });
      if (res.ok) for (const item of (await res.json()).messages) deliver(item);
    } catch {
      setStatus("offline");
    }
  }

  // Server-Sent Events read with fetch, so the token stays in a header; reconnects with Last-Event-ID.
  async function connect() {
    if (!session || stream || leaving) return;
    const ctl = new AbortController();
    stream = ctl;
    try {
      const res = await fetch("/api/events", {
        cache: "no-store",
        signal: ctl.signal,
        headers: { "X-Session": session, "Last-Event-ID": String(cursor), Accept: "text/event-stream" },
      });
      if (!res.ok || !res.body) throw new Error(String(res.status));
      failures = 0;
      setStatus("");
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(5).trim())
            .join("\n");
          if (/^event: ?message$/m.test(block) && data) deliver(JSON.parse(data));
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // dropped: reconnect below
    }
    if (stream === ctl) stream = null;
    if (ctl.signal.aborted || leaving) return;
    failures++;
    setStatus("offline");
    await poll();
    setTimeout(connect, Math.min(10000, 300 * 2 ** failures));
  }

  function quickExit() {
    leaving = true;
    const token = session;
    store.clear();
    if (stream) stream.abort();
    if (token)
      fetch("/api/forget", { method: "POST", keepalive: true, headers: { "X-Session": token } }).catch(
        () => {},
      );
    document.body.textContent = "";
    document.title = "";
    location.replace(exitUrl);
  }

  $("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    if (Date.now() - lastEscape < 1500) quickExit();
    lastEscape = Date.now();
  });
  $("lang").addEventListener("click", () => {
    lang = lang === "id" ? "en" : "id";
    store.setItem("sa.lang", lang);
    applyTexts();
    send({ command: "language" });
  });
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    bubble("me", text);
    send({ text });
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      $("form").requestSubmit();
    }
  });
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > MAX_FILE) return bubble("note", t("too_large"));
    bubble("me", t("file_sent"));
    closeChoices();
    outgoing.push({
      path: "/api/upload",
      body: file,
      headers: { "Content-Type": file.type || "application/octet-stream", "X-Message-Id": rid() },
    });
    pump();
  });
  window.addEventListener("online", () => {
    if (!stream) connect();
  });

  applyTexts();
  if (session) {
    bubble("note", t("resumed"));
    connect();
    outgoing.push({ path: "/api/resume", body: "", headers: {} });
    pump();
  } else {
    const intro = bubble("bot", t("intro"));
    const row = document.createElement("div");
    row.className = "choices";
    const start = document.createElement("button");
    start.type = "button";
    start.textContent = t("start");
    start.addEventListener("click", () => send({ command: "start" }));
    row.appendChild(start);
    intro.appendChild(row);
  }
})();
