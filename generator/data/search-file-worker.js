/*
 * Search from a site opened as files (file://), put in place by `dossier build --offline`.
 *
 * A browser refuses `new Worker(...)` to a page opened from a file, and `fetch()` of the
 * site's own files. Material then calls `new Worker` for its search: under file://, this
 * script, loaded before Material's, replaces `Worker` by a hidden frame that runs the
 * same worker (search/worker.html, which loads search/worker.js with the shim of
 * search/frame.js), and talks to it through a MessageChannel, as a worker's messages go.
 * Material's iframe-worker does the same from unpkg.com; the site makes no third-party
 * request, so this one is the site's own.
 */
"use strict"

if (location.protocol === "file:") {
  window.Worker = class FrameWorker extends EventTarget {
    constructor(url) {
      super()
      const channel = new MessageChannel()
      this.port = channel.port1
      this.port.onmessage = event => {
        const message = new MessageEvent("message", { data: event.data })
        this.dispatchEvent(message)
        if (typeof this.onmessage === "function")
          this.onmessage(message)
      }
      this.frame = document.createElement("iframe")
      this.frame.hidden = true
      this.frame.src = new URL("worker.html", new URL(url, location.href)).href
      this.frame.addEventListener("load", () => {
        this.frame.contentWindow.postMessage("dossier-search-port", "*", [channel.port2])
      }, { once: true })
      document.body.appendChild(this.frame)
    }

    postMessage(data) {
      this.port.postMessage(data)  // queued until the frame holds the other end
    }

    terminate() {
      this.port.close()
      this.frame.remove()
    }
  }
}
