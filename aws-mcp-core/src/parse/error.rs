//! Why a command string is not a sequence of plain words.

/// Why a command string could not be split into words without a shell.
///
/// Every message is one sentence a model can act on. The validator wraps it
/// in `ValidationError::Parse`, whose `kind()` names each variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
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

    /// A Unicode bidirectional formatting character (U+202E and friends):
    /// it changes how the command reads to a person (in a consent question,
    /// a log) without changing what runs.
    #[error("the command holds the invisible bidirectional control character U+{code:04X} at byte {position}, which makes text display in another order than it runs: remove it")]
    BidiControl {
        /// The character's code point.
        code: u32,
        /// Byte offset in the input.
        position: usize,
    },

    /// Other shell syntax that has no meaning without a shell (a trailing
    /// backslash, a `#` comment, a NUL character).
    #[error("{detail}")]
    ShellSyntax {
        /// What is wrong and how to fix it.
        detail: String,
    },
}
