//! `s3 sync`'s decision: awscli's `Comparator` over the two listings, with
//! its sync strategies.
//!
//! Both listings come sorted by compare key (the path relative to the
//! root, `/`-separated); the comparator walks them together like a merge:
//!
//! * a key on both sides is transferred when the strategy says so —
//!   by default (`SizeAndLastModifiedSync`) when the sizes differ or the
//!   source is newer (uploads and copies: the destination's time is before
//!   the source's; downloads: the local file's time is after the object's);
//!   `--size-only` looks at sizes only; `--exact-timestamps` makes a
//!   download of an equal-sized object happen unless the times are equal;
//! * a key only at the source is transferred;
//! * a key only at the destination is deleted with `--delete`, else left.
//!
//! Times are microseconds since the epoch (local files keep their
//! sub-second modification time, S3 objects have whole seconds), compared
//! exactly as the CLI compares its `datetime`s.

/// What a transfer does, as the comparator's time rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Local to S3.
    Upload,
    /// S3 to local.
    Download,
    /// S3 to S3.
    Copy,
}

/// How files present on both sides are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Size and last-modified time (the default).
    #[default]
    SizeAndLastModified,
    /// `--size-only`.
    SizeOnly,
    /// `--exact-timestamps`.
    ExactTimestamps,
}

/// One file of a listing, as the comparator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    /// The path relative to the listing's root, `/`-separated.
    pub compare_key: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its last-modified time, microseconds since the epoch.
    pub mtime_us: i64,
}

/// A comparator decision: an index into the source or destination listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Transfer this source file.
    Transfer(usize),
    /// Delete this destination file (`--delete`).
    Delete(usize),
}

/// Whether a file present on both sides should be transferred.
pub fn should_sync(strategy: Strategy, dir: Direction, src: &Stat, dest: &Stat) -> bool {
    let same_size = src.size == dest.size;
    let delta = dest.mtime_us - src.mtime_us;
    let same_time = match (strategy, dir) {
        (Strategy::SizeOnly, _) => return !same_size,
        (Strategy::ExactTimestamps, Direction::Download) => delta == 0,
        (_, Direction::Upload | Direction::Copy) => delta >= 0,
        (_, Direction::Download) => delta <= 0,
    };
    !same_size || !same_time
}

/// awscli's `Comparator.call` over two listings sorted by compare key.
pub fn compare(
    src: &[Stat],
    dest: &[Stat],
    strategy: Strategy,
    dir: Direction,
    delete: bool,
) -> Vec<Action> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        match (src.get(i), dest.get(j)) {
            (Some(s), Some(d)) => {
                if s.compare_key == d.compare_key {
                    if should_sync(strategy, dir, s, d) {
                        out.push(Action::Transfer(i));
                    }
                    i += 1;
                    j += 1;
                } else if s.compare_key < d.compare_key {
                    out.push(Action::Transfer(i));
                    i += 1;
                } else {
                    if delete {
                        out.push(Action::Delete(j));
                    }
                    j += 1;
                }
            }
            (Some(_), None) => {
                out.push(Action::Transfer(i));
                i += 1;
            }
            (None, Some(_)) => {
                if delete {
                    out.push(Action::Delete(j));
                }
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(k: &str, size: u64, t: i64) -> Stat {
        Stat {
            compare_key: k.into(),
            size,
            mtime_us: t,
        }
    }

    #[test]
    fn default_strategy_compares_size_and_time_by_direction() {
        let s = Strategy::SizeAndLastModified;
        // Upload: the object is newer or as new: skip.
        assert!(!should_sync(
            s,
            Direction::Upload,
            &st("a", 1, 10),
            &st("a", 1, 10)
        ));
        assert!(!should_sync(
            s,
            Direction::Upload,
            &st("a", 1, 10),
            &st("a", 1, 11)
        ));
        assert!(should_sync(
            s,
            Direction::Upload,
            &st("a", 1, 11),
            &st("a", 1, 10)
        ));
        assert!(should_sync(
            s,
            Direction::Upload,
            &st("a", 1, 10),
            &st("a", 2, 99)
        ));
        // Download: the local file (dest) newer or equal: skip.
        assert!(!should_sync(
            s,
            Direction::Download,
            &st("a", 1, 10),
            &st("a", 1, 10)
        ));
        assert!(!should_sync(
            s,
            Direction::Download,
            &st("a", 1, 10),
            &st("a", 1, 9)
        ));
        assert!(should_sync(
            s,
            Direction::Download,
            &st("a", 1, 10),
            &st("a", 1, 11)
        ));
        // --size-only and --exact-timestamps.
        assert!(!should_sync(
            Strategy::SizeOnly,
            Direction::Upload,
            &st("a", 1, 99),
            &st("a", 1, 1)
        ));
        assert!(should_sync(
            Strategy::ExactTimestamps,
            Direction::Download,
            &st("a", 1, 10),
            &st("a", 1, 9)
        ));
        assert!(!should_sync(
            Strategy::ExactTimestamps,
            Direction::Upload,
            &st("a", 1, 10),
            &st("a", 1, 11)
        ));
    }

    #[test]
    fn merge_walk() {
        let src = vec![st("a", 1, 5), st("b", 1, 5), st("d", 1, 5)];
        let dest = vec![st("a", 1, 5), st("c", 1, 5), st("d", 2, 5), st("e", 1, 5)];
        assert_eq!(
            compare(&src, &dest, Strategy::default(), Direction::Upload, false),
            vec![Action::Transfer(1), Action::Transfer(2)]
        );
        assert_eq!(
            compare(&src, &dest, Strategy::default(), Direction::Upload, true),
            vec![
                Action::Transfer(1),
                Action::Delete(1),
                Action::Transfer(2),
                Action::Delete(3)
            ]
        );
        assert!(compare(&[], &[], Strategy::default(), Direction::Copy, true).is_empty());
    }
}
