// Types of the aws-mcp npm package (the native functions wrapped with typed errors).

export interface ArgInfo {
  name: string
  type: string
  required: boolean
  positional: boolean
  hidden: boolean
  choices: string[]
  doc: string
}

export interface ApiOperation {
  service: string
  operation: string
}

export interface CatalogCommand {
  service: string
  operation: string
  kind: 'operation' | 'custom' | 'waiter'
  api: ApiOperation | null
  description: string
  deprecated: boolean
  args: ArgInfo[]
}

export interface LocalPath {
  path: string
  access: 'read' | 'write'
  arg: string
  origin: string
}

export interface ValidatedCommand {
  service: string
  operation: string
  kind: 'operation' | 'custom' | 'waiter'
  api: ApiOperation | null
  region: string | null
  globals: Record<string, unknown>
  parameters: Record<string, unknown>
  args: { name: string; values: string[] }[]
  local_paths: LocalPath[]
  argv: string[]
  notes: string[]
}

export interface Classification {
  access_level: 'read' | 'list' | 'write' | 'permissions_management' | 'tagging' | 'unknown'
  read_only: boolean
  iam_actions: string[]
  source: string
  reason: string
  flags: Record<string, boolean>
}

export interface Verdict {
  decision: 'allow' | 'deny' | 'consent'
  reason: string | null
  access_level: Classification['access_level']
  read_only: boolean
}

export interface ParamInfo {
  name: string
  type: string
  required: boolean
  doc: string
}

export interface Suggestion {
  command: string
  service: string
  operation: string
  description: string
  score: number
  parameters: ParamInfo[]
  /** The command ready to run: the query's values filled in, `'<option>'` placeholders for required options still to give. */
  ready: string
  /** Options of `ready` filled from the query. */
  filled: string[]
  /** Required options the query does not give. */
  missing: string[]
}

/** Version of the native addon. */
export function version(): string
/** Names of every top-level command (`ec2`, `s3api`, `s3`, ...). */
export function services(): string[]
/** One command of the catalog, or null. */
export function command(service: string, operation: string): CatalogCommand | null
/** Counts over the whole command table. */
export function stats(): Record<string, string | number>
/** Validate an `aws ...` command; throws ValidationError. */
export function validate(command: string): ValidatedCommand
/** Access level and read-only flag of a command; throws ValidationError. */
export function classify(command: string): Classification

/** The k (default 3) commands most likely to do what `query` asks; rejects with RetrievalError. */
export function suggest(query: string, k?: number): Promise<Suggestion[]>

/** Serve MCP over stdin/stdout until stdin closes (blocks); throws ServerError for a bad configuration. */
export function serve(): void

/** The security policy, configured from environment variables (default: process.env). */
export class Policy {
  constructor(env?: Record<string, string>)
  decide(command: string): Verdict
}

export class AwsMcpError extends Error {
  /** The core error kind, such as `unknown_operation`. */
  code: string
  /** Closest valid names, missing parameters or allowed values. */
  suggestions: string[]
}
export class CatalogError extends AwsMcpError {}
export class ValidationError extends AwsMcpError {}
export class PolicyError extends AwsMcpError {}
export class RetrievalError extends AwsMcpError {}
export class ServerError extends AwsMcpError {}
