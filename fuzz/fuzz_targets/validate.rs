//! The validator must never panic; a validated command's normalized argv
//! must validate again to the same parameters.
#![no_main]

use aws_mcp_core::{Catalog, Validator};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let v = Validator::new(Catalog::embedded());
    if let Ok(c) = v.validate(s) {
        let mut again = vec!["aws".to_string()];
        again.extend(c.argv().iter().cloned());
        let c2 = v.validate_words(&again).expect("normalized argv validates");
        assert_eq!(c.parameters(), c2.parameters());
    }
});
