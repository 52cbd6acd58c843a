'use strict'
// Typed errors for the aws-mcp package. The native addon reports failures as
// Error messages of the form `AWSMCP:{"code": ..., "message": ..., "suggestions": [...]}`;
// `wrap` turns them into these classes, keeping the original error as `cause`.

class AwsMcpError extends Error {
  constructor(message, code = 'error', suggestions = [], options) {
    super(message, options)
    this.name = this.constructor.name
    this.code = code
    this.suggestions = suggestions
  }
}
class CatalogError extends AwsMcpError {}
class ValidationError extends AwsMcpError {}
class PolicyError extends AwsMcpError {}
class RetrievalError extends AwsMcpError {}
class ServerError extends AwsMcpError {}

const PREFIX = 'AWSMCP:'

function classFor(domain) {
  switch (domain) {
    case 'catalog': return CatalogError
    case 'validation': return ValidationError
    case 'policy': return PolicyError
    case 'retrieval': return RetrievalError
    case 'server': return ServerError
    default: return AwsMcpError
  }
}

function convert(err) {
  if (!(err instanceof Error) || !err.message.startsWith(PREFIX)) return err
  let payload
  try {
    payload = JSON.parse(err.message.slice(PREFIX.length))
  } catch {
    return err
  }
  const Cls = classFor(payload.domain)
  return new Cls(payload.message, payload.code, payload.suggestions || [], { cause: err })
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

module.exports = { AwsMcpError, CatalogError, ValidationError, PolicyError, RetrievalError, ServerError, wrap }
