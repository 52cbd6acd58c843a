//! Serializable descriptions of commands, for adapters (`aws-mcp`, Python, Node).

use serde::Serialize;

use super::{ArgType, CatalogError, Command, CommandKind};
use crate::command::ApiOperation;

/// A command as adapters present it: names, description and every argument.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CommandInfo {
    /// The top-level command (`ec2`).
    pub service: String,
    /// The command after the service (`describe-instances`).
    pub operation: String,
    /// Operation, customization or waiter.
    pub kind: CommandKind,
    /// The botocore service and operation, when there is one.
    pub api: Option<ApiOperation>,
    /// One-line description.
    pub description: String,
    /// Deprecated but still accepted.
    pub deprecated: bool,
    /// Every argument, in the CLI's order.
    pub args: Vec<ArgInfo>,
}

/// One argument of a [`CommandInfo`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ArgInfo {
    /// CLI name without `--`.
    pub name: String,
    /// CLI type.
    #[serde(rename = "type")]
    pub arg_type: ArgType,
    /// Required by the CLI.
    pub required: bool,
    /// Positional (customizations).
    pub positional: bool,
    /// Hidden from help but accepted.
    pub hidden: bool,
    /// Allowed values, if restricted.
    pub choices: Vec<String>,
    /// One-line description.
    pub doc: String,
}

impl CommandInfo {
    /// Describe `command` (decodes its service on first use).
    ///
    /// # Errors
    /// The service's frame does not decode (a corrupt catalog file).
    pub fn new(command: &Command<'_>) -> Result<CommandInfo, CatalogError> {
        let args = command.args()?;
        Ok(CommandInfo {
            service: command.service().name().to_string(),
            operation: command.name().to_string(),
            kind: command.kind(),
            api: match (command.service().api_name(), command.api_operation()) {
                (Some(s), Some(o)) => Some(ApiOperation {
                    service: s.to_string(),
                    operation: o.to_string(),
                }),
                _ => None,
            },
            description: command.description().to_string(),
            deprecated: command.deprecated(),
            args: args
                .iter()
                .map(|a| ArgInfo {
                    name: a.name.to_string(),
                    arg_type: a.arg_type,
                    required: a.required,
                    positional: a.positional,
                    hidden: a.hidden,
                    choices: a.choices.iter().map(|c| c.to_string()).collect(),
                    doc: a.doc.to_string(),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn describes_a_command_with_its_arguments() {
        let cmd = Catalog::embedded()
            .command("s3api", "list-objects-v2")
            .expect("exists");
        let info = CommandInfo::new(&cmd).unwrap();
        assert_eq!(
            info.api,
            Some(ApiOperation {
                service: "s3".into(),
                operation: "ListObjectsV2".into()
            })
        );
        let bucket = info
            .args
            .iter()
            .find(|a| a.name == "bucket")
            .expect("bucket");
        assert!(bucket.required);
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(v["args"][0]["type"], "string");
    }
}
