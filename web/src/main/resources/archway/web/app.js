/*
 * Archway storefront: a single-page app in plain JavaScript (ES module, no framework,
 * no build step). It talks only to the JSON API at the same origin under /api/v1.
 *
 * Read top to bottom:
 *   1. dom       build elements safely (text nodes only; API data never goes through innerHTML)
 *   2. format    money in minor units, counts, URLs
 *   3. api       one request() helper (problem+json errors, X-Request-Id) and the endpoints
 *   4. session   the access token (sessionStorage) and the signed-in user
 *   5. chrome    the header: navigation, "Signed in as ...", flash messages
 *   6. pages     one mount function per route: catalog, product, register, sign-in
 *   7. router    hash routes -> pages
 *   8. boot
 *
 * Later pages (cart, checkout, orders, notifications) are new mount functions in section 6,
 * a line each in ROUTES (section 7) and NAV_ITEMS (section 5); nothing else changes.
 */

const API_BASE = '/api/v1';
const PAGE_SIZE = 12;
const SEARCH_DEBOUNCE_MS = 300;
const FLASH_MS = 4000;

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

function plural(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
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
  async request(method, path, { query, body, auth = false, signal, cache } = {}) {
    const url = new URL(API_BASE + path, window.location.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers = { Accept: 'application/json, application/problem+json' };
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
    const { data, headers } = await api.request('GET', path, { signal });
    const cacheRaw = headers.get('X-Cache');
    return {
      product: normalizeProduct(data),
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

/* ───────────────────────────── 5. chrome ───────────────────────────── */

/**
 * The header navigation. `auth: true` items show only when signed in. Later:
 *   { route: 'cart', href: '#/cart', label: 'Cart' },
 *   { route: 'orders', href: '#/orders', label: 'Orders', auth: true },
 *   { route: 'notifications', href: '#/notifications', label: 'Notifications', auth: true },
 */
const NAV_ITEMS = [
  { route: 'catalog', href: '#/', label: 'Catalog' },
];

const chrome = {
  activeRoute: null,

  renderNav() {
    const list = document.getElementById('nav-links');
    const signedIn = session.signedIn();
    list.replaceChildren(...NAV_ITEMS
      .filter((item) => !item.auth || signedIn)
      .map((item) => h('li', {},
        h('a', { href: item.href, 'aria-current': item.route === this.activeRoute ? 'page' : null }, item.label))));
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
  // Later: pages that need a signed-in user send the visitor back to the catalog here.
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

/* ───────────────────────────── 6. pages ───────────────────────────── */
/*
 * A page is mount(main, route) -> view, where route = {name, path, params, match} and the
 * optional view has update(route) (same page, new parameters) and unmount().
 * Later: mountCart, mountCheckout, mountOrders, mountOrder, mountNotifications.
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

  function renderPager({ page, pages, hasNext }) {
    const link = (target, label, rel, enabled) => (enabled
      ? h('a', { class: 'button', href: catalogHash({ ...state, page: target }), rel }, label)
      : h('span', { class: 'button is-disabled', 'aria-disabled': 'true' }, label));
    pager.replaceChildren(
      link(page - 1, '← Previous', 'prev', page > 1),
      h('span', { class: 'pager-label' }, pages ? `Page ${page} of ${pages}` : `Page ${page}`),
      link(page + 1, 'Next →', 'next', hasNext));
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
  return h('li', { class: 'card' },
    h('a', { class: 'card-link', href },
      h('div', { class: 'card-media' }, productImage(product, 'card-image')),
      h('div', { class: 'card-body' },
        product.category ? h('p', { class: 'card-category' }, product.category) : null,
        h('h2', { class: 'card-title' }, product.name),
        h('p', { class: 'card-footer' },
          h('span', { class: 'price' }, formatMoney(product.price)),
          product.stock !== null && product.stock <= 0 ? h('span', { class: 'tag tag-out' }, 'Out of stock') : null))));
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
      main.replaceChildren(back, productDetail(product, edgeBadge(cache, cacheRaw, age, fromBrowser)));
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

  return { unmount: () => controller.abort() };
}

function productDetail(product, badge) {
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
      // Later: the "Add to cart" control goes here.
      meta.length ? h('dl', { class: 'product-meta' }, meta.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])) : null,
      badge));
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
    footer: ['Already registered? ', h('a', { href: '#/signin' }, 'Sign in')],
    async onSubmit(values, { showError }) {
      try {
        await api.register(values);
      } catch (err) {
        if (err.status === 409) {
          if (!err.detail) err.detail = 'This e-mail address is already registered.';
          email.setError(true);
          const signInLink = h('a', { href: '#/signin', onclick: () => { prefillEmail = values.email; } },
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
        router.go('#/signin');
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
    intro: 'Welcome back to the Archway store.',
    fields: [email, password],
    submitLabel: 'Sign in',
    busyLabel: 'Signing in…',
    footer: ['New here? ', h('a', { href: '#/register' }, 'Create an account')],
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

/* ───────────────────────────── 7. router ───────────────────────────── */

/*
 * Hash routes. Later storeys add a line each:
 *   { name: 'cart', path: /^\/cart$/, mount: mountCart, title: 'Cart' },
 *   { name: 'checkout', path: /^\/checkout$/, mount: mountCheckout, title: 'Checkout', auth: true },
 *   { name: 'orders', path: /^\/orders$/, mount: mountOrders, title: 'Orders', auth: true },
 *   { name: 'order', path: /^\/orders\/([^/]+)$/, mount: mountOrder, title: 'Order', auth: true },
 *   { name: 'notifications', path: /^\/notifications$/, mount: mountNotifications, title: 'Notifications', auth: true },
 */
const ROUTES = [
  { name: 'catalog', path: /^\/$/, mount: mountCatalog, title: 'Catalog' },
  { name: 'product', path: /^\/products\/([^/?#]+)$/, mount: mountProduct, title: 'Product' },
  { name: 'register', path: /^\/register$/, mount: mountRegister, title: 'Create account' },
  { name: 'signin', path: /^\/signin$/, mount: mountSignIn, title: 'Sign in' },
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
  chrome.render();
  router.start();
  refreshUser();
}

boot();
