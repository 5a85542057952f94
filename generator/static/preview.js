/* Hover previews: pointing at (or tabbing to) a link to an entity or an event page
   shows that page's title and card in a box beside the link, fetched from the site
   itself. Material's own previews need a sitemap with the site's absolute URL, which a
   dossier built without `site_url` (or served on another port) does not have.

   A site opened from its files (`dossier build --offline`) may not fetch: there, each
   previewed page has a script twin beside it (`window.dossierPreviewTwin`, its name)
   that hands this script the page's title and card (`dossierPreviewPage`), loaded the
   first time a link to the page is pointed at.

   `window.dossierPreviewFolders` (the page folders that get previews) and
   `window.dossierPreviewTwin` (null online) are set above this script by the
   dossier-search plugin. */
(() => {
  "use strict";
  const FOLDERS = window.dossierPreviewFolders || [];
  const TWIN = window.dossierPreviewTwin || null;
  const SHOW_DELAY = 300;   // ms of pointing before the preview opens
  const HIDE_DELAY = 250;   // ms to move the pointer from the link into the preview
  const KEPT = 3;           // elements of the page kept after its title
  const DROPPED = "script, link, style, .headerlink, .dossier-map";
  const cache = new Map();  // page URL -> Promise of its preview's nodes (or null)
  const twins = new Map();  // page URL -> what its twin's call resolves (offline)
  let box = null, shownFor = null, pending = null, showTimer = 0, hideTimer = 0;

  const config = document.getElementById("__config");
  const base = new URL(config ? JSON.parse(config.textContent).base : ".", location.href);

  function previewedPage(link) {
    if (!(link instanceof HTMLAnchorElement) || !link.closest("article")) return null;
    const url = new URL(link.href, location.href);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
    const parts = url.pathname.slice(base.pathname.length).split("/").filter(Boolean);
    if (parts[parts.length - 1] === "index.html") parts.pop();  // offline links name it
    if (parts.length !== 2 || !FOLDERS.includes(parts[0])) return null;
    url.hash = url.search = "";
    return url.pathname === location.pathname ? null : url.href;
  }

  // The fetched page's own nodes: its links made absolute, its ids dropped (they would
  // repeat ids of this page), nothing that runs or loads.
  function previewNodes(html, url) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const title = page.querySelector("article h1");
    if (!title) return null;
    const nodes = [title];
    for (let next = title.nextElementSibling; next && nodes.length <= KEPT;
         next = next.nextElementSibling) {
      if (/^H[1-6]$/.test(next.tagName)) break;
      if (!next.matches(DROPPED) && next.textContent.trim()) nodes.push(next);
    }
    return nodes.map(node => {
      const copy = document.importNode(node, true);
      copy.querySelectorAll(DROPPED).forEach(dropped => dropped.remove());
      for (const element of [copy, ...copy.querySelectorAll("*")]) {
        element.removeAttribute("id");
        for (const name of ["href", "src"]) {
          const value = element.getAttribute(name);
          if (value !== null) element.setAttribute(name, new URL(value, url).href);
        }
      }
      return copy;
    });
  }

  function fetched(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(response => response.ok ? response.text() : Promise.reject(response.status));
  }

  // Offline: the page's twin, a script that calls dossierPreviewPage with its HTML.
  function fromTwin(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      const fail = () => { twins.delete(url); reject(new Error(url)); };
      twins.set(url, resolve);
      script.src = new URL(TWIN, url).href;
      script.onerror = fail;
      script.onload = () => { script.remove(); if (twins.get(url) === resolve) fail(); };
      document.head.append(script);
    });
  }

  window.dossierPreviewPage = (page, html) => {
    const url = new URL(page, base).href;
    const resolve = twins.get(url);
    twins.delete(url);
    if (resolve) resolve(html);
  };

  function load(url) {
    if (!cache.has(url)) {
      cache.set(url, (TWIN ? fromTwin(url) : fetched(url))
        .then(html => previewNodes(html, url))
        .catch(() => null));
    }
    return cache.get(url);
  }

  function place(link) {
    const host = link.getBoundingClientRect();
    const size = box.getBoundingClientRect();
    const below = host.bottom + 8 + size.height <= innerHeight || host.top < innerHeight / 2;
    const top = below ? host.bottom + 8 : host.top - 8 - size.height;
    const left = Math.max(8, Math.min(host.left, innerWidth - size.width - 16));
    box.style.top = `${top + scrollY}px`;
    box.style.left = `${left + scrollX}px`;
  }

  function open(link, nodes) {
    hide();
    box = document.createElement("div");
    box.className = "dossier-preview md-typeset";
    box.id = "dossier-preview";
    box.setAttribute("role", "tooltip");
    box.append(...nodes.map(node => node.cloneNode(true)));
    box.addEventListener("pointerenter", () => clearTimeout(hideTimer));
    box.addEventListener("pointerleave", () => later(hide));
    document.body.append(box);
    place(link);
    shownFor = link;
    link.setAttribute("aria-describedby", box.id);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    if (box) box.remove();
    box = shownFor = null;
  }

  function later(action) {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(action, HIDE_DELAY);
  }

  function linkOf(event) {
    return event.target instanceof Element ? event.target.closest("a[href]") : null;
  }

  function start(link, delay) {
    const url = link && previewedPage(link);
    if (!url) return;
    if (link === shownFor) return clearTimeout(hideTimer);
    clearTimeout(showTimer);
    pending = link;
    showTimer = setTimeout(() => load(url).then(nodes => {
      if (nodes && pending === link) open(link, nodes);
      if (pending === link) pending = null;
    }), delay);
  }

  function leave(link) {
    if (link === pending) {
      clearTimeout(showTimer);
      pending = null;
    }
    if (link && link === shownFor) later(hide);
  }

  document.addEventListener("pointerover", event => {
    if (event.pointerType !== "touch") start(linkOf(event), SHOW_DELAY);
  });
  document.addEventListener("pointerout", event => {
    const link = linkOf(event);
    if (link && !link.contains(event.relatedTarget)) leave(link);
  });
  document.addEventListener("focusin", event => start(linkOf(event), 0));
  document.addEventListener("focusout", event => leave(linkOf(event)));
  document.addEventListener("keydown", event => {
    if (event.key === "Escape" && box) hide();
  });
})();
