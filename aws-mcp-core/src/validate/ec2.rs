//! awscli's hand-written EC2 arguments, translated into API parameters.
//!
//! `ec2 run-instances` takes `--count N[:M]` (for `MinCount`/`MaxCount`),
//! `--secondary-private-ip-addresses`, `--secondary-private-ip-address-count`
//! and `--[no-]associate-public-ip-address` (into the first network
//! interface); the security-group commands take `--protocol`, `--port`,
//! `--cidr`, `--source-group` and `--group-owner` (into one `IpPermissions`
//! entry). The rules follow awscli's `customizations/ec2/addcount.py`,
//! `runinstances.py` and `secgroupsimplify.py`, including their errors; the
//! result is the parameters the CLI hands to botocore.

use serde_json::{json, Map, Value};

use super::args::{Given, Nargs};
use super::error::ValidationError;
use super::types::parse_int;
use crate::catalog::ArgKind;

/// The arity awscli gives these arguments in its own parser code.
pub(crate) fn nargs(api_service: Option<&str>, command: &str, arg: &str) -> Option<Nargs> {
    match (api_service?, command, arg) {
        ("ec2", "run-instances", "secondary-private-ip-addresses") => Some(Nargs::Any),
        _ => None,
    }
}

fn bad(arg: &str, expected: &str, value: &str) -> ValidationError {
    ValidationError::InvalidType {
        arg: format!("--{arg}"),
        expected: expected.into(),
        value: super::shorten(value),
    }
}

/// The first object of the list `key`, created as `[seed]` when the value
/// is not a list that starts with an object (awscli builds `NetworkInterfaces`
/// and `IpPermissions` from top-level arguments this way).
fn first_object<'a>(
    params: &'a mut Map<String, Value>,
    key: &str,
    seed: fn() -> Value,
) -> &'a mut Map<String, Value> {
    let list = params
        .entry(key)
        .or_insert_with(|| Value::Array(vec![seed()]));
    if !matches!(list, Value::Array(a) if a.first().is_some_and(Value::is_object)) {
        *list = Value::Array(vec![seed()]);
    }
    match list {
        Value::Array(a) => match a.first_mut() {
            Some(Value::Object(o)) => o,
            _ => unreachable_map(),
        },
        _ => unreachable_map(),
    }
}

/// Never reached (the value was just made an array holding an object); a
/// leaked empty map keeps the function total without a panic.
fn unreachable_map() -> &'static mut Map<String, Value> {
    Box::leak(Box::default())
}

fn first_interface(params: &mut Map<String, Value>) -> &mut Map<String, Value> {
    first_object(params, "NetworkInterfaces", || json!({"DeviceIndex": 0}))
}

fn permission(params: &mut Map<String, Value>) -> &mut Map<String, Value> {
    first_object(params, "IpPermissions", || json!({}))
}

/// Apply the EC2 customizations of one command to its parameters.
pub(crate) fn apply(
    api_service: Option<&str>,
    command: &str,
    given: &[Given<'_>],
    params: &mut Map<String, Value>,
) -> Result<(), ValidationError> {
    if api_service != Some("ec2") {
        return Ok(());
    }
    let has = |n: &str| given.iter().any(|g| &*g.arg.name == n);
    // Only awscli's own arguments: other EC2 commands have API members
    // named `--cidr` or `--protocol`.
    let custom: Vec<&Given<'_>> = given
        .iter()
        .filter(|g| g.arg.kind == ArgKind::Custom)
        .collect();
    let value = |g: &Given<'_>| g.values.first().cloned().unwrap_or_default();
    if command == "run-instances" {
        if has("network-interfaces") {
            for n in [
                "secondary-private-ip-addresses",
                "secondary-private-ip-address-count",
                "associate-public-ip-address",
                "no-associate-public-ip-address",
            ] {
                if has(n) {
                    return Err(ValidationError::ConflictingArguments {
                        detail: format!("--{n} cannot be combined with --network-interfaces: put it inside the network interface"),
                    });
                }
            }
        }
        for g in &custom {
            match &*g.arg.name {
                "count" => {
                    let v = value(g);
                    let (lo, hi) = v.split_once(':').unwrap_or((&v, &v));
                    match (parse_int(lo), parse_int(hi)) {
                        (Some(a), Some(b)) => {
                            params.insert("MinCount".into(), a);
                            params.insert("MaxCount".into(), b);
                        }
                        _ => {
                            return Err(bad(
                                "count",
                                "a count of the form min[:max], such as 1 or 1:10",
                                &v,
                            ))
                        }
                    }
                }
                "secondary-private-ip-addresses" if !g.values.is_empty() => {
                    let ips: Vec<Value> = g
                        .values
                        .iter()
                        .map(|ip| json!({"PrivateIpAddress": ip, "Primary": false}))
                        .collect();
                    first_interface(params)
                        .entry("PrivateIpAddresses")
                        .or_insert(Value::Array(ips));
                }
                "secondary-private-ip-address-count" => {
                    let v = value(g);
                    let n = parse_int(&v).ok_or_else(|| {
                        bad("secondary-private-ip-address-count", "an integer", &v)
                    })?;
                    if n.as_i64() != Some(0) {
                        first_interface(params).insert("SecondaryPrivateIpAddressCount".into(), n);
                    }
                }
                "associate-public-ip-address" => {
                    first_interface(params)
                        .insert("AssociatePublicIpAddress".into(), Value::Bool(true));
                }
                "no-associate-public-ip-address" => {
                    first_interface(params)
                        .insert("AssociatePublicIpAddress".into(), Value::Bool(false));
                }
                _ => {}
            }
        }
        return Ok(());
    }
    let simple = ["protocol", "port", "cidr", "source-group", "group-owner"];
    if !custom.iter().any(|g| simple.contains(&&*g.arg.name)) {
        return Ok(());
    }
    if has("ip-permissions") {
        let n = simple
            .iter()
            .find(|n| has(n))
            .copied()
            .unwrap_or("protocol");
        return Err(ValidationError::ConflictingArguments {
            detail: format!(
                "--{n} cannot be combined with --ip-permissions: use one form or the other"
            ),
        });
    }
    for g in &custom {
        let v = value(g);
        if v.is_empty() {
            continue;
        }
        match &*g.arg.name {
            "protocol" => {
                let p = match parse_int(&v).and_then(|n| n.as_i64()) {
                    Some(n) if (0..=255).contains(&n) || n == -1 => v.clone(),
                    Some(_) => {
                        return Err(bad(
                            "protocol",
                            "a protocol number in 0-255, or -1 for all",
                            &v,
                        ))
                    }
                    None => match v.as_str() {
                        "tcp" | "udp" | "icmp" => v.clone(),
                        "all" => "-1".into(),
                        _ => {
                            return Err(bad(
                                "protocol",
                                "tcp, udp, icmp, all or a protocol number",
                                &v,
                            ))
                        }
                    },
                };
                permission(params).insert("IpProtocol".into(), Value::String(p));
            }
            "port" => {
                let (from, to) = if v == "-1" || v == "all" {
                    ("-1", "-1")
                } else {
                    v.split_once('-').unwrap_or((&v, &v))
                };
                match (parse_int(from), parse_int(to)) {
                    (Some(a), Some(b)) => {
                        let p = permission(params);
                        p.insert("FromPort".into(), a);
                        p.insert("ToPort".into(), b);
                    }
                    _ => {
                        return Err(bad(
                            "port",
                            "a port or range of the form from[-to], such as 22 or 22-25",
                            &v,
                        ))
                    }
                }
            }
            "cidr" => {
                permission(params).insert("IpRanges".into(), json!([{"CidrIp": v}]));
            }
            "source-group" | "group-owner" => {
                let key = match (&*g.arg.name, v.starts_with("sg-")) {
                    ("group-owner", _) => "UserId",
                    (_, true) => "GroupId",
                    (_, false) => "GroupName",
                };
                let pairs = permission(params)
                    .entry("UserIdGroupPairs")
                    .or_insert_with(|| json!([{}]));
                if let Some(Value::Object(o)) = pairs.as_array_mut().and_then(|a| a.first_mut()) {
                    o.insert(key.into(), Value::String(v));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{validate, Catalog};
    use serde_json::json;

    fn params(cmd: &str) -> serde_json::Value {
        serde_json::Value::Object(
            validate(Catalog::embedded(), cmd)
                .unwrap_or_else(|e| panic!("{cmd}: {e}"))
                .parameters,
        )
    }

    #[test]
    fn run_instances_shortcuts() {
        let p = params("aws ec2 run-instances --image-id ami-1 --count 2:5 --associate-public-ip-address --secondary-private-ip-addresses 10.0.0.5 10.0.0.6");
        assert_eq!(
            (p["MinCount"].clone(), p["MaxCount"].clone()),
            (json!(2), json!(5))
        );
        assert_eq!(
            p["NetworkInterfaces"],
            json!([{"DeviceIndex": 0, "AssociatePublicIpAddress": true, "PrivateIpAddresses": [
                {"PrivateIpAddress": "10.0.0.5", "Primary": false},
                {"PrivateIpAddress": "10.0.0.6", "Primary": false}]}])
        );
        let e = validate(
            Catalog::embedded(),
            "aws ec2 run-instances --image-id ami-1 --count two",
        )
        .expect_err("bad count");
        assert_eq!(e.kind(), "invalid_type");
        let e = validate(
            Catalog::embedded(),
            "aws ec2 run-instances --image-id ami-1 --associate-public-ip-address --network-interfaces DeviceIndex=0",
        )
        .expect_err("conflict");
        assert_eq!(e.kind(), "conflicting_arguments");
    }

    #[test]
    fn security_group_shortcuts() {
        let p = params("aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22-25 --cidr 203.0.113.0/24");
        assert_eq!(
            p["IpPermissions"],
            json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 25, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}])
        );
        let p = params("aws ec2 revoke-security-group-egress --group-id sg-1 --protocol all --source-group sg-2 --group-owner 123");
        assert_eq!(
            p["IpPermissions"],
            json!([{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-2", "UserId": "123"}]}])
        );
        for bad in ["--protocol tcpp", "--protocol 300", "--port x"] {
            let cmd = format!("aws ec2 authorize-security-group-ingress --group-id sg-1 {bad}");
            assert_eq!(
                validate(Catalog::embedded(), &cmd).expect_err(bad).kind(),
                "invalid_type"
            );
        }
        // Other EC2 commands have API members of the same names.
        let p = params("aws ec2 advertise-byoip-cidr --cidr 203.0.113.25/24");
        assert_eq!(p, json!({"Cidr": "203.0.113.25/24"}));
    }
}
