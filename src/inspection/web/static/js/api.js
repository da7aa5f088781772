// The desk's only way to the data: the public API, with the key typed in once per session.
const KEY = "inspection.apiKey";
const BASE = "/api/v1";

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** An API error: the problem+json body, its sentence, and the fields it names. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `请求失败（HTTP ${status}）`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra = {}) {
  const key = storedKey();
  return key ? { Authorization: `Bearer ${key}`, ...extra } : extra;
}

async function failure(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    problem = { title: response.statusText };
  }
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent("desk:unauthorized", { detail: problem }));
  }
  return new ApiError(response.status, problem);
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const found = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return found.length ? `?${new URLSearchParams(found).toString()}` : "";
}

/** GET or send JSON; resolves to the parsed body, rejects with an ApiError. */
export async function api(path, { method = "GET", body, form } = {}) {
  const init = { method, headers: headers({ Accept: "application/json" }) };
  if (form) {
    init.body = form;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(BASE + path, init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  return response.json();
}

/**
 * Like api() for a resource read or written under optimistic locking: resolves to
 * {data, etag, status}; `ifMatch` sends the ETag read before (a stale one is a 412).
 */
export async function apiTagged(path, { method = "GET", body, ifMatch } = {}) {
  const init = { method, headers: headers({ Accept: "application/json" }) };
  if (ifMatch) init.headers["If-Match"] = ifMatch;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(BASE + path, init);
  if (!response.ok) throw await failure(response);
  return { data: await response.json(), etag: response.headers.get("ETag"), status: response.status };
}

/** Fetch a file with the key and hand it to the browser as a download. */
export async function download(path, fallbackName) {
  const response = await fetch(BASE + path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get("Content-Disposition") || "";
  const utf8 = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = utf8 ? decodeURIComponent(utf8[1]) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/**
 * Open a printable page the server draws (the notices of joint inspection, under /notices) in
 * a window of its own: fetched with the key (a new window cannot send it), then written into
 * that window, whose base is this page's, so its stylesheet and print button load. The window
 * is opened before the fetch, while the click still allows it.
 */
export async function openPrintable(path) {
  const target = window.open("", "_blank");
  if (!target) {
    throw new ApiError(0, { detail: "浏览器阻止了新窗口：请允许本站打开新窗口后再试" });
  }
  target.document.title = "正在生成…";
  try {
    const response = await fetch(path, { headers: headers({ Accept: "text/html" }) });
    if (!response.ok) throw await failure(response);
    const html = await response.text();
    target.document.open();
    target.document.write(html);
    target.document.close();
    return target;
  } catch (error) {
    target.close();
    throw error;
  }
}

/**
 * Server-sent events read through fetch (EventSource cannot send the key).
 * Calls onEvent(name, data) per event; resolves when the server ends the stream.
 */
export async function streamEvents(path, onEvent, signal) {
  const response = await fetch(BASE + path, {
    headers: headers({ Accept: "text/event-stream" }),
    signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}
