//! `aws-mcp`: the command-line entry point ([`aws_mcp_stdio::cli`] does the work, so that the
//! Python and npm packages' entry points behave exactly like this binary).

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(aws_mcp_stdio::cli::main_with_args(std::env::args_os()))
}
