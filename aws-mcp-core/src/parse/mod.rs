//! From a command string to words, with shell quoting but without a shell.
//!
//! Commands are never given to a shell: the words produced here become the
//! `argv` of the `aws` program directly. So the tokenizer implements the
//! quoting rules of a POSIX shell (the rules the `shell-words` crate
//! implements, checked against it in the tests) and rejects everything else a
//! shell would interpret; see [`tokenize`].

mod error;
mod tokenize;

pub use error::ParseError;
pub use tokenize::{is_bidi_control, tokenize, tokenize_with_limit, MAX_COMMAND_BYTES};
