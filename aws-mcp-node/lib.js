'use strict'
// Public entry point of the aws-mcp npm package: the native functions and
// classes with typed errors (see lib.d.ts for the types).
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

const { wrap, ...errorClasses } = errors
module.exports = { ...api, Policy, ...errorClasses }
