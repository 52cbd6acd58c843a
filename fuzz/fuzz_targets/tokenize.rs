//! The tokenizer must never panic, and what it accepts holds no NUL byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(words) = aws_mcp_core::tokenize(s) {
            assert!(words.iter().all(|w| !w.contains('\0')));
        }
    }
});
