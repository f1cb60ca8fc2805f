/*
 * Archway storefront: a single-page app in plain JavaScript (ES module, no framework,
 * no build step). It talks only to the JSON API at the same origin under /api/v1.
 *
 * Read top to bottom:
 *   1. dom       build elements safely (text nodes only; API data never goes through innerHTML)
 *   2. format    money in minor units, counts, URLs
 *   3. api       one request() helper (problem+json errors, X-Request-Id) and the endpoints
 *   4. session   the access token (sessionStorage), the signed-in user, the cart (localStorage)
 *   5. chrome    the header: navigation with the cart count, "Signed in as ...", flash messages
 *   6. pages     one mount function per route: catalog, product, register, sign-in, cart,
 *                checkout, orders, one order (follows its status), notifications
 *   7. router    hash routes -> pages; routes marked `auth` send visitors to sign in and back
 *   8. boot
 *
 * A new page is a mount function in section 6, a line in ROUTES (section 7) and, if it
 * belongs in the header, one in NAV_ITEMS (section 5).
 */

const API_BASE = '/api/v1';
const PAGE_SIZE = 12;
const SEARCH_DEBOUNCE_MS = 300;
const FLASH_MS = 4000;
const LIST_SIZE = 20; // orders and notifications per page
const MAX_QUANTITY = 100; // of one product in one order (the API's limit)
const POLL_MS = 500; // how often an order page asks about an order still on its way
const POLL_PATIENCE_MS = 30000; // after this long, every POLL_SLOW_MS instead
const POLL_SLOW_MS = 2000;
const POLL_MAX_BACKOFF_MS = 10000; // the longest wait between tries while requests fail
const LIST_REFRESH_MS = 3000; // lists refresh themselves while something on them can change

/* ───────────────────────────── 1. dom ───────────────────────────── */

/**
 * h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) -> element.
 * Strings become text nodes, so API data is always inert text.
 */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return append(el, children);
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === '') continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

let uniqueCounter = 0;
function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

function isAbort(err) {
  return err?.name === 'AbortError';
}

/* ───────────────────────────── 2. format ───────────────────────────── */

const moneyFormats = new Map();

function moneyFormat(currency) {
  if (!moneyFormats.has(currency)) {
    let format = null;
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = null; // unknown currency code: formatMoney falls back to plain text
    }
    moneyFormats.set(currency, format);
  }
  return moneyFormats.get(currency);
}

/** {amount: 1999, currency: "USD"} (minor units) -> "$19.99"; JPY has 0 decimals, BHD 3. */
function formatMoney(money) {
  const amount = Number(money?.amount);
  if (!Number.isFinite(amount)) return '';
  const currency = String(money?.currency || 'USD').toUpperCase();
  const format = moneyFormat(currency);
  if (!format) return `${(amount / 100).toFixed(2)} ${currency}`;
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(amount / 10 ** digits);
}

function isMoney(value) {
  return Boolean(value && typeof value === 'object' && Number.isFinite(Number(value.amount)));
}

/** unit price x quantity, still in minor units. */
function timesMoney(money, quantity) {
  return isMoney(money) ? { amount: Number(money.amount) * quantity, currency: money.currency } : null;
}

/** The sum of several amounts: "$12.00", or "$12.00 + €3.00" when currencies differ (never a wrong total). */
function formatTotal(amounts) {
  const sums = new Map();
  for (const money of amounts.filter(isMoney)) {
    const currency = String(money.currency || 'USD').toUpperCase();
    sums.set(currency, (sums.get(currency) ?? 0) + Number(money.amount));
  }
  if (sums.size === 0) return formatMoney({ amount: 0, currency: 'USD' });
  return [...sums].map(([currency, amount]) => formatMoney({ amount, currency })).join(' + ');
}

function plural(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An ISO-8601 instant as a <time> in the reader's locale and time zone; anything else as sent. */
function timeOf(iso) {
  const date = typeof iso === 'string' ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return h('span', {}, iso ? String(iso) : '—');
  return h('time', { datetime: iso, title: iso }, dateTimeFormat.format(date));
}

/** The first block of a UUID, as people read an order number: "3f2a9c1e". */
function shortId(id) {
  const text = String(id ?? '');
  return /^[0-9a-f]{8}-/i.test(text) ? text.slice(0, 8) : text;
}

/** Only http(s), data: and blob: URLs (absolute or relative) reach an <img src>. */
function safeUrl(value) {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const url = new URL(value, window.location.href);
    return ['http:', 'https:', 'data:', 'blob:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/* ───────────────────────────── 3. api ───────────────────────────── */

const DEFAULT_TITLES = {
  0: 'Cannot reach the store',
  400: 'Invalid request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported request',
  422: 'Request cannot be processed',
  429: 'Too many requests',
};

/** A failed request, shaped like an RFC 9457 problem, plus the request id for tracing. */
class ApiError extends Error {
  constructor({ status, title, detail = '', type = 'about:blank', fields = [], requestId = null }) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
    this.fields = fields; // [{field, message}] from a problem's `errors` / `invalid_params`
    this.requestId = requestId;
  }
}

/** Field-level errors, as RFC 9457's `errors: [{detail, pointer}]` or `invalid_params: [{name, reason}]`. */
function problemFields(problem) {
  const list = [problem?.errors, problem?.invalid_params].find(Array.isArray) ?? [];
  return list
    .map((e) => ({
      field: String(e?.field ?? e?.name ?? e?.param ?? e?.pointer ?? '').replace(/^#?\/+/, ''),
      message: String(e?.detail ?? e?.message ?? e?.reason ?? ''),
    }))
    .filter((e) => e.message);
}

function problemFrom(response, body, requestId) {
  const status = response.status;
  const problem = body && typeof body === 'object' ? body : {};
  const title = String(problem.title || DEFAULT_TITLES[status]
    || (status >= 500 ? 'The store had a problem' : response.statusText || `Error ${status}`));
  let detail = String(problem.detail || problem.message || '');
  const retryAfter = response.headers.get('Retry-After');
  if (status === 429 && retryAfter && /^\d+$/.test(retryAfter)) {
    detail = `${detail} Try again in ${plural(Number(retryAfter), 'second', 'seconds')}.`.trim();
  }
  if (!detail && status >= 500) detail = 'Please try again in a moment.';
  return new ApiError({ status, title, detail, type: problem.type, fields: problemFields(problem), requestId });
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const api = {
  /**
   * The one way the storefront talks to the server.
   * Resolves to {data, status, headers, requestId}; rejects with ApiError (or AbortError).
   */
  async request(method, path, { query, body, auth = false, signal, cache, headers: extraHeaders } = {}) {
    const url = new URL(API_BASE + path, window.location.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers = { Accept: 'application/json, application/problem+json', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = auth ? session.token() : null;
    if (token) headers.Authorization = `Bearer ${token}`;

    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache,
        credentials: 'same-origin',
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError({ status: 0, title: DEFAULT_TITLES[0], detail: 'Check your connection and try again.' });
    }
    const requestId = response.headers.get('X-Request-Id');
    const data = await readBody(response);
    if (!response.ok) {
      if (response.status === 401 && token) session.clear(); // the token expired or was revoked
      throw problemFrom(response, data, requestId);
    }
    return { data, status: response.status, headers: response.headers, requestId };
  },

  /** GET /products -> {items, page (1-based), size, total, pages}; see pageBase below. */
  async listProducts({ q = '', category = '', page = 1, size = PAGE_SIZE } = {}, signal) {
    if (pageBase.value === null && page > 1) await pageBase.learn(signal);
    const query = { q, category, size };
    if (pageBase.value !== null) query.page = page - 1 + pageBase.value;
    const { data } = await api.request('GET', '/products', { query, signal });
    if (!('page' in query)) pageBase.learnFrom(data);
    return normalizeProductPage(data, page, size);
  },

  /**
   * GET /products/{id} -> {product, cache: "HIT" | "MISS" | ... | null, cacheRaw, age, fromBrowser}.
   * The default cache mode on purpose: 'no-cache' or 'reload' would add a request
   * Cache-Control header that makes a standards-minded edge skip its own cache.
   */
  async getProduct(id, signal) {
    const path = `/products/${encodeURIComponent(id)}`;
    // the inventory is where stock lives (the catalog's copy is the stock it was seeded with),
    // asked at the same time; without an answer from it the catalog's figure stands
    const [{ data, headers }, stock] = await Promise.all([
      api.request('GET', path, { signal }),
      api.request('GET', `/inventory/${encodeURIComponent(id)}`, { signal }).then(({ data: level }) => level, () => null),
    ]);
    const product = normalizeProduct(data);
    if (Number.isFinite(Number(stock?.available))) product.stock = Number(stock.available);
    const cacheRaw = headers.get('X-Cache');
    return {
      product,
      cache: cacheRaw ? cacheRaw.trim().split(/[\s,;]+/)[0].toUpperCase() : null,
      cacheRaw,
      age: headers.get('Age'),
      fromBrowser: servedByBrowserCache(new URL(API_BASE + path, window.location.origin).href),
    };
  },

  /** GET /categories -> ["name", ...]; accepts [{name}], ["name"] or {items: [...]}. */
  async listCategories(signal) {
    const { data } = await api.request('GET', '/categories', { signal });
    return categoryNames(data);
  },

  register({ email, password, name }) {
    return api.request('POST', '/users', { body: { email, password, name } });
  },

  signIn({ email, password }) {
    return api.request('POST', '/auth/token', { body: { email, password } });
  },

  me(signal) {
    return api.request('GET', '/users/me', { auth: true, signal });
  },

  /*
   * Orders and notifications change while a page shows them, so they never come from the
   * browser's HTTP cache ('no-store'); they carry a Bearer token, so no shared cache keeps them.
   */

  /**
   * POST /orders -> the accepted order (202, status PENDING). The same Idempotency-Key with the
   * same body answers the same order again, so a retry after a lost answer never orders twice.
   */
  async placeOrder(body, idempotencyKey) {
    const { data, headers } = await api.request('POST', '/orders', {
      body, auth: true, headers: { 'Idempotency-Key': idempotencyKey },
    });
    const order = normalizeOrder(data);
    if (!order.id) order.id = /\/orders\/([^/?#]+)/.exec(headers.get('Location') ?? '')?.[1] ?? '';
    return order;
  },

  async getOrder(id, signal) {
    const { data } = await api.request('GET', `/orders/${encodeURIComponent(id)}`, { auth: true, signal, cache: 'no-store' });
    return normalizeOrder(data);
  },

  /** GET /orders -> the caller's orders, newest first: {items, page (1-based), size, total, pages, hasNext}. */
  async listOrders({ page = 1, size = LIST_SIZE } = {}, signal) {
    const { data } = await api.request('GET', '/orders', { query: { page, size }, auth: true, signal, cache: 'no-store' });
    return normalizeListPage(data, page, size, normalizeOrder);
  },

  /** GET /notifications -> the caller's notifications, newest first, paged as listOrders. */
  async listNotifications({ page = 1, size = LIST_SIZE } = {}, signal) {
    const { data } = await api.request('GET', '/notifications', { query: { page, size }, auth: true, signal, cache: 'no-store' });
    return normalizeListPage(data, page, size, normalizeNotification);
  },
};

/*
 * The contract does not say whether `page` counts from 0 or 1. The first request of a
 * session omits `page`, so the server answers with its first page and tells us its base;
 * a deep link to a later page first asks for a one-item page to learn it. The storefront
 * itself (and the URL hash) always counts pages from 1.
 */
const pageBase = {
  KEY: 'archway.page_base',
  value: readPageBase(),
  learnFrom(data) {
    const page = Number(data?.page);
    if (page === 0 || page === 1) {
      this.value = page;
      try { sessionStorage.setItem(this.KEY, String(page)); } catch { /* storage unavailable */ }
    }
  },
  async learn(signal) {
    const { data } = await api.request('GET', '/products', { query: { size: 1 }, signal });
    this.learnFrom(data);
  },
};

function readPageBase() {
  try {
    const stored = sessionStorage.getItem('archway.page_base');
    return stored === '0' || stored === '1' ? Number(stored) : null;
  } catch {
    return null;
  }
}

/** True when the browser answered from its own HTTP cache (nothing crossed the network). */
function servedByBrowserCache(url) {
  const entries = performance.getEntriesByName?.(url, 'resource') ?? [];
  const last = entries[entries.length - 1];
  return Boolean(last && last.transferSize === 0 && last.decodedBodySize > 0);
}

function normalizeProduct(p) {
  const product = p && typeof p === 'object' ? p : {};
  const category = product.category;
  return {
    id: product.id,
    sku: product.sku ?? '',
    name: String(product.name ?? 'Unnamed product'),
    description: String(product.description ?? ''),
    category: String((category && typeof category === 'object' ? category.name : category) ?? ''),
    price: product.price && typeof product.price === 'object' ? product.price : null,
    imageUrl: safeUrl(product.image_url)
      ?? (product.id !== undefined ? `${API_BASE}/products/${encodeURIComponent(product.id)}/image` : null),
    stock: Number.isFinite(Number(product.stock)) && product.stock !== null ? Number(product.stock) : null,
  };
}

function normalizeProductPage(data, requestedPage, requestedSize) {
  const items = (Array.isArray(data) ? data : Array.isArray(data?.items) ? data.items : []).map(normalizeProduct);
  const size = Number(data?.size) > 0 ? Number(data.size) : requestedSize;
  const total = Number.isFinite(Number(data?.total)) && data?.total !== null ? Number(data.total) : null;
  const serverPage = Number(data?.page);
  const page = Number.isInteger(serverPage) && pageBase.value !== null ? serverPage - pageBase.value + 1 : requestedPage;
  const pages = total === null ? null : Math.max(1, Math.ceil(total / size));
  const hasNext = pages === null ? items.length >= size : page < pages;
  return { items, page, size, total, pages, hasNext };
}

/** A page of orders or notifications; their `page` counts from 1, as the contract says. */
function normalizeListPage(data, requestedPage, requestedSize, normalizeItem) {
  const items = (Array.isArray(data) ? data : Array.isArray(data?.items) ? data.items : []).map(normalizeItem);
  const size = Number(data?.size) > 0 ? Number(data.size) : requestedSize;
  const total = Number.isFinite(Number(data?.total)) && data?.total !== null ? Number(data.total) : null;
  const serverPage = Number(data?.page);
  const page = Number.isInteger(serverPage) && serverPage > 0 ? serverPage : requestedPage;
  const pages = total === null ? null : Math.max(1, Math.ceil(total / size));
  const hasNext = pages === null ? items.length >= size : page < pages;
  return { items, page, size, total, pages, hasNext };
}

/**
 * PENDING -> PAID -> CONFIRMED, or REJECTED (with a reason) from either of the first two.
 * `tone` picks the badge colour; a terminal status never changes again.
 */
const ORDER_STATUSES = {
  PENDING: { label: 'Pending', tone: 'pending', sentence: 'Order received. Waiting for the payment…' },
  PAID: { label: 'Paid', tone: 'paid', sentence: 'Payment accepted. Confirming your order…' },
  CONFIRMED: { label: 'Confirmed', tone: 'ok', terminal: true, sentence: 'Your order is confirmed.' },
  REJECTED: { label: 'Rejected', tone: 'danger', terminal: true, sentence: 'Your order was rejected.' },
};
const HAPPY_PATH = ['PENDING', 'PAID', 'CONFIRMED'];

const REJECTION_REASONS = {
  payment_declined: { text: 'Payment declined', help: 'The card was declined. You have not been charged.' },
  out_of_stock: { text: 'Out of stock', help: 'There was not enough stock to fill the order. You have not been charged.' },
};

function statusInfo(status) {
  return ORDER_STATUSES[status] ?? { label: humanize(status), tone: 'pending', sentence: `Status: ${humanize(status)}.` };
}

function isTerminal(status) {
  return Boolean(ORDER_STATUSES[status]?.terminal);
}

/** "payment_declined" -> "Payment declined", for reasons this storefront does not know yet. */
function humanize(code) {
  const text = String(code ?? '').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : 'Unknown';
}

function reasonInfo(reason) {
  return REJECTION_REASONS[reason] ?? { text: humanize(reason), help: 'You have not been charged.' };
}

function normalizeOrder(o) {
  const order = o && typeof o === 'object' ? o : {};
  const items = (Array.isArray(order.items) ? order.items : []).map((item) => {
    const quantity = Number.isFinite(Number(item?.quantity)) ? Number(item.quantity) : 0;
    const unitPrice = isMoney(item?.unit_price) ? item.unit_price : null;
    return {
      productId: item?.product_id ?? null,
      name: String(item?.name ?? (item?.product_id != null ? `Product ${item.product_id}` : 'Item')),
      quantity,
      unitPrice,
      lineTotal: isMoney(item?.line_total) ? item.line_total : timesMoney(unitPrice, quantity),
    };
  });
  const history = (Array.isArray(order.history) ? order.history : [])
    .map((entry) => ({ status: String(entry?.status ?? '').toUpperCase(), at: entry?.at ?? null }))
    .filter((entry) => entry.status);
  return {
    id: String(order.id ?? ''),
    status: String(order.status ?? 'PENDING').toUpperCase(),
    reason: order.reason ? String(order.reason) : null,
    items,
    total: isMoney(order.total) ? order.total : null,
    createdAt: order.created_at ?? history[0]?.at ?? null,
    updatedAt: order.updated_at ?? null,
    history,
  };
}

function normalizeNotification(n) {
  const note = n && typeof n === 'object' ? n : {};
  return {
    id: String(note.id ?? ''),
    kind: String(note.kind ?? ''),
    orderId: note.order_id != null ? String(note.order_id) : null,
    subject: String(note.subject ?? 'Notification'),
    body: String(note.body ?? ''),
    createdAt: note.created_at ?? null,
  };
}

function categoryNames(data) {
  const list = Array.isArray(data) ? data : [data?.items, data?.categories].find(Array.isArray) ?? [];
  const names = list
    .map((c) => (typeof c === 'string' ? c : c?.name ?? c?.slug ?? c?.id))
    .filter((name) => name !== undefined && name !== null && String(name).trim() !== '')
    .map(String);
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** Categories for the filter; if the endpoint is missing or failing, derive them from page 1. */
let categoriesPromise = null;
function loadCategories() {
  categoriesPromise ??= api.listCategories().catch(async () => {
    try {
      const first = await api.listProducts({ page: 1, size: PAGE_SIZE });
      return categoryNames(first.items.map((p) => p.category));
    } catch {
      categoriesPromise = null; // try again next time the catalog mounts
      return [];
    }
  });
  return categoriesPromise;
}

/* ───────────────────────────── 4. session ───────────────────────────── */

const SESSION_KEY = 'archway.session';

const session = {
  user: null, // {id, email, name, roles, created_at} from GET /users/me
  memory: null, // used when sessionStorage is unavailable
  listeners: new Set(),

  read() {
    let stored = this.memory;
    try {
      const raw = sessionStorage.getItem(SESSION_KEY);
      stored = raw ? JSON.parse(raw) : null;
    } catch { /* storage unavailable: keep the in-memory copy */ }
    if (!stored?.access_token) return null;
    if (stored.expires_at && Date.now() >= stored.expires_at) {
      this.clear();
      return null;
    }
    return stored;
  },

  token() {
    return this.read()?.access_token ?? null;
  },

  signedIn() {
    return this.token() !== null;
  },

  /** Keeps a POST /auth/token answer: {access_token, token_type, expires_in}. */
  save(tokenResponse) {
    const expiresIn = Number(tokenResponse.expires_in);
    this.memory = {
      access_token: String(tokenResponse.access_token),
      expires_at: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : null,
    };
    try { sessionStorage.setItem(SESSION_KEY, JSON.stringify(this.memory)); } catch { /* memory only */ }
    this.changed();
  },

  clear() {
    const had = this.memory !== null || this.user !== null || hasStoredSession();
    this.memory = null;
    this.user = null;
    try { sessionStorage.removeItem(SESSION_KEY); } catch { /* memory only */ }
    if (had) this.changed();
  },

  setUser(user) {
    this.user = user && typeof user === 'object' ? user : null;
    this.changed();
  },

  onChange(listener) {
    this.listeners.add(listener);
  },

  changed() {
    for (const listener of this.listeners) listener();
  },
};

function hasStoredSession() {
  try { return sessionStorage.getItem(SESSION_KEY) !== null; } catch { return false; }
}

/** Asks GET /users/me who the token belongs to; a 401 has already cleared the session. */
async function refreshUser() {
  if (!session.signedIn()) return;
  try {
    const { data } = await api.me();
    session.setUser(data);
  } catch {
    // 401: signed out by api.request. Anything else: stay signed in, name unknown for now.
  }
}

async function signInWith(email, password) {
  const { data } = await api.signIn({ email, password });
  if (!data?.access_token) {
    throw new ApiError({ status: 502, title: 'Sign-in failed', detail: 'The server did not return a token.' });
  }
  session.save(data);
  await refreshUser();
}

/*
 * The cart lives in localStorage, so it outlasts the tab and is shared by the tabs of this
 * browser (the `storage` event keeps them in step). It keeps what the shopper saw (name,
 * unit price) for display only; the order service prices the order itself.
 */
const CART_KEY = 'archway.cart';

const cart = {
  memory: [], // used when localStorage is unavailable
  memoryOnly: false,
  listeners: new Set(),

  /** [{productId, name, unitPrice: money | null, imageUrl, quantity}], in the order added. */
  lines() {
    if (this.memoryOnly) return this.memory.map((line) => ({ ...line }));
    let raw;
    try {
      raw = localStorage.getItem(CART_KEY);
    } catch {
      this.memoryOnly = true;
      return this.lines();
    }
    if (raw === null) return [];
    try {
      return cartLines(JSON.parse(raw)?.lines);
    } catch {
      return []; // not ours, or damaged: an empty cart rather than a broken page
    }
  },

  line(productId) {
    return this.lines().find((line) => sameId(line.productId, productId)) ?? null;
  },

  /** Units in the cart, for the badge. */
  count() {
    return this.lines().reduce((sum, line) => sum + line.quantity, 0);
  },

  /** Adds units of a product (normalized as from the API); the caller has checked the limits. */
  add(product, quantity) {
    const lines = this.lines();
    const existing = lines.find((line) => sameId(line.productId, product.id));
    const snapshot = { name: product.name, unitPrice: product.price, imageUrl: product.imageUrl };
    if (existing) Object.assign(existing, snapshot, { quantity: clampQuantity(existing.quantity + quantity) });
    else lines.push({ productId: product.id, ...snapshot, quantity: clampQuantity(quantity) });
    this.write(lines);
  },

  setQuantity(productId, quantity) {
    const lines = this.lines();
    const line = lines.find((l) => sameId(l.productId, productId));
    if (!line || line.quantity === clampQuantity(quantity)) return;
    line.quantity = clampQuantity(quantity);
    this.write(lines);
  },

  /** Keeps a line's name and price current with the catalog; returns the line as it was. */
  refresh(product) {
    const lines = this.lines();
    const line = lines.find((l) => sameId(l.productId, product.id));
    if (!line) return null;
    const before = { ...line };
    const price = isMoney(product.price) ? product.price : line.unitPrice;
    const imageUrl = safeUrl(product.imageUrl); // absolute, as stored lines read back
    if (line.name === product.name && sameMoney(line.unitPrice, price) && line.imageUrl === imageUrl) return before;
    Object.assign(line, { name: product.name, unitPrice: price, imageUrl });
    this.write(lines);
    return before;
  },

  remove(productId) {
    const lines = this.lines();
    const rest = lines.filter((line) => !sameId(line.productId, productId));
    if (rest.length !== lines.length) this.write(rest);
  },

  clear() {
    this.write([]);
  },

  write(lines) {
    this.memory = lines;
    if (!this.memoryOnly) {
      try {
        if (lines.length === 0) localStorage.removeItem(CART_KEY);
        else localStorage.setItem(CART_KEY, JSON.stringify({ lines: lines.map(storedLine) }));
      } catch {
        this.memoryOnly = true; // full or unavailable: this tab keeps the cart in memory
      }
    }
    this.changed();
  },

  /** listener() after every change, here or in another tab; returns the way to stop. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  },

  changed() {
    for (const listener of [...this.listeners]) listener();
  },
};

window.addEventListener('storage', (event) => {
  if (event.key === CART_KEY || event.key === null) cart.changed();
});

function sameId(a, b) {
  return a !== null && a !== undefined && String(a) === String(b);
}

function sameMoney(a, b) {
  return isMoney(a) && isMoney(b) ? Number(a.amount) === Number(b.amount) && a.currency === b.currency : a === b;
}

function clampQuantity(n) {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(n)));
}

/** "3" -> 3; anything that is not a whole number from 1 to MAX_QUANTITY -> null. */
function parseQuantity(text) {
  const value = String(text ?? '').trim();
  if (!/^\d{1,3}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_QUANTITY ? n : null;
}

function storedLine(line) {
  return {
    product_id: line.productId,
    name: line.name,
    unit_price: line.unitPrice,
    image_url: line.imageUrl,
    quantity: line.quantity,
  };
}

/** The stored lines, checked: bad entries dropped, quantities kept to 1-100, one line per product. */
function cartLines(stored) {
  const lines = [];
  for (const entry of Array.isArray(stored) ? stored : []) {
    const productId = entry?.product_id;
    const quantity = Number(entry?.quantity);
    if ((typeof productId !== 'number' && typeof productId !== 'string') || String(productId) === '') continue;
    if (!Number.isFinite(quantity) || quantity < 1) continue;
    const existing = lines.find((line) => sameId(line.productId, productId));
    if (existing) {
      existing.quantity = clampQuantity(existing.quantity + quantity);
      continue;
    }
    lines.push({
      productId,
      name: String(entry.name ?? `Product ${productId}`),
      unitPrice: isMoney(entry.unit_price) ? { amount: Number(entry.unit_price.amount), currency: String(entry.unit_price.currency || 'USD') } : null,
      imageUrl: safeUrl(entry.image_url),
      quantity: clampQuantity(quantity),
    });
  }
  return lines;
}

/**
 * One checkout attempt: its Idempotency-Key and the body it was sent with. Placing the same
 * order again (after a network error, a 5xx, a reload) reuses the key, so the server answers
 * the order it may already have made instead of making a second one. A different body (the
 * cart or the card changed) is a new attempt with a new key. Kept in sessionStorage.
 */
const checkoutAttempt = {
  KEY: 'archway.checkout_attempt',
  memory: null,

  keyFor(body) {
    const json = JSON.stringify(body);
    const stored = this.read();
    if (stored?.body === json && typeof stored.key === 'string') return stored.key;
    this.memory = { key: newIdempotencyKey(), body: json };
    try { sessionStorage.setItem(this.KEY, JSON.stringify(this.memory)); } catch { /* memory only */ }
    return this.memory.key;
  },

  read() {
    try {
      const raw = sessionStorage.getItem(this.KEY);
      return raw ? JSON.parse(raw) : this.memory;
    } catch {
      return this.memory;
    }
  },

  /** The attempt is over: the order was accepted, or refused so that no order exists. */
  clear() {
    this.memory = null;
    try { sessionStorage.removeItem(this.KEY); } catch { /* memory only */ }
  },
};

/** A random UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/* ───────────────────────────── 5. chrome ───────────────────────────── */

/**
 * The header navigation. `auth: true` items show only when signed in; `within` lists the
 * routes that belong to an item (the link is marked current there too); `count` is a badge.
 */
const NAV_ITEMS = [
  { route: 'catalog', href: '#/', label: 'Catalog', within: ['product'] },
  { route: 'cart', href: '#/cart', label: 'Cart', within: ['checkout'], count: () => cart.count() },
  { route: 'orders', href: '#/orders', label: 'Orders', auth: true, within: ['order'] },
  { route: 'notifications', href: '#/notifications', label: 'Notifications', auth: true },
];

const chrome = {
  activeRoute: null,

  renderNav() {
    const list = document.getElementById('nav-links');
    const signedIn = session.signedIn();
    list.replaceChildren(...NAV_ITEMS
      .filter((item) => !item.auth || signedIn)
      .map((item) => {
        const current = item.route === this.activeRoute ? 'page' : item.within?.includes(this.activeRoute) ? 'true' : null;
        const count = item.count?.() ?? 0;
        return h('li', {},
          h('a', {
            href: item.href,
            'aria-current': current,
            'aria-label': count ? `${item.label}, ${plural(count, 'item', 'items')}` : null,
          },
          item.label,
          count ? h('span', { class: 'nav-count', id: `${item.route}-count`, 'aria-hidden': 'true' }, count > 99 ? '99+' : String(count)) : null));
      }));
  },

  renderAccount() {
    const area = document.getElementById('account');
    if (!session.signedIn()) {
      const current = (route) => (this.activeRoute === route ? 'page' : null);
      area.replaceChildren(
        h('a', { href: '#/signin', class: 'button button-quiet', 'aria-current': current('signin') }, 'Sign in'),
        h('a', { href: '#/register', class: 'button button-primary', 'aria-current': current('register') }, 'Register'),
      );
      return;
    }
    const who = session.user?.name || session.user?.email;
    area.replaceChildren(
      h('span', { class: 'signed-in' }, who ? ['Signed in as ', h('strong', {}, who)] : 'Signed in'),
      h('button', { type: 'button', class: 'button button-quiet', onclick: signOut }, 'Sign out'),
    );
  },

  setActive(routeName) {
    if (routeName === this.activeRoute) return;
    this.activeRoute = routeName;
    this.render();
  },

  render() {
    this.renderNav();
    this.renderAccount();
  },
};

function signOut() {
  session.clear();
  flash('You are signed out.');
  if (router.current?.definition.auth) router.go('#/'); // a page for signed-in users only
}

let flashTimer = 0;
function flash(message) {
  const box = document.getElementById('flash');
  clearTimeout(flashTimer);
  box.replaceChildren(h('p', { class: 'flash-message' }, message));
  flashTimer = setTimeout(() => box.replaceChildren(), FLASH_MS);
}

/** A problem shown to people: title, detail and the request id to trace it by. */
function errorBox(err, { retry, extra } = {}) {
  const problem = err instanceof ApiError
    ? err
    : new ApiError({ status: 0, title: 'Something went wrong', detail: 'Please reload the page.' });
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, problem.title),
    problem.detail && problem.detail !== problem.title ? h('p', {}, problem.detail) : null,
    extra ?? null,
    problem.requestId ? requestIdLine(problem.requestId) : null,
    retry ? h('button', { type: 'button', class: 'button', onclick: retry }, 'Try again') : null);
}

function requestIdLine(requestId) {
  return h('p', { class: 'request-id' }, 'Request ID: ', h('code', {}, requestId));
}

/** The sign-in page, coming back to `next` (this page by default) afterwards. */
function signInHash(next = window.location.hash || '#/') {
  return `#/signin?next=${encodeURIComponent(next)}`;
}

/** An errorBox for pages of signed-in users: a 401 (the session is over) offers to sign in again. */
function accountErrorBox(err, { retry, extra } = {}) {
  if (err?.status === 401) {
    return errorBox(err, { extra: h('p', {}, h('a', { href: signInHash() }, 'Sign in again')) });
  }
  return errorBox(err, { retry, extra });
}

/* ───────────────────────────── 6. pages ───────────────────────────── */
/*
 * A page is mount(main, route) -> view, where route = {name, path, params, match} and the
 * optional view has update(route) (same page, new parameters) and unmount(). Whatever a page
 * starts (requests, timers, cart listeners) its unmount() stops.
 */

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

/* Catalog: #/?q=&category=&page= */

function catalogState(params) {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: (params.get('q') ?? '').trim(),
    category: params.get('category') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function catalogHash({ q = '', category = '', page = 1 }) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (category) params.set('category', category);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

let lastCatalogHash = '#/';

function mountCatalog(main, route) {
  let state = catalogState(route.params);
  let controller = null;
  let debounceTimer = 0;
  let typing = false; // one history entry per search edit, not one per keystroke

  const search = h('input', {
    type: 'search', id: 'catalog-q', name: 'q', placeholder: 'Search products',
    autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search',
  });
  const category = h('select', { id: 'catalog-category', name: 'category' },
    h('option', { value: '' }, 'All categories'));
  const count = h('p', { class: 'result-count', role: 'status' });
  const status = h('div', { class: 'status-slot' });
  const grid = h('ul', { class: 'product-grid', 'aria-label': 'Products' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pagination' });

  const form = h('form', { class: 'toolbar', role: 'search', onsubmit: (e) => { e.preventDefault(); commitSearch(false); } },
    h('div', { class: 'field field-grow' }, h('label', { for: search.id }, 'Search'), search),
    h('div', { class: 'field' }, h('label', { for: category.id }, 'Category'), category));

  main.replaceChildren(h('section', { class: 'catalog' },
    h('div', { class: 'page-head' }, heading('Catalog'), count),
    form, status, grid, pager));

  search.addEventListener('input', () => {
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => commitSearch(true), SEARCH_DEBOUNCE_MS);
  });
  search.addEventListener('change', () => commitSearch(true));
  search.addEventListener('blur', () => {
    commitSearch(true);
    typing = false;
  });
  category.addEventListener('change', () => {
    typing = false;
    router.go(catalogHash({ ...state, category: category.value, page: 1 }));
  });

  function commitSearch(fromTyping) {
    clearTimeout(debounceTimer);
    debounceTimer = 0;
    const q = search.value.trim();
    if (q !== state.q) router.go(catalogHash({ ...state, q, page: 1 }), { replace: fromTyping && typing });
    typing = fromTyping;
  }

  async function fillCategories() {
    const names = await loadCategories();
    const options = state.category && !names.includes(state.category) ? [state.category, ...names] : names;
    category.replaceChildren(
      h('option', { value: '' }, 'All categories'),
      ...options.map((name) => h('option', { value: name }, name)));
    category.value = state.category;
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    status.replaceChildren();
    grid.setAttribute('aria-busy', 'true');
    if (grid.children.length === 0) grid.replaceChildren(...skeletonCards(6));
    grid.classList.add('is-loading');
    try {
      const result = await api.listProducts(state, signal);
      if (result.pages !== null && state.page > result.pages && result.total > 0) {
        router.go(catalogHash({ ...state, page: result.pages }), { replace: true });
        return;
      }
      renderResults(result);
    } catch (err) {
      if (isAbort(err)) return;
      grid.replaceChildren();
      pager.replaceChildren();
      count.textContent = '';
      status.replaceChildren(errorBox(err, { retry: load }));
    } finally {
      if (!signal.aborted) {
        grid.removeAttribute('aria-busy');
        grid.classList.remove('is-loading');
      }
    }
  }

  function renderResults(result) {
    count.textContent = resultCountText(result, state);
    if (result.items.length === 0) {
      grid.replaceChildren();
      pager.replaceChildren();
      status.replaceChildren(h('div', { class: 'notice' },
        h('p', { class: 'notice-title' }, 'No products found'),
        state.q || state.category
          ? h('p', {}, 'Nothing matches these filters. ', h('a', { href: '#/' }, 'Show all products'))
          : h('p', {}, 'The catalog is empty for now.')));
      return;
    }
    grid.replaceChildren(...result.items.map(productCard));
    renderPager(result);
  }

  function renderPager(result) {
    fillPager(pager, result, (target) => catalogHash({ ...state, page: target }));
  }

  function update(next) {
    const previous = state;
    state = catalogState(next.params);
    lastCatalogHash = catalogHash(state);
    // Follow the hash (back/forward, links) unless the visitor is still typing.
    if (!debounceTimer && search.value.trim() !== state.q) search.value = state.q;
    document.title = state.q ? `“${state.q}” · Catalog · Archway` : 'Catalog · Archway';
    fillCategories();
    if (previous.page !== state.page && next !== route) grid.closest('section')?.scrollIntoView({ block: 'start' });
    load();
  }

  update(route);
  return {
    update,
    unmount() {
      controller?.abort();
      clearTimeout(debounceTimer);
    },
  };
}

/** ← Previous · Page 2 of 5 · Next →, with hashFor(page) the address of a page. */
function fillPager(pager, { page, pages, hasNext }, hashFor) {
  const link = (target, label, rel, enabled) => (enabled
    ? h('a', { class: 'button', href: hashFor(target), rel }, label)
    : h('span', { class: 'button is-disabled', 'aria-disabled': 'true' }, label));
  pager.replaceChildren(
    link(page - 1, '← Previous', 'prev', page > 1),
    h('span', { class: 'pager-label' }, pages ? `Page ${page} of ${pages}` : `Page ${page}`),
    link(page + 1, 'Next →', 'next', hasNext));
}

function resultCountText({ total, items }, { q, category }) {
  const n = total ?? items.length;
  const what = q ? plural(n, 'result', 'results') : plural(n, 'product', 'products');
  const where = [q ? `for “${q}”` : '', category ? `in ${category}` : ''].filter(Boolean).join(' ');
  return where ? `${what} ${where}` : what;
}

function productImage(product, className) {
  const placeholder = () => h('div', { class: `${className} image-placeholder`, 'aria-hidden': 'true' },
    product.name.trim().charAt(0).toUpperCase() || '?');
  if (!product.imageUrl) return placeholder();
  const img = h('img', {
    class: className, src: product.imageUrl, alt: product.name,
    loading: 'lazy', decoding: 'async', width: '400', height: '300',
  });
  img.addEventListener('error', () => img.replaceWith(placeholder()), { once: true });
  return img;
}

function productCard(product) {
  const href = `#/products/${encodeURIComponent(product.id)}`;
  const soldOut = product.stock !== null && product.stock <= 0;
  return h('li', { class: 'card' },
    h('a', { class: 'card-link', href },
      h('div', { class: 'card-media' }, productImage(product, 'card-image')),
      h('div', { class: 'card-body' },
        product.category ? h('p', { class: 'card-category' }, product.category) : null,
        h('h2', { class: 'card-title' }, product.name),
        h('p', { class: 'card-footer' },
          h('span', { class: 'price' }, formatMoney(product.price)),
          soldOut ? h('span', { class: 'tag tag-out' }, 'Out of stock') : null))),
    soldOut ? null : h('div', { class: 'card-actions' },
      h('button', {
        type: 'button',
        class: 'button button-small card-add',
        'aria-label': `Add ${product.name} to the cart`,
        onclick: () => {
          const refusal = addToCart(product, 1);
          if (refusal) flash(refusal);
        },
      }, 'Add to cart')));
}

/**
 * Puts `quantity` units of a product in the cart and says so; returns why it did not
 * (the per-order limit, or more than the known stock), or null.
 */
function addToCart(product, quantity) {
  const inCart = cart.line(product.id)?.quantity ?? 0;
  const already = inCart ? ` You already have ${inCart.toLocaleString()} in your cart.` : '';
  if (product.stock !== null && product.stock <= 0) return `${product.name} is out of stock.`;
  if (inCart + quantity > MAX_QUANTITY) return `At most ${MAX_QUANTITY} of one product per order.${already}`;
  if (product.stock !== null && inCart + quantity > product.stock) {
    return `Only ${product.stock.toLocaleString()} in stock.${already}`;
  }
  cart.add(product, quantity);
  flash(quantity === 1 ? `Added ${product.name} to your cart.` : `Added ${quantity} × ${product.name} to your cart.`);
  return null;
}

function skeletonCards(n) {
  return Array.from({ length: n }, () => h('li', { class: 'card card-skeleton', 'aria-hidden': 'true' },
    h('div', { class: 'card-media' }), h('div', { class: 'card-body' }, h('span'), h('span'))));
}

/* Product: #/products/{id} */

function mountProduct(main, route) {
  const id = route.match[1];
  const controller = new AbortController();
  const back = h('p', { class: 'back' }, h('a', { href: lastCatalogHash }, '← Back to the catalog'));
  main.replaceChildren(back, h('p', { class: 'loading', role: 'status' }, 'Loading product…'));

  api.getProduct(id, controller.signal)
    .then(({ product, cache, cacheRaw, age, fromBrowser }) => {
      document.title = `${product.name} · Archway`;
      const buy = addToCartForm(product);
      stopForm = buy.stop;
      main.replaceChildren(back, productDetail(product, buy.element, edgeBadge(cache, cacheRaw, age, fromBrowser)));
      router.focusHeading();
    })
    .catch((err) => {
      if (isAbort(err)) return;
      if (err.status === 404) {
        document.title = 'Product not found · Archway';
        main.replaceChildren(back, notFound('We could not find that product',
          'It may have been removed from the catalog, or the link is mistyped.', err.requestId));
      } else {
        main.replaceChildren(back, heading('Product'), errorBox(err, { retry: () => router.render({ force: true }) }));
      }
      router.focusHeading();
    });

  let stopForm = null;
  return {
    unmount() {
      controller.abort();
      stopForm?.();
    },
  };
}

function productDetail(product, buy, badge) {
  const inStock = product.stock !== null && product.stock > 0;
  const stockText = product.stock === null ? 'Stock unknown' : inStock ? `In stock: ${product.stock.toLocaleString()}` : 'Out of stock';
  const meta = [['SKU', product.sku], ['Category', product.category]].filter(([, value]) => value !== '');
  return h('article', { class: 'product' },
    h('div', { class: 'product-media' }, productImage(product, 'product-image')),
    h('div', { class: 'product-info' },
      product.category ? h('p', { class: 'eyebrow' }, product.category) : null,
      heading(product.name),
      h('p', { class: 'price price-large' }, formatMoney(product.price)),
      h('p', { class: `stock ${inStock ? 'stock-in' : 'stock-out'}` }, stockText),
      product.description ? h('p', { class: 'product-description' }, product.description) : null,
      buy,
      meta.length ? h('dl', { class: 'product-meta' }, meta.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])) : null,
      badge));
}

/** Quantity and "Add to cart", and what the cart already holds; stop() when the page goes. */
function addToCartForm(product) {
  const soldOut = product.stock !== null && product.stock <= 0;
  const id = uniqueId('f-quantity');
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const quantity = h('input', {
    id, name: 'quantity', type: 'number', inputmode: 'numeric', min: '1', max: String(MAX_QUANTITY), step: '1',
    value: '1', required: true, disabled: soldOut, 'aria-describedby': error.id,
  });
  const submit = h('button', { type: 'submit', class: 'button button-primary', disabled: soldOut }, 'Add to cart');
  const inCart = h('p', { class: 'in-cart' });
  const form = h('form', { class: 'add-to-cart', novalidate: true },
    h('div', { class: 'add-to-cart-row' },
      h('div', { class: 'field field-quantity' }, h('label', { for: id }, 'Quantity'), quantity),
      submit),
    error, inCart);

  function setError(message) {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) quantity.setAttribute('aria-invalid', 'true');
    else quantity.removeAttribute('aria-invalid');
  }

  function showInCart() {
    const n = cart.line(product.id)?.quantity ?? 0;
    inCart.replaceChildren(...(n ? [`In your cart: ${n.toLocaleString()}. `, h('a', { href: '#/cart' }, 'View cart')] : []));
  }

  quantity.addEventListener('input', () => setError(null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (soldOut) return;
    const n = parseQuantity(quantity.value);
    if (n === null) {
      setError(`Enter a whole number from 1 to ${MAX_QUANTITY}.`);
      quantity.focus();
      return;
    }
    const refusal = addToCart(product, n);
    setError(refusal);
    if (refusal) quantity.focus();
  });

  showInCart();
  return { element: form, stop: cart.onChange(showInCart) };
}

/**
 * "edge: HIT" - what the edge (CDN tier) did with this request, from X-Cache. When the
 * browser's own cache answered, the header is the stored one, and the badge says so.
 */
function edgeBadge(cache, raw, age, fromBrowser) {
  if (!cache) return null;
  const known = ['HIT', 'MISS', 'STALE', 'BYPASS'].includes(cache) ? cache.toLowerCase() : 'other';
  const tip = [
    `X-Cache: ${raw}`,
    age ? `Age: ${age} s` : '',
    fromBrowser ? 'served from the browser cache; the edge header is from when it was stored' : 'whether the edge answered from its cache',
  ].filter(Boolean).join(' · ');
  return h('p', { class: 'edge-badge-row' },
    h('span', { class: `edge-badge edge-${known}`, title: tip }, `edge: ${cache}`),
    fromBrowser ? h('span', { class: 'edge-badge', title: tip }, 'browser cache') : null);
}

function notFound(title, text, requestId) {
  return h('section', { class: 'not-found' },
    heading(title),
    h('p', {}, text),
    requestId ? requestIdLine(requestId) : null,
    h('p', {}, h('a', { class: 'button button-primary', href: '#/' }, 'Browse the catalog')));
}

function mountNotFound(main) {
  document.title = 'Page not found · Archway';
  main.replaceChildren(notFound('Page not found', 'There is no page at this address.'));
}

/* Forms: register and sign in */

/** A labelled input with a slot for its own error message. */
function field({ name, label, type = 'text', autocomplete, required = true }) {
  const id = uniqueId(`f-${name}`);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h('input', { id, name, type, autocomplete, required, 'aria-describedby': error.id });
  return {
    name,
    input,
    element: h('div', { class: 'field' }, h('label', { for: id }, label), input, error),
    /** A message shows under the input; `true` only marks it invalid; null clears. */
    setError(message) {
      error.textContent = typeof message === 'string' ? message : '';
      error.hidden = typeof message !== 'string' || message === '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

/** Wires a form: native validation, busy state, problem details shown inline. */
function authForm({ title, intro, fields, submitLabel, busyLabel, footer, onSubmit }) {
  const formError = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, submitLabel);
  const form = h('form', { class: 'auth-form', novalidate: false },
    formError, fields.map((f) => f.element), submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    formError.replaceChildren();
    fields.forEach((f) => f.setError(null));
    const values = Object.fromEntries(fields.map((f) => [f.name, f.name === 'password' ? f.input.value : f.input.value.trim()]));
    submit.disabled = true;
    submit.textContent = busyLabel;
    form.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(values, { showError });
    } catch (err) {
      showError(err);
    } finally {
      submit.disabled = false;
      submit.textContent = submitLabel;
      form.removeAttribute('aria-busy');
    }
  });

  function fieldByName(name) {
    return fields.find((f) => f.name === name);
  }

  function showError(err, extra) {
    for (const { field: name, message } of err?.fields ?? []) fieldByName(name)?.setError(message);
    formError.replaceChildren(errorBox(err, { extra }));
    form.querySelector('[aria-invalid="true"]')?.focus();
  }

  return h('section', { class: 'auth' },
    h('div', { class: 'auth-card' },
      heading(title),
      intro ? h('p', { class: 'auth-intro' }, intro) : null,
      form,
      footer ? h('p', { class: 'auth-footer' }, footer) : null));
}

/** Where to go after signing in: only a route of this app (#/...), never another site. */
function nextRoute(params) {
  const next = params.get('next') ?? '';
  return /^#\/(?!signin|register)/.test(next) ? next : lastCatalogHash;
}

/** A link between sign-in and register that keeps where to go afterwards. */
function keepNext(hash, params) {
  const next = params.get('next');
  return next ? `${hash}?next=${encodeURIComponent(next)}` : hash;
}

let prefillEmail = '';

function mountRegister(main, route) {
  const name = field({ name: 'name', label: 'Name', autocomplete: 'name' });
  const email = field({ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'email' });
  const password = field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' });

  main.replaceChildren(authForm({
    title: 'Create your account',
    intro: 'An account lets you place orders and follow them.',
    fields: [name, email, password],
    submitLabel: 'Create account',
    busyLabel: 'Creating account…',
    footer: ['Already registered? ', h('a', { href: keepNext('#/signin', route.params) }, 'Sign in')],
    async onSubmit(values, { showError }) {
      try {
        await api.register(values);
      } catch (err) {
        if (err.status === 409) {
          if (!err.detail) err.detail = 'This e-mail address is already registered.';
          email.setError(true);
          const signInLink = h('a', { href: keepNext('#/signin', route.params), onclick: () => { prefillEmail = values.email; } },
            'Sign in with this e-mail instead');
          showError(err, h('p', {}, signInLink));
          return;
        }
        throw err;
      }
      try {
        await signInWith(values.email, values.password);
        flash(`Welcome, ${values.name}! Your account is ready.`);
        router.go(nextRoute(route.params));
      } catch {
        prefillEmail = values.email;
        flash('Your account is ready. Please sign in.');
        router.go(keepNext('#/signin', route.params));
      }
    },
  }));
  if (session.signedIn()) main.prepend(alreadySignedIn());
}

function mountSignIn(main, route) {
  const email = field({ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username' });
  const password = field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' });
  email.input.value = prefillEmail;
  prefillEmail = '';

  main.replaceChildren(authForm({
    title: 'Sign in',
    intro: route.params.has('next') ? 'Sign in to carry on where you were.' : 'Welcome back to the Archway store.',
    fields: [email, password],
    submitLabel: 'Sign in',
    busyLabel: 'Signing in…',
    footer: ['New here? ', h('a', { href: keepNext('#/register', route.params) }, 'Create an account')],
    async onSubmit(values) {
      try {
        await signInWith(values.email, values.password);
      } catch (err) {
        if (err.status === 401 && !err.detail) err.detail = 'The e-mail or password is not right.';
        password.input.value = '';
        throw err;
      }
      flash(`Signed in as ${session.user?.name || session.user?.email || values.email}.`);
      router.go(nextRoute(route.params));
    },
  }));
  if (session.signedIn()) main.prepend(alreadySignedIn());
}

function alreadySignedIn() {
  const who = session.user?.name || session.user?.email;
  return h('div', { class: 'notice' },
    h('p', {}, who ? `You are already signed in as ${who}. ` : 'You are already signed in. ',
      h('a', { href: '#/' }, 'Continue shopping')));
}

/**
 * Runs task() now and again while a page shows it: task resolves to the wait (ms) before its
 * next run, or to null to stop. While it fails, the waits double from `base` up to
 * POLL_MAX_BACKOFF_MS; onError(err, failures) hears of each failure and returns false to stop.
 */
function repeatedly(task, { base, onError = () => true }) {
  let timer = 0;
  let stopped = false;
  let running = false;
  let failures = 0;

  async function run() {
    timer = 0;
    if (stopped || running) return;
    running = true;
    let wait = null;
    try {
      wait = await task();
      failures = 0;
    } catch (err) {
      running = false;
      if (stopped || isAbort(err)) return;
      failures += 1;
      wait = onError(err, failures) === false ? null : Math.min(POLL_MAX_BACKOFF_MS, base * 2 ** failures);
    }
    running = false;
    if (!stopped && wait !== null) timer = setTimeout(run, wait);
  }

  return {
    start() {
      run();
      return this;
    },
    /** Runs at once (a "Try again"), unless a run is under way. */
    now() {
      clearTimeout(timer);
      run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function statusBadge(status) {
  const info = statusInfo(status);
  return h('span', { class: `status-badge status-${info.tone}`, 'data-status': status }, info.label);
}

function productHash(productId) {
  return `#/products/${encodeURIComponent(productId)}`;
}

function orderHash(orderId) {
  return `#/orders/${encodeURIComponent(orderId)}`;
}

/** A list page's number from ?page= (1 when absent or nonsense). */
function listPageOf(params) {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/* Cart: #/cart */

function mountCart(main) {
  const title = heading('Your cart');
  const count = h('p', { class: 'result-count' });
  const body = h('div', { class: 'cart-body' });
  main.replaceChildren(h('section', { class: 'cart' }, h('div', { class: 'page-head' }, title, count), body));

  const controller = new AbortController();
  const rows = new Map(); // product id (as text) -> cartRow, in cart order
  const notes = new Map(); // product id -> what the catalog says now: {gone, stock, oldPrice}
  let list = null;
  let totals = null;

  function render() {
    const lines = cart.lines();
    const units = lines.reduce((sum, line) => sum + line.quantity, 0);
    count.textContent = lines.length ? plural(units, 'item', 'items') : '';
    if (lines.length === 0) {
      rows.clear();
      list = null;
      body.replaceChildren(h('div', { class: 'notice cart-empty' },
        h('p', { class: 'notice-title' }, 'Your cart is empty'),
        h('p', {}, 'Find something you like in the catalog and choose “Add to cart”.'),
        h('a', { class: 'button button-primary', href: lastCatalogHash }, 'Browse the catalog')));
      return;
    }
    if (!list) {
      list = h('ul', { class: 'cart-lines', 'aria-label': 'Items in your cart' });
      totals = h('div', { class: 'summary-totals' });
      body.replaceChildren(h('div', { class: 'cart-layout' },
        list,
        h('aside', { class: 'summary', 'aria-label': 'Cart summary' },
          h('h2', { class: 'summary-title' }, 'Summary'),
          totals,
          h('p', { class: 'summary-note' }, 'Prices and stock are checked again when you place the order.'),
          h('a', { class: 'button button-primary button-block', href: '#/checkout' }, 'Check out'),
          session.signedIn() ? null : h('p', { class: 'summary-note' }, 'You will sign in (or register) first.'),
          h('p', { class: 'summary-more' }, h('a', { href: lastCatalogHash }, 'Continue shopping')))));
    }
    const ids = new Set(lines.map((line) => String(line.productId)));
    for (const [id, row] of rows) {
      if (!ids.has(id)) {
        row.element.remove();
        rows.delete(id);
      }
    }
    for (const line of lines) {
      const id = String(line.productId);
      let row = rows.get(id);
      if (!row) {
        row = cartRow(line, removeLine);
        rows.set(id, row);
        list.append(row.element);
      }
      row.update(line, notes.get(id));
    }
    totals.replaceChildren(summaryTotals(lines));
  }

  function removeLine(line) {
    const order = [...rows.keys()];
    const at = order.indexOf(String(line.productId));
    cart.remove(line.productId); // renders at once, through the cart listener
    flash(`Removed ${line.name} from your cart.`);
    const next = rows.get(order[at + 1]) ?? rows.get(order[at - 1]);
    (next ? next.removeButton : title).focus();
  }

  /** Asks the catalog about each line (a few at a time): name and price now, stock, gone. */
  async function checkWithCatalog() {
    const queue = cart.lines();
    async function worker() {
      for (let line = queue.shift(); line; line = queue.shift()) {
        const id = String(line.productId);
        try {
          const { product } = await api.getProduct(line.productId, controller.signal);
          const before = cart.refresh(product);
          const oldPrice = before && isMoney(before.unitPrice) && isMoney(product.price)
            && !sameMoney(before.unitPrice, product.price) ? before.unitPrice : null;
          notes.set(id, { stock: product.stock, oldPrice });
        } catch (err) {
          if (isAbort(err)) return;
          if (err.status === 404) notes.set(id, { gone: true });
        }
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()]);
    if (!controller.signal.aborted) render();
  }

  render();
  const stopListening = cart.onChange(render);
  checkWithCatalog();
  return {
    unmount() {
      controller.abort();
      stopListening();
    },
  };
}

/** One line of the cart page; update(line, note) brings it up to date without rebuilding it. */
function cartRow(line, onRemove) {
  const inputId = uniqueId('f-cart-quantity');
  const error = h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true });
  const input = h('input', {
    id: inputId, name: 'quantity', class: 'quantity-input', type: 'number', inputmode: 'numeric',
    min: '1', max: String(MAX_QUANTITY), step: '1', value: String(line.quantity), 'aria-describedby': error.id,
  });
  const name = h('a', { href: productHash(line.productId) });
  const unit = h('p', { class: 'cart-line-unit' });
  const note = h('p', { class: 'cart-line-note', hidden: true });
  const total = h('p', { class: 'cart-line-total price' });
  const removeButton = h('button', { type: 'button', class: 'button button-quiet button-small cart-line-remove' }, 'Remove');
  let current = line;

  function setError(message) {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  input.addEventListener('input', () => {
    const n = parseQuantity(input.value);
    if (n === null) {
      // an empty box is someone still typing; anything else is worth saying at once
      setError(input.value.trim() === '' ? null : `Enter a whole number from 1 to ${MAX_QUANTITY}.`);
      return;
    }
    setError(null);
    cart.setQuantity(current.productId, n);
  });
  input.addEventListener('change', () => {
    if (parseQuantity(input.value) !== null) return;
    input.value = String(current.quantity);
    setError(`Quantities go from 1 to ${MAX_QUANTITY}; it is back to ${current.quantity}. To take it out, choose Remove.`);
  });
  removeButton.addEventListener('click', () => onRemove(current));

  const element = h('li', { class: 'cart-line', 'data-product-id': String(line.productId) },
    h('div', { class: 'cart-line-media', 'aria-hidden': 'true' },
      productImage({ name: line.name, imageUrl: line.imageUrl }, 'cart-line-image')),
    h('div', { class: 'cart-line-info' }, h('h2', { class: 'cart-line-name' }, name), unit, note),
    h('div', { class: 'field cart-line-quantity' }, h('label', { for: inputId }, 'Quantity'), input, error),
    total,
    removeButton);

  return {
    element,
    removeButton,
    update(next, catalog) {
      current = next;
      name.textContent = next.name;
      removeButton.setAttribute('aria-label', `Remove ${next.name} from the cart`);
      input.setAttribute('aria-label', `Quantity of ${next.name}`);
      unit.textContent = isMoney(next.unitPrice) ? `${formatMoney(next.unitPrice)} each` : '';
      total.textContent = formatMoney(timesMoney(next.unitPrice, next.quantity));
      const typing = document.activeElement === input && parseQuantity(input.value) === null;
      if (!typing && parseQuantity(input.value) !== next.quantity) input.value = String(next.quantity);

      const messages = [];
      if (catalog?.gone) messages.push('No longer in the catalog: remove it to check out.');
      else if (catalog?.stock !== null && catalog?.stock !== undefined) {
        if (catalog.stock <= 0) messages.push('Out of stock.');
        else if (catalog.stock < next.quantity) messages.push(`Only ${catalog.stock.toLocaleString()} in stock.`);
      }
      if (catalog?.oldPrice) messages.push(`The price changed from ${formatMoney(catalog.oldPrice)}.`);
      note.textContent = messages.join(' ');
      note.hidden = messages.length === 0;
      element.classList.toggle('has-warning', messages.length > 0);
    },
  };
}

function summaryTotals(lines) {
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  return h('dl', { class: 'summary-lines' },
    h('dt', {}, 'Items'), h('dd', {}, units.toLocaleString()),
    h('dt', { class: 'summary-total' }, 'Total'),
    h('dd', { class: 'summary-total price' }, formatTotal(lines.map((line) => timesMoney(line.unitPrice, line.quantity)))));
}

/* Checkout: #/checkout (signed in) */

/** The payment provider is simulated: each test card makes it answer one way. */
const TEST_CARDS = [
  { token: 'tok_visa', label: 'Visa test card', hint: 'The payment is approved.' },
  { token: 'tok_decline', label: 'Declining test card', hint: 'The payment is declined, so the order is rejected.' },
  { token: 'tok_slow', label: 'Slow test card', hint: 'The payment is approved after a couple of seconds.' },
];

/** Statuses after which the order may exist after all: a retry must reuse the Idempotency-Key. */
function outcomeUnknown(err) {
  return err?.status === 0 || err?.status === 408 || err?.status === 409 || err?.status === 429 || err?.status >= 500;
}

function mountCheckout(main) {
  let mounted = true;
  let submitting = false;
  const formError = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Place order');
  const cards = h('fieldset', { class: 'choices' },
    h('legend', {}, 'Test card'),
    h('p', { class: 'choices-intro' }, 'This store is a demo: no real card is charged. Pick how the simulated payment provider answers.'),
    TEST_CARDS.map((card, i) => {
      const id = uniqueId('f-card');
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'payment_token', id, value: card.token, checked: i === 0, 'aria-describedby': `${id}-hint` }),
        h('label', { for: id }, card.label, ' ', h('code', {}, card.token)),
        h('p', { class: 'choice-hint', id: `${id}-hint` }, card.hint));
    }));
  const form = h('form', { class: 'checkout-form' },
    formError, cards, submit,
    h('p', { class: 'summary-note' }, 'Once placed, the order page follows it until it is confirmed or rejected.'));
  const summary = h('aside', { class: 'summary', 'aria-label': 'Order summary' });
  const body = h('div', { class: 'checkout-body' });

  main.replaceChildren(h('section', { class: 'checkout' },
    h('p', { class: 'back' }, h('a', { href: '#/cart' }, '← Back to the cart')),
    h('div', { class: 'page-head' }, heading('Checkout')),
    body));

  function render() {
    const lines = cart.lines();
    if (lines.length === 0) {
      body.replaceChildren(h('div', { class: 'notice' },
        h('p', { class: 'notice-title' }, 'Your cart is empty'),
        h('p', {}, 'There is nothing to check out yet.'),
        h('a', { class: 'button button-primary', href: lastCatalogHash }, 'Browse the catalog')));
      return;
    }
    summary.replaceChildren(
      h('h2', { class: 'summary-title' }, 'Order summary'),
      h('ul', { class: 'summary-items' }, lines.map((line) => h('li', {},
        h('span', { class: 'summary-item-name' }, line.name, h('span', { class: 'summary-item-quantity' }, ` × ${line.quantity}`)),
        h('span', { class: 'price' }, formatMoney(timesMoney(line.unitPrice, line.quantity)))))),
      summaryTotals(lines),
      h('p', { class: 'summary-more' }, h('a', { href: '#/cart' }, 'Edit the cart')));
    if (!body.contains(form)) body.replaceChildren(h('div', { class: 'cart-layout' }, form, summary));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submitting) return;
    const lines = cart.lines();
    if (lines.length === 0) return;
    if (!session.signedIn()) {
      router.go(signInHash('#/checkout'));
      return;
    }
    const body = {
      items: lines.map((line) => ({ product_id: line.productId, quantity: line.quantity })),
      payment_token: form.elements.payment_token.value || TEST_CARDS[0].token,
    };
    const key = checkoutAttempt.keyFor(body);
    submitting = true;
    submit.disabled = true;
    submit.textContent = 'Placing order…';
    form.setAttribute('aria-busy', 'true');
    formError.replaceChildren();
    try {
      const order = await api.placeOrder(body, key);
      checkoutAttempt.clear();
      stopListening(); // this page does not show "Your cart is empty" on its way out
      cart.clear();
      flash(`Thank you! Order ${shortId(order.id)} is placed.`);
      if (mounted) router.go(order.id ? orderHash(order.id) : '#/orders');
    } catch (err) {
      if (!outcomeUnknown(err)) checkoutAttempt.clear(); // refused: no order was made with this key
      if (!mounted) return;
      const extra = [];
      if (err?.fields?.length) {
        extra.push(h('ul', { class: 'problem-fields' }, err.fields.map((f) => h('li', {}, f.field ? `${f.field}: ${f.message}` : f.message))));
      }
      if (outcomeUnknown(err)) {
        extra.push(h('p', {}, 'If the order went through, placing it again will not order twice.'));
      } else if (err?.status === 422) {
        extra.push(h('p', {}, 'Please place the order again.'));
      }
      formError.replaceChildren(accountErrorBox(err, { extra }));
      formError.querySelector('[role="alert"]')?.scrollIntoView?.({ block: 'nearest' });
    } finally {
      submitting = false;
      submit.disabled = false;
      submit.textContent = 'Place order';
      form.removeAttribute('aria-busy');
    }
  });

  render();
  const stopListening = cart.onChange(render);
  return {
    unmount() {
      mounted = false;
      stopListening();
    },
  };
}

/* One order: #/orders/{id} (signed in), following its status until it is final */

function mountOrder(main, route) {
  const id = route.match[1];
  const controller = new AbortController();
  const started = Date.now();
  let order = null;
  let slowSaid = false;

  const badge = h('span', { class: 'order-badge' });
  const live = h('p', { class: 'order-live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }, 'Loading the order…');
  const problem = h('div', { class: 'status-slot' });
  const content = h('div', { class: 'order-content', 'aria-busy': 'true' });
  const back = h('p', { class: 'back' }, h('a', { href: '#/orders' }, '← All orders'));
  const section = h('section', { class: 'order' },
    h('div', { class: 'page-head' }, heading(`Order ${shortId(id)}`), badge),
    live, problem, content);
  main.replaceChildren(back, section);
  document.title = `Order ${shortId(id)} · Archway`;

  function show(next) {
    const changed = !order || order.status !== next.status || order.history.length !== next.history.length
      || order.updatedAt !== next.updatedAt || order.items.length !== next.items.length;
    if (!changed) return;
    const statusChanged = order?.status !== next.status;
    order = next;
    section.setAttribute('data-status', next.status);
    badge.replaceChildren(statusBadge(next.status));
    if (statusChanged) live.textContent = liveSentence(next);
    content.replaceChildren(orderDetail(next));
    content.removeAttribute('aria-busy');
  }

  const poller = repeatedly(async () => {
    const next = await api.getOrder(id, controller.signal);
    problem.replaceChildren();
    show(next);
    if (isTerminal(next.status)) return null;
    const waited = Date.now() - started;
    if (waited >= POLL_PATIENCE_MS && !slowSaid) {
      slowSaid = true;
      live.textContent = `${liveSentence(next)} This is taking longer than usual; the page keeps checking.`;
    }
    return waited < POLL_PATIENCE_MS ? POLL_MS : POLL_SLOW_MS;
  }, {
    base: POLL_MS,
    onError(err, failures) {
      if (err.status === 404) {
        document.title = 'Order not found · Archway';
        main.replaceChildren(back, notFound('We could not find that order',
          'It may belong to another account, or the link is mistyped.', err.requestId));
        router.focusHeading();
        return false;
      }
      content.removeAttribute('aria-busy');
      if (err.status === 401 || err.status === 403) {
        live.textContent = '';
        problem.replaceChildren(accountErrorBox(err));
        return false;
      }
      if (failures === 1) { // once per bad spell: an alert every second would drown a screen reader
        problem.replaceChildren(errorBox(err, {
          retry: () => poller.now(),
          extra: h('p', {}, order ? 'The status shown may be out of date; the page keeps trying.' : 'The page keeps trying.'),
        }));
      }
      return true;
    },
  }).start();

  return {
    unmount() {
      poller.stop();
      controller.abort();
    },
  };
}

function liveSentence(order) {
  const info = statusInfo(order.status);
  if (order.status === 'REJECTED' && order.reason) return `Your order was rejected: ${reasonInfo(order.reason).text}.`;
  return info.sentence;
}

function orderDetail(order) {
  const reason = order.status === 'REJECTED' ? reasonInfo(order.reason) : null;
  const total = order.total ? formatMoney(order.total) : formatTotal(order.items.map((item) => item.lineTotal));
  const progressId = uniqueId('order-progress');
  return h('div', { class: 'order-layout' },
    h('div', { class: 'order-main' },
      h('p', { class: 'order-meta' }, 'Placed ', timeOf(order.createdAt), ' · ', plural(order.items.reduce((s, i) => s + i.quantity, 0), 'item', 'items')),
      reason ? h('div', { class: 'notice notice-error order-outcome' },
        h('p', { class: 'notice-title order-reason' }, order.reason ? reason.text : 'Rejected'),
        h('p', {}, reason.help),
        h('button', { type: 'button', class: 'button', onclick: () => putBackInCart(order) }, 'Put the items back in the cart')) : null,
      order.status === 'CONFIRMED' ? h('div', { class: 'notice notice-ok order-outcome' },
        h('p', { class: 'notice-title' }, 'Confirmed'),
        h('p', {}, 'Thank you for your order. A confirmation is on its way to your ',
          h('a', { href: '#/notifications' }, 'notifications'), '.')) : null,
      h('table', { class: 'order-items' },
        h('caption', { class: 'visually-hidden' }, 'Items in this order'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Product'),
          h('th', { scope: 'col', class: 'num' }, 'Quantity'),
          h('th', { scope: 'col', class: 'num' }, 'Unit price'),
          h('th', { scope: 'col', class: 'num' }, 'Total'))),
        h('tbody', {}, order.items.map((item) => h('tr', {},
          h('td', { 'data-label': 'Product' },
            item.productId !== null ? h('a', { href: productHash(item.productId) }, item.name) : item.name),
          h('td', { class: 'num', 'data-label': 'Quantity' }, item.quantity.toLocaleString()),
          h('td', { class: 'num', 'data-label': 'Unit price' }, formatMoney(item.unitPrice)),
          h('td', { class: 'num price', 'data-label': 'Total' }, formatMoney(item.lineTotal))))),
        h('tfoot', {}, h('tr', {},
          h('th', { scope: 'row', colspan: '3' }, 'Total'),
          h('td', { class: 'num price order-total', 'data-label': 'Total' }, total))))),
    h('aside', { class: 'order-progress', 'aria-labelledby': progressId },
      h('h2', { id: progressId }, 'Progress'),
      orderTimeline(order)));
}

/** A rejected order's items, back in the cart (at least as many of each as ordered), to try again. */
function putBackInCart(order) {
  for (const item of order.items) {
    if (item.productId === null || item.quantity < 1) continue;
    const line = cart.line(item.productId);
    if (line) {
      cart.setQuantity(item.productId, Math.max(line.quantity, item.quantity));
    } else {
      cart.add({
        id: item.productId,
        name: item.name,
        price: item.unitPrice,
        imageUrl: `${API_BASE}/products/${encodeURIComponent(item.productId)}/image`,
      }, item.quantity);
    }
  }
  flash('The items are back in your cart.');
  router.go('#/cart');
}

/** The statuses the order went through, with their times; while it is on its way, the steps to come. */
function orderTimeline(order) {
  const steps = order.history.length ? order.history : [{ status: order.status, at: order.updatedAt ?? order.createdAt }];
  const reached = new Set(steps.map((step) => step.status));
  const upcoming = isTerminal(order.status) ? [] : HAPPY_PATH.filter((status) => !reached.has(status));
  const last = steps.length - 1;
  return h('ol', { class: 'timeline' },
    steps.map((step, i) => h('li', {
      class: `timeline-step timeline-${statusInfo(step.status).tone}${i === last ? ' is-current' : ''}`,
      'aria-current': i === last ? 'step' : null,
    },
    h('span', { class: 'timeline-label' }, statusInfo(step.status).label,
      step.status === 'REJECTED' && order.reason ? ` · ${reasonInfo(order.reason).text}` : ''),
    h('span', { class: 'timeline-when' }, timeOf(step.at)))),
    upcoming.map((status) => h('li', { class: 'timeline-step is-upcoming' },
      h('span', { class: 'timeline-label' }, statusInfo(status).label),
      h('span', { class: 'timeline-when' }, 'Not yet'))));
}

/* Lists of the signed-in user: orders (#/orders?page=) and notifications (#/notifications?page=) */

/**
 * A paged list that keeps itself current: it loads again every LIST_REFRESH_MS while
 * refreshWhile(result) says something on it can still change, and redraws only on a change.
 */
function mountList(main, route, { title, listClass, noun, fetchPage, item, hashFor, empty, refreshWhile }) {
  let page = listPageOf(route.params);
  let controller = null;
  let poller = null;
  let shown = null; // what is on screen, to redraw only on a change

  const count = h('p', { class: 'result-count', role: 'status' });
  const status = h('div', { class: 'status-slot' });
  const list = h('ol', { class: listClass, 'aria-label': title });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pagination' });
  main.replaceChildren(h('section', { class: 'account-list' },
    h('div', { class: 'page-head' }, heading(title), count),
    status, list, pager));

  function load() {
    poller?.stop();
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    shown = null;
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(h('li', { class: 'loading' }, 'Loading…'));
    pager.replaceChildren();
    status.replaceChildren();
    poller = repeatedly(async () => {
      const result = await fetchPage(page, signal);
      if (result.pages !== null && page > result.pages && result.total > 0) {
        router.go(hashFor(result.pages), { replace: true });
        return null;
      }
      status.replaceChildren();
      render(result);
      return refreshWhile(result, page) ? LIST_REFRESH_MS : null;
    }, {
      base: LIST_REFRESH_MS,
      onError(err) {
        if (shown && err.status !== 401) return true; // a refresh failed: keep what is shown, try later
        list.removeAttribute('aria-busy');
        list.replaceChildren();
        pager.replaceChildren();
        count.textContent = '';
        status.replaceChildren(accountErrorBox(err, { retry: load }));
        return false;
      },
    }).start();
  }

  function render(result) {
    const signature = JSON.stringify([result.items, result.total, result.page]);
    if (signature === shown) return;
    shown = signature;
    list.removeAttribute('aria-busy');
    const n = result.total ?? result.items.length;
    const countText = n ? plural(n, noun[0], noun[1]) : '';
    if (count.textContent !== countText) count.textContent = countText;
    if (result.items.length === 0) {
      list.replaceChildren();
      pager.replaceChildren();
      status.replaceChildren(h('div', { class: 'notice' }, empty()));
      return;
    }
    // a redraw keeps the keyboard where it was
    const focused = list.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    list.replaceChildren(...result.items.map(item));
    if (focused) list.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    fillPager(pager, result, hashFor);
  }

  load();
  return {
    update(next) {
      const target = listPageOf(next.params);
      if (target === page) return;
      page = target;
      load();
      main.querySelector('section')?.scrollIntoView({ block: 'start' });
    },
    unmount() {
      poller?.stop();
      controller?.abort();
    },
  };
}

function mountOrders(main, route) {
  return mountList(main, route, {
    title: 'Your orders',
    listClass: 'order-list',
    noun: ['order', 'orders'],
    fetchPage: (page, signal) => api.listOrders({ page }, signal),
    item: orderRow,
    hashFor: (page) => (page > 1 ? `#/orders?page=${page}` : '#/orders'),
    empty: () => [
      h('p', { class: 'notice-title' }, 'No orders yet'),
      h('p', {}, 'The orders you place show up here, with their status.'),
      h('a', { class: 'button button-primary', href: lastCatalogHash }, 'Browse the catalog')],
    refreshWhile: (result) => result.items.some((order) => !isTerminal(order.status)),
  });
}

function orderRow(order) {
  const units = order.items.reduce((sum, i) => sum + i.quantity, 0);
  const names = order.items.slice(0, 3).map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name));
  const more = order.items.length - names.length;
  const total = order.total ? formatMoney(order.total) : formatTotal(order.items.map((i) => i.lineTotal));
  return h('li', { class: 'order-row', 'data-order-id': order.id, 'data-status': order.status },
    h('div', { class: 'order-row-main' },
      h('h2', { class: 'order-row-title' }, h('a', { class: 'order-row-link', href: orderHash(order.id) }, `Order ${shortId(order.id)}`)),
      names.length ? h('p', { class: 'order-row-items' }, names.join(', '), more > 0 ? `, and ${more} more` : '') : null,
      h('p', { class: 'order-row-meta' }, 'Placed ', timeOf(order.createdAt), ' · ', plural(units, 'item', 'items'))),
    h('div', { class: 'order-row-side' },
      h('span', { class: 'price' }, total),
      statusBadge(order.status),
      order.status === 'REJECTED' && order.reason ? h('span', { class: 'order-row-reason' }, reasonInfo(order.reason).text) : null));
}

function mountNotifications(main, route) {
  return mountList(main, route, {
    title: 'Notifications',
    listClass: 'notification-list',
    noun: ['notification', 'notifications'],
    fetchPage: (page, signal) => api.listNotifications({ page }, signal),
    item: notificationItem,
    hashFor: (page) => (page > 1 ? `#/notifications?page=${page}` : '#/notifications'),
    empty: () => [
      h('p', { class: 'notice-title' }, 'No notifications yet'),
      h('p', {}, 'When an order is confirmed or rejected, the message about it shows up here.')],
    refreshWhile: (result, page) => page === 1, // new ones arrive at the top
  });
}

const NOTIFICATION_TONES = { order_confirmed: 'ok', order_rejected: 'danger' };

function notificationItem(note) {
  return h('li', { class: `notification notification-${NOTIFICATION_TONES[note.kind] ?? 'info'}`, 'data-kind': note.kind },
    h('div', { class: 'notification-head' },
      h('h2', { class: 'notification-subject' }, note.subject),
      h('p', { class: 'notification-time' }, timeOf(note.createdAt))),
    note.body ? h('p', { class: 'notification-body' }, note.body) : null,
    note.orderId ? h('p', { class: 'notification-link' },
      h('a', { href: orderHash(note.orderId) }, `View order ${shortId(note.orderId)}`)) : null);
}

/* ───────────────────────────── 7. router ───────────────────────────── */

/*
 * Hash routes, a line each. `auth: true` pages are for signed-in users: anyone else is sent
 * to sign in first and comes back afterwards (?next=).
 */
const ROUTES = [
  { name: 'catalog', path: /^\/$/, mount: mountCatalog, title: 'Catalog' },
  { name: 'product', path: /^\/products\/([^/?#]+)$/, mount: mountProduct, title: 'Product' },
  { name: 'register', path: /^\/register$/, mount: mountRegister, title: 'Create account' },
  { name: 'signin', path: /^\/signin$/, mount: mountSignIn, title: 'Sign in' },
  { name: 'cart', path: /^\/cart$/, mount: mountCart, title: 'Cart' },
  { name: 'checkout', path: /^\/checkout$/, mount: mountCheckout, title: 'Checkout', auth: true },
  { name: 'orders', path: /^\/orders$/, mount: mountOrders, title: 'Orders', auth: true },
  { name: 'order', path: /^\/orders\/([^/?#]+)$/, mount: mountOrder, title: 'Order', auth: true },
  { name: 'notifications', path: /^\/notifications$/, mount: mountNotifications, title: 'Notifications', auth: true },
];

const NOT_FOUND = { name: 'not-found', mount: mountNotFound, title: 'Page not found' };

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const path = (at < 0 ? raw : raw.slice(0, at)) || '/';
  return { path, params: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

const router = {
  current: null, // {definition, view}
  pages: 0, // pages mounted so far; the first one (page load) keeps focus where it is

  start() {
    window.addEventListener('hashchange', () => this.render());
    this.render();
  },

  /** Navigates to a hash route; replace keeps the history entry (e.g. while typing). */
  go(hash, { replace = false } = {}) {
    if (hash === window.location.hash || (hash === '#/' && window.location.hash === '')) return;
    if (replace) window.location.replace(hash);
    else window.location.hash = hash;
  },

  resolve() {
    const { path, params } = parseHash();
    for (const definition of ROUTES) {
      const found = definition.path.exec(path);
      if (found) {
        const match = found.map((part) => {
          try { return decodeURIComponent(part); } catch { return part; }
        });
        return { definition, route: { name: definition.name, path, params, match } };
      }
    }
    return { definition: NOT_FOUND, route: { name: NOT_FOUND.name, path, params, match: [] } };
  },

  render({ force = false } = {}) {
    const { definition, route } = this.resolve();
    if (definition.auth && !session.signedIn()) {
      this.go(signInHash(window.location.hash), { replace: true });
      return;
    }
    chrome.setActive(definition.name);
    if (!force && this.current?.definition === definition && this.current.view?.update) {
      this.current.view.update(route);
      return;
    }
    this.current?.view?.unmount?.();
    const main = document.getElementById('main');
    document.title = `${definition.title} · Archway`;
    this.pages += 1;
    const view = definition.mount(main, route) ?? {};
    this.current = { definition, view };
    if (this.pages > 1) window.scrollTo(0, 0);
    this.focusHeading();
  },

  /** Moves focus to the page heading so screen readers announce the new page. */
  focusHeading() {
    if (this.pages < 2) return;
    document.querySelector('#main h1')?.focus({ preventScroll: true });
  },
};

/* ───────────────────────────── 8. boot ───────────────────────────── */

function boot() {
  // The skip link must not change the hash (that is the router's).
  document.getElementById('skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  session.onChange(() => chrome.render());
  cart.onChange(() => chrome.renderNav());
  chrome.render();
  router.start();
  refreshUser();
}

boot();
