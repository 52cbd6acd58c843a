'use strict'
// The JavaScript API: catalog, validate, classify, Policy and typed errors.
const test = require('node:test')
const assert = require('node:assert/strict')
const os = require('node:os')
const aws = require(process.env.AWS_MCP_PACKAGE || '..')

test('catalog lookups', () => {
  assert.ok(aws.services().includes('ec2'))
  const cmd = aws.command('ec2', 'describe-instances')
  assert.deepEqual(cmd.api, { service: 'ec2', operation: 'DescribeInstances' })
  assert.ok(cmd.args.some((a) => a.name === 'instance-ids'))
  assert.equal(aws.command('ec2', 'describe-instance'), null)
})

test('validate returns typed parameters', () => {
  const v = aws.validate('aws ec2 describe-instances --instance-ids i-1 i-2 --region eu-west-1')
  assert.equal(v.service, 'ec2')
  assert.equal(v.region, 'eu-west-1')
  assert.deepEqual(v.parameters.InstanceIds, ['i-1', 'i-2'])
})

test('validation errors are typed, with code and suggestions', () => {
  assert.throws(() => aws.validate('aws ec2 describe-instance'), (err) => {
    assert.ok(err instanceof aws.ValidationError)
    assert.ok(err instanceof aws.AwsMcpError)
    assert.equal(err.code, 'unknown_operation')
    assert.ok(err.suggestions.includes('describe-instances'))
    assert.ok(err.cause instanceof Error)
    return true
  })
  assert.throws(() => aws.validate('aws s3 ls | sh'), (err) => err.code === 'shell_operator')
})

test('classify', () => {
  assert.equal(aws.classify('aws s3api list-buckets').read_only, true)
  const c = aws.classify('aws ec2 terminate-instances --instance-ids i-1')
  assert.equal(c.read_only, false)
  assert.equal(c.access_level, 'write')
})

test('policy in read-only mode', () => {
  const home = os.tmpdir()
  const p = new aws.Policy({ AWS_REGION: 'us-east-1', READ_OPERATIONS_ONLY: 'true', HOME: home, AWS_API_MCP_WORKING_DIR: home })
  assert.equal(p.decide('aws s3api list-buckets').decision, 'allow')
  const d = p.decide('aws s3api create-bucket --bucket b')
  assert.equal(d.decision, 'deny')
  assert.ok(d.reason.length > 0)
})

test('policy configuration errors name the variable', () => {
  assert.throws(() => new aws.Policy({ AWS_REGION: 'mars-1', HOME: os.tmpdir() }), (err) => {
    assert.ok(err instanceof aws.PolicyError)
    assert.match(err.message, /AWS_REGION/)
    return true
  })
})

test('suggest resolves to commands with parameters', async () => {
  const found = await aws.suggest('list my ec2 instances', 3)
  assert.equal(found.length, 3)
  assert.ok(found.some((s) => s.command === 'aws ec2 describe-instances'))
  assert.ok(found[0].parameters.length > 0)
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
      assert.ok(['empty_query', 'query_too_long'].includes(err.code))
      return true
    })
  }
})
