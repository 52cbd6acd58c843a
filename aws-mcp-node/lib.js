'use strict'
// Public entry point of the aws-mcp npm package: the native functions and
// classes (loaded by the napi-rs generated index.js, which picks this
// platform's package) with typed errors. Types: lib.d.ts. The suggestion
// engine's model and ONNX Runtime are located first (engine.js).
require('./engine.js').configure()
const native = require('./index.js')
const errors = require('./errors.js')

/** The AWS CLI command table: the embedded one, or `Catalog.fromPath(file)`. */
class Catalog {
  constructor(inner) {
    this._inner = inner instanceof native.Catalog ? inner : new native.Catalog()
  }
  static fromPath(path) {
    return new Catalog(errors.wrap(native.Catalog.fromPath)(path))
  }
  services() { return this._inner.services() }
  operations(service) { return this._inner.operations(service) }
  command(service, operation) { return errors.wrap(() => this._inner.command(service, operation))() }
  stats() { return errors.wrap(() => this._inner.stats())() }
  validate(command) { return errors.wrap(() => this._inner.validate(command))() }
}

/** The security policy, configured from environment variables (default: process.env). */
class Policy {
  constructor(env) {
    this._inner = errors.wrap(() => new native.Policy(env))()
  }
  assess(command) { return errors.wrap(() => this._inner.assess(command))() }
}

const validate = errors.wrap((command, catalog) => native.validate(command, catalog ? catalog._inner : undefined))
const suggestJson = errors.wrap(native.suggestJson)

/** The k (default 3) commands most likely to do what `query` asks, best first. */
async function suggest(query, k) {
  return JSON.parse(await suggestJson(query, k))
}

const { wrap, convert, ...errorClasses } = errors
module.exports = {
  Catalog,
  Policy,
  validate,
  classify: errors.wrap(native.classify),
  suggest,
  suggestEngine: errors.wrap(native.suggestEngine),
  serve: errors.wrap(native.serve),
  cliMain: native.cliMain,
  version: native.version,
  ...errorClasses,
}
