/*
 * The search worker of a dossier site, put in place by the `dossier-search` MkDocs plugin.
 *
 * Material's own worker builds the lunr index in the reader's browser at every full page
 * load: seconds for a dossier of thousands of pages, before the first result shows. This
 * worker loads the index that the plugin built at site build time with the same settings
 * (`lunr_index.json`, lunr.js 2.3.9's serialised form) and answers Material's messages as
 * Material's worker does: the query read the same way, results grouped by page, terms
 * found and missing, highlighted words, suggestions. The query code follows Material for
 * MkDocs (MIT licence), src/templates/assets/javascripts/integrations/search/.
 */
"use strict"

importScripts("lunr.js")

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3

const prebuilt = fetch("lunr_index.json")
  .then(response => {
    if (!response.ok)
      throw new Error(`search/lunr_index.json: HTTP ${response.status}`)
    return response.json()
  })
  .then(data => {
    const filter = lunr.generateStopWordFilter(data.stopWords)
    lunr.Pipeline.registerFunction(filter, data.stopWordFilter)
    const index = lunr.Index.load(data.index)
    index.invertedIndex = expandedOnDemand(index.invertedIndex, data.index.fields)
    return { index, locations: data.locations }
  })

/* Each term of the index lists the entries of each field where it is found as numbers
 * (the file is smaller and faster to read); lunr wants every field, as `{entry: {}}`.
 * Expanded for the terms a query reaches, when it reaches them: all of them at load
 * would take longer than reading the file. */
function expandedOnDemand(invertedIndex, fields) {
  const expanded = new Set()
  return new Proxy(invertedIndex, {
    get(target, term) {
      const posting = target[term]
      if (posting !== undefined && !expanded.has(term)) {
        for (const field of fields)
          posting[field] = Object.fromEntries((posting[field] || []).map(entry => [entry, {}]))
        expanded.add(term)
      }
      return posting
    }
  })
}

let search

addEventListener("message", async event => {
  const message = event.data
  if (message.type === SETUP) {
    const { index, locations } = await prebuilt
    search = new Search(index, locations, message.data)
    postMessage({ type: READY })
  } else if (message.type === QUERY) {
    let data
    try {
      data = search.query(message.data)
    } catch (error) {
      console.warn(`Invalid query: ${message.data}`, error)
      data = { items: [] }
    }
    postMessage({ type: RESULT, data })
  }
})

class Search {
  constructor(index, locations, { config, docs, options }) {
    this.index = index
    this.locations = locations
    this.options = options
    this.separator = new RegExp(config.separator)
    lunr.tokenizer.separator = this.separator
    this.map = documentMap(docs)
  }

  query(value) {
    const query = transformSearchQuery(value, this.separator)
    if (!query)
      return { items: [] }
    const clauses = parseSearchQuery(query)
      .filter(clause => clause.presence !== lunr.Query.presence.PROHIBITED)
    const items = []
    for (const { ref, score, matchData } of this.index.search(query)) {
      const doc = this.map.get(this.locations[+ref])
      if (typeof doc === "undefined")
        continue
      const matched = Object.keys(matchData.metadata)
      const terms = searchQueryTerms(clauses, matched)
      const found = Object.values(terms).filter(Boolean).length
      const boost = +!doc.parent + found / Object.keys(terms).length
      items.push({
        ...doc,
        parent: undefined,
        title: highlight(doc.title, matched, this.separator, true),
        text: highlight(doc.text, matched, this.separator, false),
        score: score * (1 + boost ** 2),
        terms
      })
    }
    items.sort((a, b) => b.score - a.score)
    const groups = new Map()
    for (const item of items) {
      const doc = this.map.get(item.location)
      const page = doc.parent ? doc.parent.location : doc.location
      groups.set(page, [...groups.get(page) || [], item])
    }
    for (const [page, group] of groups)
      if (!group.find(item => item.location === page))
        group.push({ ...this.map.get(page), parent: undefined, score: 0, terms: {} })
    const result = { items: [...groups.values()] }
    if (this.options.suggest)
      result.suggest = this.suggest(clauses)
    return result
  }

  suggest(clauses) {
    const titles = this.index.query(builder => {
      for (const clause of clauses)
        builder.term(clause.term, {
          fields: ["title"],
          presence: lunr.Query.presence.REQUIRED,
          wildcard: lunr.Query.wildcard.TRAILING
        })
    })
    return titles.length ? Object.keys(titles[0].matchData.metadata) : []
  }
}

/* A page's first entry stands for the page, the others are its sections. */
function documentMap(docs) {
  const map = new Map()
  for (const doc of docs) {
    const [path] = doc.location.split("#")
    const page = map.get(path)
    if (typeof page === "undefined") {
      map.set(path, doc)
    } else {
      map.set(doc.location, doc)
      doc.parent = page
    }
  }
  return map
}

function transformSearchQuery(query, separator) {
  return transform(query, part => {
    const terms = []
    const lexer = new lunr.QueryLexer(part)
    lexer.run()
    for (const { type, str: term, start, end } of lexer.lexemes)
      switch (type) {
        case "FIELD":
          if (!["title", "text", "tags"].includes(term))
            part = [part.slice(0, end), " ", part.slice(end + 1)].join("")
          break
        case "TERM":
          split(term, separator, (...range) => {
            terms.push([part.slice(0, start), term.slice(...range), part.slice(end)].join(""))
          })
      }
    return terms
  })
}

function transform(query, fn) {
  return query
    .trim()
    .split(/"([^"]+)"/g)
    .map((parts, index) => index & 1
      ? parts.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +")
      : parts)
    .join("")
    .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "")
    .split(/\s+/g)
    .reduce((prev, term) => {
      const next = fn(term)
      return [...prev, ...Array.isArray(next) ? next : [next]]
    }, [])
    .map(term => /([~^]$)/.test(term) ? `${term}1` : term)
    .map(term => /(^[+-]|[~^]\d+$)/.test(term) ? term : `${term}*`)
    .join(" ")
}

function split(input, separator, fn) {
  separator = new RegExp(separator, "g")
  let match
  let index = 0
  do {
    match = separator.exec(input)
    const until = match ? match.index : input.length
    if (index < until)
      fn(index, until)
    if (match) {
      index = match.index + match[0].length
      if (match[0].length === 0)
        separator.lastIndex = match.index + 1
    }
  } while (match)
}

function parseSearchQuery(value) {
  const query = new lunr.Query(["title", "text", "tags"])
  new lunr.QueryParser(value, query).parse()
  for (const clause of query.clauses) {
    clause.usePipeline = true
    if (clause.term.startsWith("*")) {
      clause.wildcard = lunr.Query.wildcard.LEADING
      clause.term = clause.term.slice(1)
    }
    if (clause.term.endsWith("*")) {
      clause.wildcard = lunr.Query.wildcard.TRAILING
      clause.term = clause.term.slice(0, -1)
    }
  }
  return query.clauses
}

/* Each query term: found (true), or missing and worth saying so (false). */
function searchQueryTerms(query, terms) {
  const clauses = new Set(query)
  const result = {}
  for (const term of terms)
    for (const clause of clauses)
      if (term.startsWith(clause.term)) {
        result[clause.term] = true
        clauses.delete(clause)
      }
  for (const clause of clauses)
    if (lunr.stopWordFilter(clause.term))
      result[clause.term] = false
  return result
}

/* The words of `html` that the index matched, marked; text only, never inside a tag
 * or a character reference. Titles whole; texts cut to the (at most two) paragraphs
 * that hold a match, as Material shows them. */
function highlight(html, matched, separator, whole) {
  if (typeof html !== "string" || !matched.length)
    return html
  const wanted = new Set(matched)
  const words = new RegExp(`(${separator.source})`)
  const blocks = html.split(/(?=<p>)/)
  const marked = blocks.map(block => block
    .split(/(<[^>]*>|&#?\w+;)/)
    .map((piece, index) => index & 1 ? piece : piece
      .split(words)
      .map((word, at) => at & 1 || !word || !isMatch(word, wanted)
        ? word
        : `<mark>${word}</mark>`)
      .join(""))
    .join(""))
  if (whole)
    return marked.join("")
  const hits = marked.filter((block, index) => block !== blocks[index])
  return hits.length ? hits.slice(0, 2).join(" ") : html
}

function isMatch(word, wanted) {
  const lower = word.toLowerCase()
  return wanted.has(lower) || wanted.has(fold(lower))
}

function fold(word) {
  return word.normalize("NFKD").replace(/\p{M}/gu, "")
}
