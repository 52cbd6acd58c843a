'use strict'
// Typed errors of the aws-mcp package. The native addon throws Error objects
// whose data are properties (`domain`, `kind`, `code`, `suggestions`; no JSON
// in the message); `wrap` turns them into instances of these classes, keeping
// the native error as `cause`.

class AwsMcpError extends Error {
  /**
   * @param {string} message what went wrong, in one sentence a model can act on
   * @param {string} [kind] the core's stable error kind, such as `unknown_operation`
   * @param {string[]} [suggestions] the closest valid names, missing parameters or allowed values
   * @param {{cause?: unknown}} [options]
   */
  constructor(message, kind = 'error', suggestions = [], options) {
    super(message, options)
    this.name = new.target.name
    this.kind = kind
    // Node's convention for machine-readable error names; the same as `kind`.
    this.code = kind
    this.suggestions = [...suggestions]
  }
}
class CatalogError extends AwsMcpError {}
class ValidationError extends AwsMcpError {}
class PolicyError extends AwsMcpError {}
class RetrievalError extends AwsMcpError {}
class ServerError extends AwsMcpError {}

const CLASSES = {
  catalog: CatalogError,
  validation: ValidationError,
  policy: PolicyError,
  retrieval: RetrievalError,
  server: ServerError,
}

function convert(err) {
  if (!(err instanceof Error) || typeof err.domain !== 'string' || err instanceof AwsMcpError) return err
  const Cls = CLASSES[err.domain] || AwsMcpError
  return new Cls(err.message, err.kind, Array.isArray(err.suggestions) ? err.suggestions : [], { cause: err })
}

function wrap(fn) {
  return function wrapped(...args) {
    let out
    try {
      out = fn.apply(this, args)
    } catch (err) {
      throw convert(err)
    }
    if (out && typeof out.then === 'function') return out.catch((err) => { throw convert(err) })
    return out
  }
}

module.exports = { AwsMcpError, CatalogError, ValidationError, PolicyError, RetrievalError, ServerError, wrap, convert }
