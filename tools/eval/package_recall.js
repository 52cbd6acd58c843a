// Recall of the npm package's suggestion engine out of the box (see package_recall.py).
//   node tools/eval/package_recall.js FILE.jsonl   (AWS_MCP_PACKAGE=<path or name> picks the package)
'use strict'
const fs = require('node:fs')
const aws = require(process.env.AWS_MCP_PACKAGE || 'aws-mcp')

async function main () {
  const file = process.argv[2]
  if (!file) throw new Error('usage: package_recall.js FILE.jsonl')
  const cases = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
  if (cases.length === 0) throw new Error(`${file}: no requests`)
  let hit1 = 0
  let hit3 = 0
  for (const c of cases) {
    const ok = new Set([...c.expected, ...(c.also_ok || [])].map((x) => `aws ${x}`))
    const got = (await aws.suggest(c.query, 3)).map((s) => s.command)
    if (got.length && ok.has(got[0])) hit1++
    if (got.some((g) => ok.has(g))) hit3++
  }
  const n = cases.length
  console.log(`${file}: ${n} requests, engine ${aws.suggestEngine()}, recall@1 ${(hit1 / n).toFixed(3)}, recall@3 ${(hit3 / n).toFixed(3)}`)
}

main().catch((e) => { console.error(e.message); process.exit(2) })
