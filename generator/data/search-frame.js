/*
 * The worker's surroundings in the hidden frame of search/worker.html (see
 * search-file-worker.js): `postMessage` answers through the page's MessageChannel,
 * `importScripts` has nothing to do (the frame loads lunr.js itself), and `fetch` of the
 * index and text files loads their script twins instead (`lunr_index.js` for
 * `lunr_index.json`), which a page opened from a file may load, where it may not fetch.
 */
"use strict"

const loaded = new Map()

window.dossierSearchFile = (name, data) => loaded.set(name, data)
window.importScripts = () => {}
window.fetch = name => new Promise(resolve => {
  const script = document.createElement("script")
  script.src = name.replace(/\.json$/, ".js")
  script.onload = () => resolve({
    ok: loaded.has(name),
    status: loaded.has(name) ? 200 : 404,
    json: () => Promise.resolve(loaded.get(name))
  })
  script.onerror = () => resolve({ ok: false, status: 404 })
  document.head.appendChild(script)
})

addEventListener("message", event => {
  if (event.data !== "dossier-search-port" || !event.ports.length)
    return
  const [port] = event.ports
  window.postMessage = message => port.postMessage(message)
  port.onmessage = message => dispatchEvent(new MessageEvent("message", { data: message.data }))
})
