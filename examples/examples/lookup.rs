//! Look up a command in the embedded catalog and list its arguments.
//!
//! `cargo run -p aws-mcp-examples --example lookup -- ec2 describe-instances`
#![allow(clippy::print_stdout)]

use aws_mcp_core::Catalog;

fn main() {
    let mut args = std::env::args().skip(1);
    let service = args.next().unwrap_or_else(|| "sts".into());
    let op = args.collect::<Vec<_>>().join(" ");
    let op = if op.is_empty() {
        "get-caller-identity".to_string()
    } else {
        op
    };
    let catalog = Catalog::embedded();
    match catalog.command(&service, &op) {
        None => println!("aws {service} {op}: no such command"),
        Some(cmd) => {
            println!("{}: {}", cmd.full_name(), cmd.description());
            let Ok(args) = cmd.args() else { return };
            for a in args.iter() {
                let req = if a.required { " (required)" } else { "" };
                println!("  --{} <{}>{}: {}", a.name, a.arg_type.as_str(), req, a.doc);
            }
        }
    }
}
