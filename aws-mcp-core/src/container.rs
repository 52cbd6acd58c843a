//! The container of the generated data files (the catalog, the access
//! table): one reader, so that both check their input the same way.
//!
//! ```text
//! offset 0   8 bytes   magic (which file this is)
//! offset 8   u32 LE    N = length of the index frame
//! offset 12  N bytes   zstd frame: the index (JSON)
//! offset 12+N          zstd frames, each addressed by the index as
//!                      [offset, length] from here
//! ```
//!
//! Every length is checked before it is used, and a frame decompresses to
//! at most a bound, so a corrupt or hostile file is an error, never a panic
//! or an unbounded allocation.

/// Why a container could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContainerError {
    /// Not this kind of file (wrong magic, or shorter than the header).
    BadMagic,
    /// A length points past the end of the data.
    Truncated,
    /// A zstd frame is corrupt or larger than its bound.
    Decompress(String),
}

/// The index frame (still compressed) and where the other frames start.
pub(crate) fn split<'d>(
    data: &'d [u8],
    magic: &[u8; 8],
) -> Result<(&'d [u8], usize), ContainerError> {
    if data.len() < 12 || &data[..8] != magic {
        return Err(ContainerError::BadMagic);
    }
    let mut len = [0u8; 4];
    len.copy_from_slice(&data[8..12]);
    let end = usize::try_from(u32::from_le_bytes(len))
        .ok()
        .and_then(|n| 12usize.checked_add(n))
        .filter(|&e| e <= data.len())
        .ok_or(ContainerError::Truncated)?;
    Ok((&data[12..end], end))
}

/// The range of the frame at `[offset, length]` after `frames_start`, if it
/// lies inside `data`.
pub(crate) fn frame_range(
    data_len: usize,
    frames_start: usize,
    [offset, length]: [u64; 2],
) -> Result<std::ops::Range<usize>, ContainerError> {
    let start = usize::try_from(offset)
        .ok()
        .and_then(|o| frames_start.checked_add(o));
    let len = usize::try_from(length).ok();
    match (start, len) {
        (Some(s), Some(l)) if s.checked_add(l).is_some_and(|e| e <= data_len) => Ok(s..s + l),
        _ => Err(ContainerError::Truncated),
    }
}

/// Decompress one frame, refusing more than `max` bytes.
pub(crate) fn decompress(frame: &[u8], max: usize) -> Result<Vec<u8>, ContainerError> {
    zstd::bulk::decompress(frame, max).map_err(|e| ContainerError::Decompress(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(index: &[u8], frames: &[u8]) -> Vec<u8> {
        let z = zstd::bulk::compress(index, 3).expect("compress");
        let mut out = b"TESTMAGC".to_vec();
        out.extend_from_slice(&(z.len() as u32).to_le_bytes());
        out.extend_from_slice(&z);
        out.extend_from_slice(frames);
        out
    }

    #[test]
    fn reads_what_it_is_given_and_refuses_the_rest() {
        let data = container(b"{}", b"0123456789");
        let (index, start) = split(&data, b"TESTMAGC").expect("valid");
        assert_eq!(decompress(index, 100).expect("frame"), b"{}");
        assert_eq!(
            &data[frame_range(data.len(), start, [2, 3]).expect("inside")],
            b"234"
        );
        assert_eq!(
            frame_range(data.len(), start, [8, 3]),
            Err(ContainerError::Truncated)
        );
        assert_eq!(
            frame_range(data.len(), start, [u64::MAX, 1]),
            Err(ContainerError::Truncated)
        );
        assert_eq!(split(&data, b"OTHERMAG"), Err(ContainerError::BadMagic));
        assert_eq!(
            split(&data[..5], b"TESTMAGC"),
            Err(ContainerError::BadMagic)
        );
        let mut short = data.clone();
        short[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(split(&short, b"TESTMAGC"), Err(ContainerError::Truncated));
        assert!(matches!(
            decompress(b"not zstd", 100),
            Err(ContainerError::Decompress(_))
        ));
        assert!(matches!(
            decompress(index, 1),
            Err(ContainerError::Decompress(_))
        ));
    }
}
