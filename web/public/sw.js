// Tiejun's service worker (issue 15 part 5): the app shell works without a connection.
// - /assets/* (content-hashed file names, immutable): cache first, stored on first use.
// - page loads (index.html and the app's routes): network first, the cached index.html
//   when the network fails, so the app starts in a lift or a car park.
// - icons, manifest, favicon: stale-while-revalidate.
// - /api/*, /healthz, /readyz, /metrics and any non-GET request: never touched, never cached
//   (the visit queue in IndexedDB, web/src/offline/queue.ts, keeps what is not sent yet).
// A new build: the old shell cache is deleted when the new worker activates.
const VERSION = 'tj-shell-v1';
const SHELL = ['/', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(VERSION);
      // index.html and the assets it names, so a reload without signal has what it needs.
      const res = await fetch('/', { cache: 'no-cache' });
      if (res.ok) {
        const html = await res.clone().text();
        await cache.put('/', res);
        const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
        await Promise.all([...new Set(assets)].map((u) => cache.add(u).catch(() => undefined)));
      }
      await Promise.all(SHELL.slice(1).map((u) => cache.add(u).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (k !== VERSION) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

// The page posts the URLs it loaded before this worker controlled it (its first visit):
// the assets among them are cached too (lazy page chunks included).
self.addEventListener('message', (event) => {
  const d = event.data;
  if (!d || d.type !== 'cache-urls' || !Array.isArray(d.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(VERSION);
      for (const u of d.urls) {
        let url;
        try {
          url = new URL(u, self.location.origin);
        } catch {
          continue;
        }
        if (url.origin !== self.location.origin || !url.pathname.startsWith('/assets/')) continue;
        if (!(await cache.match(url.pathname))) await cache.add(url.pathname).catch(() => undefined);
      }
    })(),
  );
});

function neverCached(url) {
  return (
    url.pathname.startsWith('/api/') ||
    url.pathname === '/healthz' ||
    url.pathname === '/readyz' ||
    url.pathname === '/metrics' ||
    url.pathname === '/sw.js'
  );
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || neverCached(url)) return;  // the network, untouched

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(VERSION);
        const hit = await cache.match(url.pathname);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) await cache.put(url.pathname, res.clone());
        return res;
      })(),
    );
    return;
  }

  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(VERSION);
        try {
          const res = await fetch(req);
          // Every route of the single-page app answers index.html: keep the newest copy.
          if (res.ok && (res.headers.get('content-type') || '').startsWith('text/html')) await cache.put('/', res.clone());
          return res;
        } catch (e) {
          const hit = await cache.match('/');
          if (hit) return hit;
          throw e;
        }
      })(),
    );
    return;
  }

  if (url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest' || url.pathname === '/favicon.svg') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(VERSION);
        const hit = await cache.match(url.pathname);
        const fresh = fetch(req)
          .then(async (res) => {
            if (res.ok) await cache.put(url.pathname, res.clone());
            return res;
          })
          .catch(() => undefined);
        if (hit) {
          event.waitUntil(fresh);
          return hit;
        }
        return (await fresh) || Response.error();
      })(),
    );
  }
});
