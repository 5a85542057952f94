/*
 * The search worker of a dossier site, put in place by the `dossier-search` MkDocs plugin.
 *
 * Material's own worker builds the lunr index in the reader's browser at every full page
 * load: seconds for a dossier of thousands of pages, before the first result shows. This
 * worker loads the index that the plugin built at site build time with the same settings
 * (`lunr_index.json`, see generator/search.py) as soon as the page starts it, and answers
 * Material's messages as Material's worker does: the query read the same way, results
 * grouped by page, terms found and missing, highlighted words, suggestions. The text that
 * results show is fetched for the entries a query finds (`text/*.json`). The query code
 * follows Material for MkDocs (MIT licence), src/templates/assets/javascripts/integrations/
 * search/.
 *
 * Pages are then ranked as a reader expects (`rankOf`, as generator/site/search.py ranks
 * them): the entity whose name or other name the query is; then, when there is one, the
 * pages other than articles with every word of the query in their title or names (its
 * events, other entities named after it); then those with every word somewhere (the
 * articles that mention it, whatever their title); then those with some. By score
 * within a rank, by location for equal scores.
 */
"use strict"

importScripts("lunr.js")

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3
const FORMAT = "dossier-lunr/3"
const K1 = 1.2  // lunr's default; Material sets b to 0, so field lengths play no part
const RANK = { NAME: 0, HEADLINE: 1, ALL_WORDS: 2, SOME_WORDS: 3 }
const HEADLINE_FIELDS = ["title", "title_folded", "names"]

function fetchJSON(path) {
  return fetch(path).then(response => {
    if (!response.ok)
      throw new Error(`search/${path}: HTTP ${response.status}`)
    return response.json()
  })
}

const prebuilt = fetchJSON("lunr_index.json").then(data => {
  if (data.format !== FORMAT)
    throw new Error(`search/lunr_index.json: not a ${FORMAT} index`)
  return data
})

/* A lunr index over the prebuilt data. Each term lists, for each field, the entries
 * where it is found as deltas (negative when its frequency there follows); lunr wants
 * `{entry: {}}` for each field, and a vector of scores for each entry and field. Both are
 * made for the terms a query reaches, when it reaches them: for all terms at load it
 * would take longer than reading the file. A vector then holds the scores of the terms
 * made so far, which are all those a query's dot product reads. */
function prebuiltIndex(data) {
  const count = data.locations.length
  const docBoosts = new Map(data.boosts)
  const numbers = new Map(data.terms.map((term, at) => [term, at]))
  const fieldVectors = Object.create(null)
  const invertedIndex = new Proxy(Object.create(null), {
    get(target, term) {
      if (typeof term !== "string" || !numbers.has(term))
        return undefined
      if (!(term in target))
        target[term] = posting(numbers.get(term))
      return target[term]
    }
  })

  function posting(at) {
    const entries = data.fields.map((_, field) => decode(data.postings[at][field] || []))
    const found = entries.reduce((sum, list) => sum + list.length / 2, 0)
    const idf = Math.log(1 + Math.abs((count - found + 0.5) / (found + 0.5)))
    const result = { _index: at }
    data.fields.forEach((name, field) => {
      const refs = {}
      const list = entries[field]
      for (let i = 0; i < list.length; i += 2) {
        const number = list[i]
        const tf = list[i + 1]
        refs[number] = {}
        const score = idf * ((K1 + 1) * tf) / (K1 + tf)
          * data.fieldBoosts[field] * (docBoosts.get(number) ?? 1)
        const ref = `${name}/${number}`
        const vector = fieldVectors[ref] || (fieldVectors[ref] = new lunr.Vector())
        vector.insert(at, Math.round(score * 1000) / 1000)
      }
      result[name] = refs
    })
    return result
  }

  return new lunr.Index({
    invertedIndex,
    fieldVectors,
    tokenSet: lunr.TokenSet.fromArray(data.terms),
    fields: data.fields,
    pipeline: new lunr.Pipeline()
  })
}

/* [4, -2, 2, 4] -> [3, 1, 5, 2, 9, 1]: entry, term frequency, ... */
function decode(deltas) {
  const entries = []
  let number = -1
  for (let i = 0; i < deltas.length; i++) {
    if (deltas[i] < 0) {
      number -= deltas[i]
      entries.push(number, deltas[++i])
    } else {
      number += deltas[i]
      entries.push(number, 1)
    }
  }
  return entries
}

/* The text of the entries, fetched a file at a time, each file once. */
class Texts {
  constructor({ perFile, files }) {
    this.perFile = perFile
    this.files = files
    this.loaded = new Map()
  }

  async of(numbers) {
    const wanted = [...new Set(numbers.map(number => Math.floor(number / this.perFile)))]
    const files = new Map(await Promise.all(wanted.map(async at => [at, await this.file(at)])))
    return number => files.get(Math.floor(number / this.perFile))[number % this.perFile] ?? ""
  }

  file(at) {
    if (!this.loaded.has(at))
      this.loaded.set(at, fetchJSON(this.files[at]).catch(error => {
        this.loaded.delete(at)  // tried again by the next query
        console.warn(error)
        return []
      }))
    return this.loaded.get(at)
  }
}

let search
let answered = Promise.resolve()

addEventListener("message", event => {
  const message = event.data
  if (message.type === SETUP) {
    answered = answered.then(async () => {
      search = new Search(await prebuilt, message.data)
      postMessage({ type: READY })
    })
  } else if (message.type === QUERY) {
    // One query at a time, answered in the order asked (a query may wait for text files).
    answered = answered.then(async () => {
      let data
      try {
        data = await search.query(message.data)
      } catch (error) {
        console.warn(`Invalid query: ${message.data}`, error)
        data = { items: [] }
      }
      postMessage({ type: RESULT, data })
    })
  }
})

class Search {
  constructor(data, { config, options }) {
    this.index = prebuiltIndex(data)
    this.texts = new Texts(data.texts)
    this.options = options
    this.separator = new RegExp(config.separator)
    lunr.tokenizer.separator = this.separator
    this.docs = data.locations.map((location, number) =>
      ({ location, title: data.titles[number], number }))
    this.map = documentMap(this.docs)
    this.otherNames = new Map(data.nameKeys.map(([number, ...keys]) => [number, new Set(keys)]))
    this.articles = data.articles
  }

  async query(value) {
    const query = transformSearchQuery(value, this.separator)
    if (!query)
      return { items: [] }
    const clauses = parseSearchQuery(query)
      .filter(clause => clause.presence !== lunr.Query.presence.PROHIBITED)
    const hits = []
    for (const { ref, score, matchData } of this.index.search(query)) {
      const doc = this.docs[+ref]
      if (this.map.get(doc.location) !== doc)
        continue
      const matched = Object.keys(matchData.metadata)
      const terms = searchQueryTerms(clauses, matched)
      const found = Object.values(terms).filter(Boolean).length
      const boost = +!doc.parent + found / Object.keys(terms).length
      hits.push({
        doc, matched, terms, score: score * (1 + boost ** 2),
        headline: headlineTerms(clauses, matchData.metadata),
        named: Object.values(matchData.metadata).some(fields => "names" in fields)
      })
    }
    hits.sort((a, b) => b.score - a.score || compare(a.doc.location, b.doc.location))
    const groups = new Map()
    for (const hit of hits) {
      const page = hit.doc.parent || hit.doc
      groups.set(page, [...groups.get(page) || [], hit])
    }
    const ranked = this.ranked(groups, hits, nameKey(value, this.separator))
    for (const [page, group] of ranked)
      if (!group.find(hit => hit.doc === page))
        group.push({ doc: page, matched: [], terms: {}, score: 0 })
    const text = await this.texts.of(ranked.flatMap(([, group]) => group).map(hit => hit.doc.number))
    const items = ranked.map(([, group]) => group.map(hit => ({
      location: hit.doc.location,
      title: highlight(hit.doc.title, hit.matched, this.separator, true),
      text: highlight(text(hit.doc.number), hit.matched, this.separator, false),
      score: hit.score,
      terms: hit.terms
    })))
    const result = { items }
    if (this.options.suggest)
      result.suggest = this.suggest(clauses)
    return result
  }

  /* [page, its hits] for each page, best first (see the top of this file). */
  ranked(groups, hits, key) {
    const known = new Set(hits.flatMap(hit => foundTerms(hit)))
    const ranks = [...groups]
      .map(([page, group]) => ({ page, group, rank: this.rankOf(page, group, known, key) }))
    if (!ranks.some(({ rank }) => rank === RANK.NAME))
      for (const page of ranks)  // no entity named, so no pages about it
        page.rank = Math.max(page.rank, RANK.ALL_WORDS)
    return ranks
      .sort((a, b) => a.rank - b.rank || b.group[0].score - a.group[0].score
        || compare(a.page.location, b.page.location))
      .map(({ page, group }) => [page, group])
  }

  /* `known`: the query terms some entry has (a stop word or a typo is in none, so it
   * cannot keep a page from having every word); `key`: the query as typed, as a name
   * (not from the clauses: Material's reading repeats `bandar-e` in `bandar-e deylam`). */
  rankOf(page, group, known, key) {
    const own = group.find(hit => hit.doc === page)
    if (own && own.named && (key === nameKey(page.title, this.separator)
        || (this.otherNames.get(page.number)?.has(key) ?? false)))
      return RANK.NAME
    const found = new Set(group.flatMap(foundTerms))
    if (![...known].every(term => found.has(term)))
      return RANK.SOME_WORDS
    const headline = new Set(group.flatMap(hit => [...hit.headline]))
    const about = [...known].every(term => headline.has(term))
      && !page.location.startsWith(this.articles)
    return about ? RANK.HEADLINE : RANK.ALL_WORDS
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

function foundTerms(hit) {
  return Object.keys(hit.terms).filter(term => hit.terms[term])
}

/* The query terms that an entry has in its title or names. */
function headlineTerms(clauses, metadata) {
  const found = new Set()
  for (const [term, fields] of Object.entries(metadata))
    if (HEADLINE_FIELDS.some(field => field in fields))
      for (const clause of clauses)
        if (term.startsWith(clause.term))
          found.add(clause.term)
  return found
}

/* A name as a whole query is compared with it: its words lowercased, split on the
 * separator and accent-folded, one space apart (`Al-Qaïda` -> `al qaida`); the plugin
 * computes the other names' keys alike (search_fields.name_key). */
function nameKey(text, separator) {
  return text.toLowerCase().split(separator).filter(Boolean).map(fold).join(" ")
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0
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
