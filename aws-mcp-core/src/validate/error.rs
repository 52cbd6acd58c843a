//! The one error type of parsing and validation.
//!
//! Every message is one sentence that tells a model what to change; the
//! machine-readable parts are [`ValidationError::kind`] (a stable snake_case
//! name) and [`ValidationError::suggestions`] (the closest valid names or
//! values, best first). Messages never echo the contents of a local file: the
//! validator never reads one.

use crate::catalog::CatalogError;
use crate::parse::ParseError;

/// Why a command string is not a valid AWS CLI command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// The command string is not a sequence of words without shell syntax
    /// (empty, too long, a shell operator, an open quote); see
    /// [`ParseError`](crate::parse::ParseError).
    #[error(transparent)]
    Parse(#[from] ParseError),

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

    /// A command, or an option, of the other AWS CLI major version.
    #[error("{what} is an {belongs_to} {noun}; this server validates for {validates_for}: {hint}")]
    OtherDialect {
        /// What was written (`` `--cli-binary-format` ``, `` `aws logs tail` ``).
        what: String,
        /// `option` or `command`.
        noun: &'static str,
        /// The dialect that has it.
        belongs_to: crate::catalog::Dialect,
        /// The AWS CLI in force (`aws-cli/1.46.3 (AWS CLI v1)`).
        validates_for: String,
        /// What to do instead.
        hint: String,
    },

    /// A command or option that waits for a person at a terminal.
    #[error(
        "{what} is interactive (it waits for input at a terminal) and cannot run here: {instead}"
    )]
    Interactive {
        /// What was written.
        what: String,
        /// What to do instead.
        instead: String,
    },

    /// A blob value that AWS CLI v2 reads as base64 is not base64.
    #[error("{arg}: Invalid base64: \"{value}\"; AWS CLI v2 reads binary parameters as base64: encode the value, or add `--cli-binary-format raw-in-base64-out` to pass it as text")]
    InvalidBase64 {
        /// The argument (`--payload`).
        arg: String,
        /// The value as written (shortened).
        value: String,
    },

    /// `--cli-input-yaml` is not a YAML mapping.
    #[error("{arg} is not valid YAML: {detail}")]
    InvalidYaml {
        /// The argument.
        arg: String,
        /// The parser's message.
        detail: String,
    },

    /// Internal: the words ask for `help`. The validator answers with a
    /// help command ([`crate::ValidatedCommand::help`]), so callers never
    /// see this error.
    #[error("`help` was asked for")]
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

    /// `--query` nests deeper than the limit (see [`crate::query`]).
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

/// The kind of a [`ValidationError`]: which rule the command broke.
///
/// Its snake_case name ([`ErrorKind::as_str`], also its `Display`) is stable:
/// it is what the server reports as `error_kind` and the bindings as `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `empty`.
    Empty,
    /// `too_long`.
    TooLong,
    /// `shell_operator`.
    ShellOperator,
    /// `unbalanced_quotes`.
    UnbalancedQuotes,
    /// `shell_syntax`.
    ShellSyntax,
    /// `bidi_control`.
    BidiControl,
    /// `not_aws`.
    NotAws,
    /// `non_ascii_name`.
    NonAsciiName,
    /// `missing_service`.
    MissingService,
    /// `unknown_service`.
    UnknownService,
    /// `missing_operation`.
    MissingOperation,
    /// `unknown_operation`.
    UnknownOperation,
    /// `help_requested`.
    HelpRequested,
    /// `unknown_argument`.
    UnknownArgument,
    /// `other_cli_version`: a command or option of the other AWS CLI major version.
    OtherCliVersion,
    /// `interactive`.
    Interactive,
    /// `invalid_base64`.
    InvalidBase64,
    /// `invalid_yaml`.
    InvalidYaml,
    /// `abbreviated_argument`.
    AbbreviatedArgument,
    /// `missing_value`.
    MissingValue,
    /// `unexpected_value`.
    UnexpectedValue,
    /// `duplicate_argument`.
    DuplicateArgument,
    /// `unexpected_words`.
    UnexpectedWords,
    /// `missing_required`.
    MissingRequired,
    /// `invalid_type`.
    InvalidType,
    /// `invalid_enum`.
    InvalidEnum,
    /// `out_of_range`.
    OutOfRange,
    /// `invalid_shorthand`.
    InvalidShorthand,
    /// `invalid_json`.
    InvalidJson,
    /// `unknown_key`.
    UnknownKey,
    /// `invalid_region`.
    InvalidRegion,
    /// `invalid_choice`.
    InvalidChoice,
    /// `invalid_query`.
    InvalidQuery,
    /// `query_too_deep`.
    QueryTooDeep,
    /// `pagination_conflict`.
    PaginationConflict,
    /// `conflicting_arguments`.
    ConflictingArguments,
    /// `catalog`.
    Catalog,
}

impl ErrorKind {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::TooLong => "too_long",
            ErrorKind::ShellOperator => "shell_operator",
            ErrorKind::UnbalancedQuotes => "unbalanced_quotes",
            ErrorKind::ShellSyntax => "shell_syntax",
            ErrorKind::BidiControl => "bidi_control",
            ErrorKind::NotAws => "not_aws",
            ErrorKind::NonAsciiName => "non_ascii_name",
            ErrorKind::MissingService => "missing_service",
            ErrorKind::UnknownService => "unknown_service",
            ErrorKind::MissingOperation => "missing_operation",
            ErrorKind::UnknownOperation => "unknown_operation",
            ErrorKind::HelpRequested => "help_requested",
            ErrorKind::UnknownArgument => "unknown_argument",
            ErrorKind::OtherCliVersion => "other_cli_version",
            ErrorKind::Interactive => "interactive",
            ErrorKind::InvalidBase64 => "invalid_base64",
            ErrorKind::InvalidYaml => "invalid_yaml",
            ErrorKind::AbbreviatedArgument => "abbreviated_argument",
            ErrorKind::MissingValue => "missing_value",
            ErrorKind::UnexpectedValue => "unexpected_value",
            ErrorKind::DuplicateArgument => "duplicate_argument",
            ErrorKind::UnexpectedWords => "unexpected_words",
            ErrorKind::MissingRequired => "missing_required",
            ErrorKind::InvalidType => "invalid_type",
            ErrorKind::InvalidEnum => "invalid_enum",
            ErrorKind::OutOfRange => "out_of_range",
            ErrorKind::InvalidShorthand => "invalid_shorthand",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::UnknownKey => "unknown_key",
            ErrorKind::InvalidRegion => "invalid_region",
            ErrorKind::InvalidChoice => "invalid_choice",
            ErrorKind::InvalidQuery => "invalid_query",
            ErrorKind::QueryTooDeep => "query_too_deep",
            ErrorKind::PaginationConflict => "pagination_conflict",
            ErrorKind::ConflictingArguments => "conflicting_arguments",
            ErrorKind::Catalog => "catalog",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl ValidationError {
    /// A stable snake_case name of the error's kind, for programs and tests.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ValidationError::Parse(e) => match e {
                ParseError::Empty => ErrorKind::Empty,
                ParseError::TooLong { .. } => ErrorKind::TooLong,
                ParseError::ShellOperator { .. } => ErrorKind::ShellOperator,
                ParseError::UnbalancedQuotes { .. } => ErrorKind::UnbalancedQuotes,
                ParseError::ShellSyntax { .. } => ErrorKind::ShellSyntax,
                ParseError::BidiControl { .. } => ErrorKind::BidiControl,
            },
            ValidationError::NotAws { .. } => ErrorKind::NotAws,
            ValidationError::NonAsciiName { .. } => ErrorKind::NonAsciiName,
            ValidationError::MissingService => ErrorKind::MissingService,
            ValidationError::UnknownService { .. } => ErrorKind::UnknownService,
            ValidationError::MissingOperation { .. } => ErrorKind::MissingOperation,
            ValidationError::UnknownOperation { .. } => ErrorKind::UnknownOperation,
            ValidationError::HelpRequested => ErrorKind::HelpRequested,
            ValidationError::UnknownArgument { .. } => ErrorKind::UnknownArgument,
            ValidationError::OtherDialect { .. } => ErrorKind::OtherCliVersion,
            ValidationError::Interactive { .. } => ErrorKind::Interactive,
            ValidationError::InvalidBase64 { .. } => ErrorKind::InvalidBase64,
            ValidationError::InvalidYaml { .. } => ErrorKind::InvalidYaml,
            ValidationError::AbbreviatedArgument { .. } => ErrorKind::AbbreviatedArgument,
            ValidationError::MissingValue { .. } => ErrorKind::MissingValue,
            ValidationError::UnexpectedValue { .. } => ErrorKind::UnexpectedValue,
            ValidationError::DuplicateArgument { .. } => ErrorKind::DuplicateArgument,
            ValidationError::UnexpectedWords { .. } => ErrorKind::UnexpectedWords,
            ValidationError::MissingRequired { .. } => ErrorKind::MissingRequired,
            ValidationError::InvalidType { .. } => ErrorKind::InvalidType,
            ValidationError::InvalidEnum { .. } => ErrorKind::InvalidEnum,
            ValidationError::OutOfRange { .. } => ErrorKind::OutOfRange,
            ValidationError::InvalidShorthand { .. } => ErrorKind::InvalidShorthand,
            ValidationError::InvalidJson { .. } => ErrorKind::InvalidJson,
            ValidationError::UnknownKey { .. } => ErrorKind::UnknownKey,
            ValidationError::InvalidRegion { .. } => ErrorKind::InvalidRegion,
            ValidationError::InvalidChoice { .. } => ErrorKind::InvalidChoice,
            ValidationError::InvalidQuery { .. } => ErrorKind::InvalidQuery,
            ValidationError::QueryTooDeep { .. } => ErrorKind::QueryTooDeep,
            ValidationError::PaginationConflict { .. } => ErrorKind::PaginationConflict,
            ValidationError::ConflictingArguments { .. } => ErrorKind::ConflictingArguments,
            ValidationError::Catalog(_) => ErrorKind::Catalog,
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
        assert_eq!(
            ValidationError::from(crate::parse::ParseError::Empty).suggestions(),
            [] as [String; 0]
        );
        assert!(!ValidationError::from(crate::parse::ParseError::Empty)
            .to_string()
            .contains('\n'));
    }
}
