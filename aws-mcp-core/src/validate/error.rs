//! The one error type of parsing and validation.
//!
//! Every message is one sentence that tells a model what to change; the
//! machine-readable parts are [`ValidationError::kind`] (a stable snake_case
//! name) and [`ValidationError::suggestions`] (the closest valid names or
//! values, best first). Messages never echo the contents of a local file: the
//! validator never reads one.

use crate::catalog::CatalogError;

/// Why a command string is not a valid AWS CLI command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// The command string is empty or only whitespace.
    #[error(
        "the command is empty: write one AWS CLI command such as `aws sts get-caller-identity`"
    )]
    Empty,

    /// The command string is longer than the configured limit.
    #[error("the command is {len} bytes long, over the limit of {max} bytes: shorten it (put large values in a file:// parameter file)")]
    TooLong {
        /// Length of the input in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },

    /// An unquoted shell operator (pipe, list, redirection, substitution,
    /// background job, newline) appears in the command.
    #[error("the shell operator `{operator}` at byte {position} is not allowed: run exactly one aws command, without pipes, chaining, redirection or substitution, and put data containing such characters in single quotes")]
    ShellOperator {
        /// The operator as written (`|`, `&&`, `$(`, `newline`, ...).
        operator: String,
        /// Byte offset in the input.
        position: usize,
    },

    /// A quote is opened and never closed.
    #[error("the {quote} quote opened at byte {position} is never closed: close it")]
    UnbalancedQuotes {
        /// `single` or `double`.
        quote: &'static str,
        /// Byte offset of the opening quote.
        position: usize,
    },

    /// Other shell syntax that has no meaning without a shell (a trailing
    /// backslash, a `#` comment, a NUL character).
    #[error("{detail}")]
    ShellSyntax {
        /// What is wrong and how to fix it.
        detail: String,
    },

    /// The first word is not `aws`.
    #[error(
        "only AWS CLI commands are accepted: the command must start with `aws`, not `{found}`"
    )]
    NotAws {
        /// The first word as written.
        found: String,
    },

    /// A name contains a non-ASCII character (often a look-alike such as a
    /// Cyrillic letter or an en dash).
    #[error("`{token}` contains the non-ASCII character {character}: AWS CLI names are plain ASCII, retype it with ASCII letters and hyphens")]
    NonAsciiName {
        /// The word as written.
        token: String,
        /// The offending character, as `'–' (U+2013)`.
        character: String,
    },

    /// `aws` with no service.
    #[error("the command names no service: write `aws <service> <operation> [arguments]`, such as `aws s3 ls`")]
    MissingService,

    /// The service is not in the command table.
    #[error("`{name}` is not an AWS CLI service{}", did_you_mean(suggestions))]
    UnknownService {
        /// The name as written.
        name: String,
        /// Up to three closest service names.
        suggestions: Vec<String>,
    },

    /// A service with no operation.
    #[error("`aws {service}` needs an operation{}", such_as(suggestions))]
    MissingOperation {
        /// The service.
        service: String,
        /// A few of its operations.
        suggestions: Vec<String>,
    },

    /// The operation is not a command of the service.
    #[error(
        "`{name}` is not an operation of `aws {service}`{}",
        did_you_mean(suggestions)
    )]
    UnknownOperation {
        /// The service.
        service: String,
        /// The operation as written.
        name: String,
        /// Up to three closest operation names.
        suggestions: Vec<String>,
    },

    /// `help` cannot be run through this tool.
    #[error("`help` is not available here: ask for command suggestions instead, or run the operation itself")]
    HelpRequested,

    /// An option that the command does not take.
    #[error("`{command}` has no argument `{name}`{}", did_you_mean(suggestions))]
    UnknownArgument {
        /// The command (`aws ec2 describe-instances`).
        command: String,
        /// The option as written, with its dashes.
        name: String,
        /// Up to three closest argument names, with `--`.
        suggestions: Vec<String>,
    },

    /// An abbreviated option name. The real CLI expands unique prefixes; this
    /// validator accepts only full names so that no rule can be slipped past.
    #[error(
        "`{name}` is an abbreviation: write the full option name{}",
        did_you_mean(suggestions)
    )]
    AbbreviatedArgument {
        /// The option as written.
        name: String,
        /// The full names it abbreviates.
        suggestions: Vec<String>,
    },

    /// An option that takes a value was given none.
    #[error("`{arg}` expects a value ({expected}) after it")]
    MissingValue {
        /// The option.
        arg: String,
        /// What it expects.
        expected: String,
    },

    /// A boolean flag was given a value with `=`.
    #[error("`{arg}` is a flag and takes no value: write `{arg}` alone (or its `--no-` form)")]
    UnexpectedValue {
        /// The option.
        arg: String,
    },

    /// The same option (or a flag and its `--no-` form) was given twice; the
    /// real CLI silently keeps only the last one.
    #[error("`{arg}` is given more than once: give it once (a list takes all its values after one `{arg}`)")]
    DuplicateArgument {
        /// The option.
        arg: String,
    },

    /// Words that no argument takes.
    #[error("unexpected word(s) {}: `{command}` does not take them (is an option name or a quote missing?)", list_words(words))]
    UnexpectedWords {
        /// The command.
        command: String,
        /// The words.
        words: Vec<String>,
    },

    /// Required arguments (or required members of a structure) are missing.
    #[error("`{command}` is missing required {}: {}", if missing.len() == 1 { "argument" } else { "arguments" }, missing.join(", "))]
    MissingRequired {
        /// The command.
        command: String,
        /// What is missing: `--role-name`, or `--filters[0].Name` for a member.
        missing: Vec<String>,
    },

    /// A value has the wrong type.
    #[error("`{arg}` expects {expected}, got `{value}`")]
    InvalidType {
        /// The option, or the path to the member (`--tags[0].Key`).
        arg: String,
        /// The expected type, in words.
        expected: String,
        /// The value as given (shortened).
        value: String,
    },

    /// A value is not one of the values the model allows.
    #[error("`{value}` is not a valid value for `{arg}`; allowed: {}", allowed.join(", "))]
    InvalidEnum {
        /// The option or member path.
        arg: String,
        /// The value as given.
        value: String,
        /// Every allowed value.
        allowed: Vec<String>,
        /// Up to three closest allowed values.
        suggestions: Vec<String>,
    },

    /// A value is outside the model's bounds (length or range).
    #[error("`{arg}` {detail}")]
    OutOfRange {
        /// The option or member path.
        arg: String,
        /// The violated bound, in words.
        detail: String,
    },

    /// A shorthand value (`Key=Name,Values=a,b`) does not parse.
    #[error("`{arg}` has invalid shorthand syntax: {detail}")]
    InvalidShorthand {
        /// The option.
        arg: String,
        /// What is wrong.
        detail: String,
    },

    /// A JSON value does not parse.
    #[error("`{arg}` has invalid JSON: {detail}")]
    InvalidJson {
        /// The option.
        arg: String,
        /// The parser's message.
        detail: String,
    },

    /// A structure key that the shape does not have.
    #[error("`{arg}` has no member `{key}`{}", did_you_mean(suggestions))]
    UnknownKey {
        /// The option or member path holding the key.
        arg: String,
        /// The unknown key.
        key: String,
        /// Up to three closest member names.
        suggestions: Vec<String>,
    },

    /// `--region` names no known region.
    #[error("`{region}` is not a known AWS region{}", did_you_mean(suggestions))]
    InvalidRegion {
        /// The region as given.
        region: String,
        /// Up to three closest region names.
        suggestions: Vec<String>,
    },

    /// A value is not one of the choices the CLI accepts (`--output`, `--color`, ...).
    #[error("`{value}` is not a valid choice for `{arg}`; choose one of: {}", allowed.join(", "))]
    InvalidChoice {
        /// The option.
        arg: String,
        /// The value as given.
        value: String,
        /// The allowed choices.
        allowed: Vec<String>,
    },

    /// `--query` is not a valid JMESPath expression.
    #[error("`--query` is not a valid JMESPath expression: {detail}")]
    InvalidQuery {
        /// The JMESPath parser's message.
        detail: String,
    },

    /// `--query` nests deeper than the limit (see `aws_mcp_core::jmes`).
    #[error("`--query` {detail}")]
    QueryTooDeep {
        /// What the limit is and what to do.
        detail: String,
    },

    /// Pagination options that cannot be combined.
    #[error("{detail}")]
    PaginationConflict {
        /// What conflicts with what.
        detail: String,
    },

    /// Arguments that the CLI refuses to combine.
    #[error("{detail}")]
    ConflictingArguments {
        /// Which arguments, and what to do instead.
        detail: String,
    },

    /// The command table could not be read (a corrupt catalog file).
    #[error("the command table could not be read: {0}")]
    Catalog(#[from] CatalogError),
}

fn did_you_mean(s: &[String]) -> String {
    match s {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        _ => format!(
            "; did you mean one of: {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn such_as(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(
            ", such as {}",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn list_words(w: &[String]) -> String {
    w.iter()
        .take(5)
        .map(|x| format!("`{}`", crate::validate::shorten(x)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ValidationError {
    /// A stable snake_case name of the error's kind, for programs and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            ValidationError::Empty => "empty",
            ValidationError::TooLong { .. } => "too_long",
            ValidationError::ShellOperator { .. } => "shell_operator",
            ValidationError::UnbalancedQuotes { .. } => "unbalanced_quotes",
            ValidationError::ShellSyntax { .. } => "shell_syntax",
            ValidationError::NotAws { .. } => "not_aws",
            ValidationError::NonAsciiName { .. } => "non_ascii_name",
            ValidationError::MissingService => "missing_service",
            ValidationError::UnknownService { .. } => "unknown_service",
            ValidationError::MissingOperation { .. } => "missing_operation",
            ValidationError::UnknownOperation { .. } => "unknown_operation",
            ValidationError::HelpRequested => "help_requested",
            ValidationError::UnknownArgument { .. } => "unknown_argument",
            ValidationError::AbbreviatedArgument { .. } => "abbreviated_argument",
            ValidationError::MissingValue { .. } => "missing_value",
            ValidationError::UnexpectedValue { .. } => "unexpected_value",
            ValidationError::DuplicateArgument { .. } => "duplicate_argument",
            ValidationError::UnexpectedWords { .. } => "unexpected_words",
            ValidationError::MissingRequired { .. } => "missing_required",
            ValidationError::InvalidType { .. } => "invalid_type",
            ValidationError::InvalidEnum { .. } => "invalid_enum",
            ValidationError::OutOfRange { .. } => "out_of_range",
            ValidationError::InvalidShorthand { .. } => "invalid_shorthand",
            ValidationError::InvalidJson { .. } => "invalid_json",
            ValidationError::UnknownKey { .. } => "unknown_key",
            ValidationError::InvalidRegion { .. } => "invalid_region",
            ValidationError::InvalidChoice { .. } => "invalid_choice",
            ValidationError::InvalidQuery { .. } => "invalid_query",
            ValidationError::QueryTooDeep { .. } => "query_too_deep",
            ValidationError::PaginationConflict { .. } => "pagination_conflict",
            ValidationError::ConflictingArguments { .. } => "conflicting_arguments",
            ValidationError::Catalog(_) => "catalog",
        }
    }

    /// The closest valid names or values (best first), or the missing
    /// arguments; empty when the error has none.
    pub fn suggestions(&self) -> &[String] {
        match self {
            ValidationError::UnknownService { suggestions, .. }
            | ValidationError::MissingOperation { suggestions, .. }
            | ValidationError::UnknownOperation { suggestions, .. }
            | ValidationError::UnknownArgument { suggestions, .. }
            | ValidationError::AbbreviatedArgument { suggestions, .. }
            | ValidationError::InvalidEnum { suggestions, .. }
            | ValidationError::UnknownKey { suggestions, .. }
            | ValidationError::InvalidRegion { suggestions, .. } => suggestions,
            ValidationError::MissingRequired { missing, .. } => missing,
            ValidationError::InvalidChoice { allowed, .. } => allowed,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_sentence_with_suggestions() {
        let e = ValidationError::UnknownOperation {
            service: "ec2".into(),
            name: "list-instances".into(),
            suggestions: vec!["describe-instances".into()],
        };
        assert_eq!(e.kind(), "unknown_operation");
        assert_eq!(e.suggestions(), ["describe-instances"]);
        assert_eq!(
            e.to_string(),
            "`list-instances` is not an operation of `aws ec2`; did you mean `describe-instances`?"
        );
        let e = ValidationError::MissingRequired {
            command: "aws iam get-role".into(),
            missing: vec!["--role-name".into()],
        };
        assert_eq!(
            e.to_string(),
            "`aws iam get-role` is missing required argument: --role-name"
        );
        assert_eq!(ValidationError::Empty.suggestions(), [] as [String; 0]);
        assert!(!ValidationError::Empty.to_string().contains('\n'));
    }
}
