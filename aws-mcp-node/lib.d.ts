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

/** What the classifier and the policy say about one command (`rule` and `reason` only when not allowed). */
export interface Assessment {
  access_level: Classification['access_level']
  read_only: boolean
  iam_actions: string[]
  classification_source: string
  classification_reason: string
  decision: 'allow' | 'deny' | 'consent'
  /** The rule that refused or asked for consent: read_only, deny_list, secret, file, endpoint, profile, credential, interactive, consent, ... */
  rule?: string
  reason?: string
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

/** The AWS CLI command table. */
export class Catalog {
  /** The catalog embedded in this build. */
  constructor()
  /** Load a catalog file written by `tools/catalog-gen/generate.py --out FILE`; throws CatalogError. */
  static fromPath(path: string): Catalog
  /** Names of every top-level command (`ec2`, `s3api`, `s3`, ...). */
  services(): string[]
  /** Names of the commands of one service (empty for an unknown service). */
  operations(service: string): string[]
  /** One command of the catalog, or null. */
  command(service: string, operation: string): CatalogCommand | null
  /** Counts over the whole command table. */
  stats(): Record<string, string | number>
  /** Validate an `aws ...` command against this catalog; throws ValidationError. */
  validate(command: string): ValidatedCommand
}

/** Validate an `aws ...` command (against `catalog`, default the embedded one); throws ValidationError. */
export function validate(command: string, catalog?: Catalog): ValidatedCommand
/** Access level and read-only flag of a command; throws ValidationError. */
export function classify(command: string): Classification

/** The k (default 3) commands most likely to do what `query` asks; rejects with RetrievalError. */
export function suggest(query: string, k?: number): Promise<Suggestion[]>
/** The engine `suggest` uses: `lexical`, `dense` or `hybrid`. */
export function suggestEngine(): string

/** Serve MCP over stdin/stdout until stdin closes (blocks); throws ServerError for a bad configuration. */
export function serve(): void
/** Run the `aws-mcp` command line (args[0] is the program name); returns its exit status. */
export function cliMain(args: string[]): number

/** The security policy, configured from environment variables (default: process.env). */
export class Policy {
  constructor(env?: Record<string, string | undefined>)
  /** Classify `command` and decide whether it may run, as the server does; throws ValidationError. */
  assess(command: string): Assessment
}

export class AwsMcpError extends Error {
  constructor(message: string, kind?: string, suggestions?: string[], options?: { cause?: unknown })
  /** The core error kind, such as `unknown_operation`. */
  kind: string
  /** The same as `kind` (Node's convention for machine-readable error names). */
  code: string
  /** Closest valid names, missing parameters or allowed values. */
  suggestions: string[]
}
export class CatalogError extends AwsMcpError {}
export class ValidationError extends AwsMcpError {}
export class PolicyError extends AwsMcpError {}
export class RetrievalError extends AwsMcpError {}
export class ServerError extends AwsMcpError {}
