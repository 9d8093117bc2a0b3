// A minimal browser for the hub's login pages: a cookie jar, redirects followed by hand (only
// within the hub and the sites it is told to visit, such as a library's identity provider; a
// redirect elsewhere, such as to a client's redirect_uri, ends the walk), and HTML forms read
// with regular expressions.

const MAX_STEPS = 10;

/** A page the browser ended on. */
export class Page {
  constructor(url, status, headers, html) {
    /** The page's URL. */
    this.url = url;
    /** The HTTP status. */
    this.status = status;
    /** The response headers. */
    this.headers = headers;
    /** The body. */
    this.html = html;
  }

  /** The action of the page's first form, if it has one. */
  firstFormAction() {
    const match = this.html.match(/<form\b([^>]*)>/i);
    return match ? attribute(match[1], 'action') : undefined;
  }

  /** The target of the first link whose text contains `text`, if there is one. */
  link(text) {
    for (const [, attrs, body] of this.html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
      if (body.includes(text)) return attribute(attrs, 'href');
    }
    return undefined;
  }

  /**
   * The fields of the first form posting to `action` (hidden and preset inputs with their
   * values), or undefined if there is no such form.
   *
   * @returns {Record<string, string> | undefined}
   */
  form(action) {
    for (const [, attrs, body] of this.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
      if (attribute(attrs, 'action') !== action) continue;
      const fields = {};
      for (const [input] of body.matchAll(/<input\b[^>]*>/gi)) {
        const name = attribute(input, 'name');
        if (name !== undefined) fields[name] = attribute(input, 'value') ?? '';
      }
      return fields;
    }
    return undefined;
  }

  /** Whether the page has an input named `name` of type `type`. */
  hasInput(name, type) {
    return [...this.html.matchAll(/<input\b[^>]*>/gi)].some(
      ([input]) => attribute(input, 'name') === name && attribute(input, 'type') === type,
    );
  }

  /** A short excerpt for failure messages. */
  toString() {
    return `${this.status} ${this.url}: ${this.html.replace(/\s+/g, ' ').slice(0, 600)}`;
  }
}

/** Where the browser was sent outside the hub (for example a client's redirect_uri). */
export class Departure {
  constructor(url, status) {
    /** The URL it was sent to, which is not fetched. */
    this.url = url;
    /** The status of the redirect. */
    this.status = status;
  }
}

/** One browser with its own cookies, talking to the hub at `origin` (and to `others`). */
export class Browser {
  /** @type {Map<string, {value: string, path: string}>} */
  #cookies = new Map();

  constructor(origin, ...others) {
    this.origin = new URL(origin).origin;
    this.origins = new Set([origin, ...others].map((o) => new URL(o).origin));
  }

  /** The value of cookie `name`, if the browser holds it. */
  cookie(name) {
    return this.#cookies.get(name)?.value;
  }

  /** Gives the browser a cookie (to replay an old one, say). */
  setCookie(name, value, path = '/') {
    this.#cookies.set(name, { value, path });
  }

  /**
   * Opens `url` and follows redirects within the hub.
   *
   * @returns {Promise<Page | Departure>}
   */
  async go(url) {
    return this.#walk(new URL(url), { method: 'GET' });
  }

  /**
   * Submits the form of `page` that posts to `action`, with its own fields and `fields` on top,
   * and follows redirects within the hub.
   *
   * @returns {Promise<Page | Departure>}
   */
  async submit(page, action, fields = {}) {
    const own = page.form(action);
    if (!own) throw new Error(`no form posting to ${action} on ${page}`);
    const body = new URLSearchParams({ ...own, ...fields });
    return this.#walk(new URL(action, page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /**
   * Logs a patron in on the hub's pages, starting at the authorization URL `url`, and returns
   * where the hub sent the browser back to the client.
   *
   * @param {URL} url the authorization request
   * @param {{card: string, pin: string} | undefined} patron who logs in, if asked
   * @returns {Promise<URL>} the client's redirect_uri with the response parameters
   */
  async authorize(url, patron) {
    let at = await this.go(url);
    for (let step = 0; step < MAX_STEPS; step++) {
      if (at instanceof Departure) return at.url;
      if (at.status === 200 && at.form('/login') && patron) {
        at = await this.submit(at, '/login', { card: patron.card, pin: patron.pin });
      } else if (at.status === 200 && at.form('/login/consent')) {
        at = await this.submit(at, '/login/consent');
      } else {
        throw new Error(`the login ended on an unexpected page: ${at}`);
      }
    }
    throw new Error(`the login took more than ${MAX_STEPS} steps`);
  }

  async #walk(url, init) {
    for (let step = 0; step < MAX_STEPS; step++) {
      if (!this.origins.has(url.origin)) throw new Error(`will not fetch ${url} outside the hub`);
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...init.headers, ...this.#cookieHeader(url) },
      });
      this.#store(response.headers, url);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        const next = new URL(location, url);
        if (!this.origins.has(next.origin)) return new Departure(next, response.status);
        url = next;
        init = { method: 'GET' };
        continue;
      }
      return new Page(url, response.status, response.headers, await response.text());
    }
    throw new Error(`more than ${MAX_STEPS} redirects`);
  }

  #cookieHeader(url) {
    const pairs = [...this.#cookies]
      .filter(([, c]) => pathMatches(url.pathname, c.path))
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length ? { cookie: pairs.join('; ') } : {};
  }

  #store(headers, url) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = Object.fromEntries(
        attrs.map((a) => {
          const i = a.indexOf('=');
          return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      );
      const expired =
        (attr['max-age'] !== undefined && Number(attr['max-age']) <= 0) ||
        (attr.expires !== undefined && Date.parse(attr.expires) <= Date.now());
      if (expired) {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, { value, path: attr.path || defaultPath(url) });
      }
    }
  }
}

/** The value of attribute `name` in an HTML tag's text, unescaped. */
function attribute(tag, name) {
  const match = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
  if (!match) return undefined;
  return unescapeHtml(match[1] ?? match[2] ?? match[3]);
}

function unescapeHtml(text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

/** RFC 6265 5.1.4. */
function pathMatches(requestPath, cookiePath) {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) &&
      (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}

/** RFC 6265 5.1.4: the default path of a cookie set by a response to `url`. */
function defaultPath(url) {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}
