'use strict'
// The JavaScript API: Catalog, validate, classify, Policy, suggest and typed
// errors; the same operations, with the same names, as the Python package.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const aws = require(process.env.AWS_MCP_PACKAGE || '..')

test('the API offers the operations the Python package offers', () => {
  for (const name of ['Catalog', 'Policy', 'validate', 'classify', 'suggest', 'suggestEngine', 'serve', 'cliMain', 'version']) {
    assert.equal(typeof aws[name], 'function', name)
  }
  for (const name of ['AwsMcpError', 'CatalogError', 'ValidationError', 'PolicyError', 'RetrievalError', 'ServerError']) {
    assert.ok(aws[name].prototype instanceof Error, name)
  }
  assert.match(aws.version(), /^\d+\.\d+\.\d+/)
})

test('catalog lookups', () => {
  const catalog = new aws.Catalog()
  assert.ok(catalog.services().includes('ec2'))
  assert.ok(catalog.operations('sts').includes('get-caller-identity'))
  assert.deepEqual(catalog.operations('no-such-service'), [])
  const cmd = catalog.command('ec2', 'describe-instances')
  assert.deepEqual(cmd.api, { service: 'ec2', operation: 'DescribeInstances' })
  assert.ok(cmd.args.some((a) => a.name === 'instance-ids'))
  assert.equal(catalog.command('ec2', 'describe-instance'), null)
  assert.equal(catalog.validate('aws s3 ls').service, 's3')
})

test('a bad catalog file is a CatalogError', () => {
  const file = path.join(os.tmpdir(), `aws-mcp-bad-catalog-${process.pid}`)
  fs.writeFileSync(file, 'not a catalog')
  try {
    assert.throws(() => aws.Catalog.fromPath(file), (err) => {
      assert.ok(err instanceof aws.CatalogError)
      assert.equal(err.kind, 'catalog')
      return true
    })
  } finally {
    fs.unlinkSync(file)
  }
})

test('validate returns typed parameters', () => {
  const v = aws.validate('aws ec2 describe-instances --instance-ids i-1 i-2 --region eu-west-1')
  assert.equal(v.service, 'ec2')
  assert.equal(v.region, 'eu-west-1')
  assert.deepEqual(v.parameters.InstanceIds, ['i-1', 'i-2'])
  assert.equal(aws.validate('aws s3 ls', new aws.Catalog()).operation, 'ls')
})

test('validation errors are real subclasses with kind, code and suggestions', () => {
  assert.throws(() => aws.validate('aws ec2 describe-instance'), (err) => {
    assert.ok(err instanceof aws.ValidationError)
    assert.ok(err instanceof aws.AwsMcpError)
    assert.equal(err.name, 'ValidationError')
    assert.equal(err.kind, 'unknown_operation')
    assert.equal(err.code, 'unknown_operation')
    assert.ok(err.suggestions.includes('describe-instances'))
    assert.ok(!err.message.includes('{'), `no JSON in the message: ${err.message}`)
    assert.ok(err.message.includes('describe-instances'))
    assert.ok(err.cause instanceof Error)
    return true
  })
  assert.throws(() => aws.validate('aws s3 ls | sh'), (err) => err.kind === 'shell_operator')
})

test('classify', () => {
  assert.equal(aws.classify('aws s3api list-buckets').read_only, true)
  const c = aws.classify('aws ec2 terminate-instances --instance-ids i-1')
  assert.equal(c.read_only, false)
  assert.equal(c.access_level, 'write')
})

test('policy in read-only mode, from a plain object and from process.env', () => {
  const home = os.tmpdir()
  const p = new aws.Policy({ AWS_REGION: 'us-east-1', READ_OPERATIONS_ONLY: 'true', HOME: home, AWS_API_MCP_WORKING_DIR: home })
  assert.equal(p.assess('aws s3api list-buckets').decision, 'allow')
  assert.equal(p.assess('aws s3api list-buckets').rule, undefined)
  const d = p.assess('aws s3api create-bucket --bucket b')
  assert.equal(d.decision, 'deny')
  assert.equal(d.rule, 'read_only')
  assert.equal(d.access_level, 'write')
  assert.ok(d.reason.length > 0)
  const saved = { ...process.env }
  try {
    Object.assign(process.env, { AWS_REGION: 'eu-west-1', READ_OPERATIONS_ONLY: 'true', AWS_API_MCP_WORKING_DIR: home })
    assert.equal(new aws.Policy(process.env).assess('aws s3api create-bucket --bucket b').decision, 'deny')
    assert.equal(new aws.Policy().assess('aws s3api create-bucket --bucket b').decision, 'deny')
  } finally {
    for (const k of ['AWS_REGION', 'READ_OPERATIONS_ONLY', 'AWS_API_MCP_WORKING_DIR']) {
      if (k in saved) process.env[k] = saved[k]; else delete process.env[k]
    }
  }
})

test('policy configuration errors name the variable', () => {
  assert.throws(() => new aws.Policy({ AWS_REGION: 'mars-1', HOME: os.tmpdir() }), (err) => {
    assert.ok(err instanceof aws.PolicyError)
    assert.equal(err.kind, 'policy')
    assert.match(err.message, /AWS_REGION/)
    return true
  })
})

test('suggest resolves to commands with parameters', async () => {
  const found = await aws.suggest('list my ec2 instances', 3)
  assert.equal(found.length, 3)
  assert.ok(found.some((s) => s.command === 'aws ec2 describe-instances'))
  assert.ok(found[0].parameters.length > 0)
  assert.ok(['lexical', 'dense', 'hybrid'].includes(aws.suggestEngine()))
})

test('suggestions carry a ready command with the request values, which validates', async () => {
  const [top] = await aws.suggest('stop i-0f1e2d3c4b5a69788 for the weekend', 1)
  assert.equal(top.command, 'aws ec2 stop-instances')
  assert.equal(top.ready, 'aws ec2 stop-instances --instance-ids i-0f1e2d3c4b5a69788')
  assert.deepEqual(top.missing, [])
  assert.deepEqual(aws.validate(top.ready).parameters, { InstanceIds: ['i-0f1e2d3c4b5a69788'] })
})

test('the package finds its model files and the onnxruntime-node library', () => {
  const main = require.resolve(process.env.AWS_MCP_PACKAGE || '..')
  const engine = require(require('node:path').join(require('node:path').dirname(main), 'engine.js'))
  assert.ok(process.env.AWS_MCP_MODEL_DIR && process.env.AWS_MCP_MODEL_DIR.endsWith('minilm'))
  assert.ok(engine.runtimeLibrary(), 'onnxruntime-node is installed with the package')
})

test('suggest rejects bad queries with RetrievalError', async () => {
  for (const bad of ['', '   ', 'x'.repeat(2001)]) {
    await assert.rejects(aws.suggest(bad), (err) => {
      assert.ok(err instanceof aws.RetrievalError)
      assert.ok(['empty_query', 'query_too_long'].includes(err.kind))
      assert.equal(err.code, err.kind)
      return true
    })
  }
})
