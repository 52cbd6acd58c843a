//! awscli's EMR arguments of generated commands, translated into API
//! parameters.
//!
//! * `emr list-clusters`: `--cluster-states`, `--active`, `--terminated`,
//!   `--failed`, `--created-after` and `--created-before`
//!   (`customizations/emr/listclusters.py`) become `ClusterStates`,
//!   `CreatedAfter` and `CreatedBefore`; a second state filter is the CLI's
//!   error, whichever comes second.
//! * `emr add-tags --tags k=v k2` (`customizations/emr/addtags.py`)
//!   becomes `Tags`, each word split at its first `=` (`emrutils.parse_tags`).
//!
//! Each argument's `add_to_params` runs in the command's argument-table
//! order, as awscli's `_build_call_parameters` calls them; the timestamps
//! stay strings, as every timestamp parameter does here (botocore
//! serializes them), and the parameters are then checked against the model
//! like any other.

use serde_json::{json, Map, Value};

use super::args::Given;
use super::error::ValidationError;

/// The states `--active`, `--terminated` and `--failed` stand for
/// (`constants.LIST_CLUSTERS_*_STATES`).
const ACTIVE: &[&str] = &[
    "STARTING",
    "BOOTSTRAPPING",
    "RUNNING",
    "WAITING",
    "TERMINATING",
];
const TERMINATED: &[&str] = &["TERMINATED"];
const FAILED: &[&str] = &["TERMINATED_WITH_ERRORS"];

/// `ClusterStatesFilterValidationError`.
const ONE_FILTER: &str = "aws: error: You can specify only one of the cluster state filters: --cluster-states, --active, --terminated, --failed.";

/// Whether `arg` of `command` (of the API service `api_service`) is one of
/// the arguments translated here.
pub(crate) fn translates(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    api_service == Some("emr")
        && match command {
            "list-clusters" => matches!(
                arg,
                "cluster-states"
                    | "active"
                    | "terminated"
                    | "failed"
                    | "created-after"
                    | "created-before"
            ),
            "add-tags" => arg == "tags",
            _ => false,
        }
}

/// Put the parameters the arguments of `given` stand for into `params`.
/// `order` is the command's argument table (names in the CLI's order).
pub(crate) fn apply<'a>(
    api_service: Option<&str>,
    command: &str,
    order: impl Iterator<Item = &'a str>,
    given: &[Given<'_>],
    params: &mut Map<String, Value>,
) -> Result<(), ValidationError> {
    if api_service != Some("emr") || !matches!(command, "list-clusters" | "add-tags") {
        return Ok(());
    }
    for name in order {
        if !translates(api_service, command, name) {
            continue;
        }
        // argparse keeps the last value given.
        let Some(g) = given.iter().rev().find(|g| &*g.arg.name == name) else {
            continue;
        };
        let states = |s: &[&str]| json!(s);
        let (key, value) = match name {
            "tags" => ("Tags", tags(&g.values)),
            "created-after" => ("CreatedAfter", first(g)),
            "created-before" => ("CreatedBefore", first(g)),
            "cluster-states" => ("ClusterStates", json!(g.values)),
            "active" => ("ClusterStates", states(ACTIVE)),
            "terminated" => ("ClusterStates", states(TERMINATED)),
            "failed" => ("ClusterStates", states(FAILED)),
            _ => continue,
        };
        if key == "ClusterStates"
            && params
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        {
            return Err(ValidationError::ConflictingArguments {
                detail: ONE_FILTER.into(),
            });
        }
        params.insert(key.into(), value);
    }
    Ok(())
}

fn first(g: &Given<'_>) -> Value {
    Value::String(g.values.first().cloned().unwrap_or_default())
}

/// `emrutils.parse_tags`.
fn tags(words: &[String]) -> Value {
    Value::Array(
        words
            .iter()
            .map(|t| {
                let (k, v) = t.split_once('=').unwrap_or((t, ""));
                json!({"Key": k, "Value": v})
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::Validator;
    use serde_json::json;

    use crate::testutil::validated_params as params;

    #[test]
    fn list_clusters_state_filters_and_dates() {
        assert_eq!(
            params("aws emr list-clusters --active"),
            json!({"ClusterStates": ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"]})
        );
        assert_eq!(
            params("aws emr list-clusters --failed --created-after 2017-07-04T00:01:30 --created-before 2018-01-01"),
            json!({"CreatedAfter": "2017-07-04T00:01:30", "CreatedBefore": "2018-01-01",
                   "ClusterStates": ["TERMINATED_WITH_ERRORS"]})
        );
        assert_eq!(
            params("aws emr list-clusters --cluster-states RUNNING WAITING"),
            json!({"ClusterStates": ["RUNNING", "WAITING"]})
        );
        for line in [
            "aws emr list-clusters --active --terminated",
            "aws emr list-clusters --cluster-states RUNNING --failed",
        ] {
            let e = Validator::new(Catalog::embedded())
                .validate(line)
                .unwrap_err()
                .to_string();
            assert!(e.contains(super::ONE_FILTER), "{line}: {e}");
        }
    }

    #[test]
    fn add_tags_splits_at_the_first_equals_sign() {
        assert_eq!(
            params("aws emr add-tags --resource-id j-1 --tags 'name=John Doe' a=b=c k"),
            json!({"ResourceId": "j-1", "Tags": [
                {"Key": "name", "Value": "John Doe"},
                {"Key": "a", "Value": "b=c"},
                {"Key": "k", "Value": ""}
            ]})
        );
    }
}
