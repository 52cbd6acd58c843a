//! Print the top 5 lexical suggestions for each argument (a debugging aid).
//!
//! `cargo run --release -p aws-mcp-examples --example suggest_debug -- "list my servers"`
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let r = aws_mcp_core::retrieve::Bm25Retriever::new(aws_mcp_core::Catalog::embedded())?;
    for q in std::env::args().skip(1) {
        println!("{q}");
        for (s, o, score) in r.rank_names(&q, 5)? {
            println!("  {score:7.3}  {s} {o}");
        }
    }
    Ok(())
}
