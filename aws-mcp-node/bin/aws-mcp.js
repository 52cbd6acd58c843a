#!/usr/bin/env node
'use strict'
// The `aws-mcp` bin: the same command line as the Rust binary. `aws-mcp` (or
// `aws-mcp serve`) serves MCP over stdio; `check`, `suggest`, `run` and
// `catalog` work as documented in `aws-mcp --help`. The arguments go to the
// Rust command line unchanged, so every entry point behaves alike.
const aws = require('../lib.js')
process.exit(aws.cliMain(['aws-mcp', ...process.argv.slice(2)]))
