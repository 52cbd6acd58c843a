'use strict'
// Public entry point of the aws-mcp npm package: the native functions with
// typed errors. See lib.d.ts for the types.
const native = require('./index.js')
const errors = require('./errors.js')

const api = {}
for (const [name, value] of Object.entries(native)) {
  api[name] = typeof value === 'function' ? errors.wrap(value) : value
}

module.exports = { ...api, ...errors, wrap: undefined }
delete module.exports.wrap
