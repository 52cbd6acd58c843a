'use strict'
// Public entry point of the aws-mcp npm package: the native functions and
// classes with typed errors (see lib.d.ts for the types).
require('./engine.js').configure()
const native = require('./index.js')
const errors = require('./errors.js')

class Policy {
  constructor(env) {
    this._inner = errors.wrap(() => new native.Policy(env))()
    this.decide = errors.wrap(this._inner.decide.bind(this._inner))
  }
}

const api = {}
for (const [name, value] of Object.entries(native)) {
  if (typeof value === 'function' && name !== 'Policy') api[name] = errors.wrap(value)
}

const suggestJson = api.suggestJson
delete api.suggestJson
/** The k (default 3) commands most likely to do what `query` asks, best first. */
async function suggest(query, k) {
  return JSON.parse(await suggestJson(query, k))
}

const { wrap, ...errorClasses } = errors
module.exports = { ...api, suggest, Policy, ...errorClasses }
