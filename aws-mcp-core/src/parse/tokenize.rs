//! The tokenizer: POSIX shell quoting, quote-aware rejection of shell operators.
//!
//! Rules (as `sh`, and as the `shell-words` crate, splits words):
//! * blanks (space, tab) separate words; `'...'` is literal; `"..."` is
//!   literal except that `\` escapes `$`, `` ` ``, `"`, `\` and newline; an
//!   unquoted `\x` is `x`.
//! * `\` + newline is a line continuation and disappears — also inside single
//!   quotes (a deliberate difference from `sh`): documentation writes long JSON
//!   values across lines that way, and without a shell nobody means a literal
//!   backslash-newline.
//!
//! Rejected, because a shell would act on them and we run no shell:
//! * unquoted `|`, `||`, `&`, `&&`, `;`, `<`, `>`, `>>`, `(`, `)`, newlines;
//! * command substitution — `` ` `` and `$(` — and `${` parameter expansion,
//!   unquoted *or inside double quotes* (where a shell still substitutes);
//!   inside single quotes they are data;
//! * a `#` that starts a word (a shell comment would silently drop the rest);
//! * NUL characters, unterminated quotes, a trailing backslash.
//!
//! Kept literal: `$NAME`, `~`, globs (`*`, `?`, `[`). The `aws` program then
//! sees them as written, so `file://$HOME/x` or `~/x` names a path that the
//! policy resolves (it expands `~` and `$HOME` the way the CLI's own
//! `file://` loader does) — they can never bypass the file policy.

use super::ParseError;

/// Unicode bidirectional formatting characters (they reorder how text is
/// displayed): U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The default limit on the length of a command string.
pub const MAX_COMMAND_BYTES: usize = 32 * 1024;

/// Split a command string into words, rejecting shell syntax (see the module
/// docs); the limit is [`MAX_COMMAND_BYTES`].
///
/// # Errors
/// [`ParseError`] for an empty or over-long command, an unquoted shell
/// operator, an unclosed quote or other shell syntax.
pub fn tokenize(input: &str) -> Result<Vec<String>, ParseError> {
    tokenize_with_limit(input, MAX_COMMAND_BYTES)
}

/// [`tokenize`] with another length limit, in bytes.
pub fn tokenize_with_limit(input: &str, max_bytes: usize) -> Result<Vec<String>, ParseError> {
    if input.len() > max_bytes {
        return Err(ParseError::TooLong {
            len: input.len(),
            max: max_bytes,
        });
    }
    if let Some((position, c)) = input.char_indices().find(|(_, c)| is_bidi_control(*c)) {
        return Err(ParseError::BidiControl {
            code: u32::from(c),
            position,
        });
    }
    Lexer {
        src: input,
        content_end: input.trim_end().len(),
        pos: 0,
        words: Vec::new(),
        word: String::new(),
        in_word: false,
    }
    .run()
}

struct Lexer<'a> {
    src: &'a str,
    /// Where trailing whitespace starts.
    content_end: usize,
    pos: usize,
    words: Vec<String>,
    word: String,
    in_word: bool,
}

fn op(operator: &str, position: usize) -> ParseError {
    ParseError::ShellOperator {
        operator: operator.to_string(),
        position,
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.src[self.pos..].chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Consume a line continuation (`\` newline, `\` CR LF) at the cursor.
    fn continuation(&mut self) -> bool {
        let rest = &self.src.as_bytes()[self.pos..];
        if rest.starts_with(b"\\\n") {
            self.pos += 2;
            true
        } else if rest.starts_with(b"\\\r\n") {
            self.pos += 3;
            true
        } else {
            false
        }
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.words.push(std::mem::take(&mut self.word));
            self.in_word = false;
        }
    }

    fn run(mut self) -> Result<Vec<String>, ParseError> {
        while let Some(c) = self.peek() {
            let at = self.pos;
            if self.continuation() {
                continue;
            }
            match c {
                ' ' | '\t' => {
                    self.bump();
                    self.end_word();
                }
                '\n' | '\r' => {
                    // Newlines before the first word or after the last are layout.
                    let leading = self.words.is_empty() && !self.in_word;
                    if leading || at >= self.content_end {
                        self.bump();
                        self.end_word();
                    } else {
                        return Err(op("newline", at));
                    }
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\0') => return Err(nul(at + 1)),
                        Some(n) => {
                            self.word.push(n);
                            self.in_word = true;
                        }
                        None => {
                            return Err(ParseError::ShellSyntax {
                                detail: "the command ends with a backslash: remove it or escape what follows"
                                    .into(),
                            })
                        }
                    }
                }
                '\'' => {
                    self.bump();
                    self.in_word = true;
                    self.single_quoted(at)?;
                }
                '"' => {
                    self.bump();
                    self.in_word = true;
                    self.double_quoted(at)?;
                }
                '|' | '&' | '>' => {
                    let two = self.peek2() == Some(c);
                    return Err(op(if two { &self.src[at..at + 2] } else { &self.src[at..at + 1] }, at));
                }
                '<' => {
                    return Err(match self.peek2() {
                        Some(n @ ('<' | '(')) => op(&format!("<{n}"), at),
                        _ => op("<", at),
                    })
                }
                ';' | '`' | '(' | ')' => return Err(op(&self.src[at..at + 1], at)),
                '$' => match self.peek2() {
                    Some('(') => return Err(op("$(", at)),
                    Some('{') => return Err(op("${", at)),
                    _ => {
                        self.bump();
                        self.word.push('$');
                        self.in_word = true;
                    }
                },
                '#' if !self.in_word => {
                    return Err(ParseError::ShellSyntax {
                        detail: format!(
                            "a `#` at byte {at} starts a shell comment: remove the comment, or quote the `#` if it is data"
                        ),
                    })
                }
                '\0' => return Err(nul(at)),
                _ => {
                    // A run of ordinary characters, copied at once.
                    let bytes = self.src.as_bytes();
                    let mut end = self.pos + c.len_utf8();
                    while end < bytes.len() && !is_special(bytes[end]) {
                        end += 1;
                    }
                    self.word.push_str(&self.src[self.pos..end]);
                    self.pos = end;
                    self.in_word = true;
                }
            }
        }
        self.end_word();
        if self.words.is_empty() {
            return Err(ParseError::Empty);
        }
        Ok(self.words)
    }

    /// Copy the bytes up to the next one that `stop` accepts into the word at
    /// once; false when there is nothing to copy. Stop bytes are ASCII, so
    /// the run ends on a character boundary.
    fn copy_run(&mut self, stop: impl Fn(u8) -> bool) -> bool {
        let bytes = self.src.as_bytes();
        let mut end = self.pos;
        while end < bytes.len() && !stop(bytes[end]) {
            end += 1;
        }
        if end == self.pos {
            return false;
        }
        self.word.push_str(&self.src[self.pos..end]);
        self.pos = end;
        true
    }

    fn single_quoted(&mut self, open: usize) -> Result<(), ParseError> {
        loop {
            if self.continuation() {
                continue;
            }
            // Copy the run up to the next quote, backslash or NUL at once.
            if self.copy_run(|b| matches!(b, b'\'' | b'\\' | 0)) {
                continue;
            }
            match self.bump() {
                Some('\'') => return Ok(()),
                Some('\0') => return Err(nul(self.pos - 1)),
                Some(c) => self.word.push(c),
                None => {
                    return Err(ParseError::UnbalancedQuotes {
                        quote: "single",
                        position: open,
                    })
                }
            }
        }
    }

    fn double_quoted(&mut self, open: usize) -> Result<(), ParseError> {
        loop {
            if self.continuation() {
                continue;
            }
            let at = self.pos;
            if self.copy_run(|b| matches!(b, b'"' | b'\\' | b'`' | b'$' | 0)) {
                continue;
            }
            match self.bump() {
                Some('"') => return Ok(()),
                Some('\\') => match self.peek() {
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        self.bump();
                        self.word.push(n);
                    }
                    _ => self.word.push('\\'),
                },
                Some('`') => return Err(op("`", at)),
                Some('$') => match self.peek() {
                    Some('(') => return Err(op("$(", at)),
                    Some('{') => return Err(op("${", at)),
                    _ => self.word.push('$'),
                },
                Some('\0') => return Err(nul(at)),
                Some(c) => self.word.push(c),
                None => {
                    return Err(ParseError::UnbalancedQuotes {
                        quote: "double",
                        position: open,
                    })
                }
            }
        }
    }
}

/// Bytes that end a run of ordinary characters (all ASCII, so a run never
/// ends inside a UTF-8 sequence).
fn is_special(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'\\'
            | b'\''
            | b'"'
            | b'|'
            | b'&'
            | b'>'
            | b'<'
            | b';'
            | b'`'
            | b'('
            | b')'
            | b'$'
            | b'#'
            | 0
    )
}

fn nul(at: usize) -> ParseError {
    ParseError::ShellSyntax {
        detail: format!("the command contains a NUL character at byte {at}: remove it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Vec<String> {
        tokenize(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn kind(s: &str) -> &'static str {
        crate::ValidationError::from(tokenize(s).expect_err(s))
            .kind()
            .as_str()
    }

    #[test]
    fn splits_words_with_shell_quoting() {
        assert_eq!(ok("aws  s3\tls"), ["aws", "s3", "ls"]);
        assert_eq!(ok(r#"a 'b c' "d e" f\ g"#), ["a", "b c", "d e", "f g"]);
        assert_eq!(ok(r#"a "x\"y\\z\q" 'it''s'"#), ["a", r#"x"y\z\q"#, "its"]);
        assert_eq!(ok("a '' \"\""), ["a", "", ""]);
        assert_eq!(ok("a b'c'\"d\"e"), ["a", "bcde"]);
        assert_eq!(ok("\n  aws s3 ls \n"), ["aws", "s3", "ls"]);
        // Long layout runs stay linear.
        let padded = format!("{}aws s3 ls{}", "\n".repeat(16_000), "\r\n".repeat(8_000));
        assert_eq!(ok(&padded), ["aws", "s3", "ls"]);
    }

    #[test]
    fn quoted_operators_are_data() {
        assert_eq!(
            ok("aws ec2 describe-instances --query 'Reservations[] | [0]'"),
            [
                "aws",
                "ec2",
                "describe-instances",
                "--query",
                "Reservations[] | [0]"
            ]
        );
        assert_eq!(ok(r#"a "x > y; z && w || v""#)[1], "x > y; z && w || v");
        assert_eq!(
            ok("a '$(id)' '`id`' '${X}'")[1..],
            ["$(id)", "`id`", "${X}"]
        );
        assert_eq!(ok(r#"a "\$(id)" "\`x\`""#)[1..], ["$(id)", "`x`"]);
        assert_eq!(ok("a '#x' b#c")[1..], ["#x", "b#c"]);
        assert_eq!(ok("a \"line1\nline2\"")[1], "line1\nline2");
    }

    #[test]
    fn continuations_join_lines() {
        assert_eq!(ok("aws s3 \\\n  ls"), ["aws", "s3", "ls"]);
        assert_eq!(ok("aws s3 \\\r\n  ls"), ["aws", "s3", "ls"]);
        assert_eq!(ok("a '{ \\\n \"k\": 1}'")[1], "{  \"k\": 1}");
        assert_eq!(ok("a \"x\\\ny\"")[1], "xy");
    }

    #[test]
    fn dollar_and_tilde_stay_literal() {
        assert_eq!(
            ok("a $HOME ~/x \"$HOME\" file://$HOME/f")[1..],
            ["$HOME", "~/x", "$HOME", "file://$HOME/f"]
        );
    }

    #[test]
    fn rejects_unquoted_operators() {
        for (s, o) in [
            ("aws s3 ls | head", "|"),
            ("aws s3 ls || x", "||"),
            ("aws s3 ls; x", ";"),
            ("aws s3 ls & x", "&"),
            ("aws s3 ls && x", "&&"),
            ("aws s3 ls > f", ">"),
            ("aws s3 ls >> f", ">>"),
            ("aws s3 ls < f", "<"),
            ("diff <(aws s3 ls)", "<("),
            ("aws s3 ls `x`", "`"),
            ("aws s3 ls $(x)", "$("),
            ("aws s3 ls ${X}", "${"),
            ("aws s3 ls \"$(x)\"", "$("),
            ("aws s3 ls \"`x`\"", "`"),
            ("aws s3 ls \"${X}\"", "${"),
            ("aws s3 ls\naws s3 rb s3://x", "newline"),
            ("(aws s3 ls)", "("),
            ("aws s3 ls s3://b/a)", ")"),
        ] {
            match tokenize(s) {
                Err(ParseError::ShellOperator { operator, .. }) => {
                    assert_eq!(operator, o, "{s}")
                }
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_broken_syntax() {
        assert_eq!(kind("aws '"), "unbalanced_quotes");
        assert_eq!(kind("aws \"abc"), "unbalanced_quotes");
        assert_eq!(kind("aws s3 ls \\"), "shell_syntax");
        assert_eq!(kind("aws s3 ls # all"), "shell_syntax");
        assert_eq!(kind("aws s3\0 ls"), "shell_syntax");
        assert_eq!(kind("   "), "empty");
        assert_eq!(kind(""), "empty");
        assert_eq!(
            tokenize_with_limit("aws s3 ls", 4),
            Err(ParseError::TooLong { len: 9, max: 4 })
        );
    }

    /// Issue 19, finding 9: bidirectional controls reorder how a command
    /// reads to a person; they are refused anywhere, quoted or not.
    #[test]
    fn rejects_bidi_controls_anywhere() {
        for s in [
            "aws s3 ls s3://b/\u{202E}txt.exe",
            "aws s3api put-object --bucket b --key 'a\u{2066}b'",
            "aws sns publish --message \"hi \u{200F}\"",
            "aws s3 ls \u{061C}",
        ] {
            assert_eq!(kind(s), "bidi_control", "{s:?}");
        }
        assert_eq!(
            tokenize("aws s3 ls '\u{202E}x'"),
            Err(ParseError::BidiControl {
                code: 0x202E,
                position: 11
            })
        );
        // Other non-ASCII text is data.
        assert!(tokenize("aws sns publish --message 'héllo ✓'").is_ok());
    }

    #[test]
    fn agrees_with_shell_words_on_plain_commands() {
        for s in [
            r#"aws ec2 describe-instances --filters "Name=tag:Name,Values=web 1" --query 'R[*].I'"#,
            r#"aws dynamodb get-item --key '{"pk":{"S":"a b"}}' --x "a\\b\"c""#,
            r#"aws s3 cp a\ b s3://x/y\ z"#,
            r#"a "it's" 'say "hi"' x\'y"#,
        ] {
            assert_eq!(ok(s), shell_words::split(s).expect("shell-words"), "{s}");
        }
    }
}
