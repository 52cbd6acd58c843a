#!/usr/bin/env node
'use strict'
// `npx aws-mcp`: serve MCP over stdio with the same server as the Rust binary.
// Configuration comes from the environment (AWS_REGION, READ_OPERATIONS_ONLY, ...).
const args = process.argv.slice(2)
if (args.includes('-h') || args.includes('--help')) {
  process.stderr.write('aws-mcp: serves MCP over stdio; configure with environment variables (see the README)\n')
  process.exit(0)
}
if (args.length > 0 && args[0] !== 'serve') {
  process.stderr.write('aws-mcp (npm package): only `aws-mcp` / `aws-mcp serve` are available here; use the Rust binary for check, suggest and catalog\n')
  process.exit(2)
}
const aws = require('../lib.js')
try {
  aws.serve()
  process.exit(0)
} catch (err) {
  process.stderr.write(`aws-mcp: ${err.message}\n`)
  process.exit(1)
}
