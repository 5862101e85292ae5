//! An upload received: streamed into a temporary file while it is hashed, its type decided
//! from its first bytes and its size held to its kind's limit, so that a file is never held
//! whole in memory and a refused one is refused as soon as its bytes say so.

use crate::MediaError;
use crate::format::{self, Format, Kind, SNIFF_BYTES};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// The largest file of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimits {
    /// Bytes an image may have.
    pub image: u64,
    /// Bytes a document may have.
    pub document: u64,
}

impl SizeLimits {
    fn of(self, kind: Kind) -> u64 {
        match kind {
            Kind::Image => self.image,
            Kind::Document => self.document,
        }
    }

    fn refuse(self, kind: Option<Kind>) -> MediaError {
        let limit = kind.map_or(self.image.max(self.document), |k| self.of(k));
        let what = kind.map_or("a file", |k| match k {
            Kind::Image => "an image",
            Kind::Document => "a document",
        });
        MediaError::TooLarge(format!(
            "{what} may have at most {} MB",
            limit.div_ceil(1024 * 1024)
        ))
    }
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self {
            image: 20 * 1024 * 1024,
            document: 50 * 1024 * 1024,
        }
    }
}

/// A file received whole.
#[derive(Debug)]
pub struct Received {
    /// Where its bytes are; the file is removed when this is dropped.
    pub file: tempfile::TempPath,
    /// Its format, from its bytes.
    pub format: Format,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes, in lower-case hex: the same file is the same item.
    pub hash: String,
}

/// Receives `body` into a temporary file in `dir`.
pub async fn receive<E: std::fmt::Display>(
    body: impl Stream<Item = Result<Bytes, E>>,
    limits: SizeLimits,
    dir: &Path,
) -> Result<Received, MediaError> {
    let temporary = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(dir)?;
    let (file, path) = temporary.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::new();
    let mut format: Option<Format> = None;
    let mut size: u64 = 0;
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| MediaError::Incomplete(e.to_string()))?;
        size += chunk.len() as u64;
        let kind = format.map(Format::kind);
        if size > kind.map_or(limits.image.max(limits.document), |k| limits.of(k)) {
            return Err(limits.refuse(kind));
        }
        if format.is_none() {
            head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_BYTES - head.len())]);
            if head.len() >= SNIFF_BYTES {
                format = Some(decide(&head, size, limits)?);
            }
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    let format = match format {
        Some(format) => format,
        None if head.is_empty() => {
            return Err(MediaError::Unsupported("the file is empty".into()));
        }
        None => decide(&head, size, limits)?,
    };
    file.flush().await?;
    file.sync_data().await?;
    Ok(Received {
        file: path,
        format,
        size,
        hash: hex(&hasher.finalize()),
    })
}

/// The format of the first bytes, refused when what arrived so far is already too large.
fn decide(head: &[u8], size: u64, limits: SizeLimits) -> Result<Format, MediaError> {
    let format = format::sniff(head)?;
    if size > limits.of(format.kind()) {
        return Err(limits.refuse(Some(format.kind())));
    }
    Ok(format)
}

/// The bytes of a file a part at a time, for [`receive`] when an upload arrived in a
/// file of its own (GraphQL's multipart requests are received so).
pub fn file_chunks(file: std::fs::File) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    use tokio::io::AsyncReadExt;
    futures::stream::unfold(Some(tokio::fs::File::from_std(file)), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0; 256 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok(Bytes::from(buffer)), Some(file)))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: Vec<Vec<u8>>) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
        futures::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from(p))))
    }

    fn pdf(size: usize) -> Vec<u8> {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(size, b' ');
        bytes
    }

    #[tokio::test]
    async fn a_file_is_hashed_and_typed_across_its_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = pdf(40_000);
        let parts = bytes.chunks(7_000).map(<[u8]>::to_vec).collect();
        let received = receive(chunks(parts), SizeLimits::default(), dir.path())
            .await
            .unwrap();
        assert_eq!(received.format, Format::Pdf);
        assert_eq!(received.size, 40_000);
        assert_eq!(received.hash, hex(&Sha256::digest(&bytes)));
        assert_eq!(std::fs::read(&received.file).unwrap(), bytes);
    }

    #[tokio::test]
    async fn a_file_over_its_kind_s_limit_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let limits = SizeLimits {
            image: 1_000,
            document: 30_000,
        };
        let parts = pdf(40_000).chunks(4_096).map(<[u8]>::to_vec).collect();
        let refused = receive(chunks(parts), limits, dir.path()).await;
        assert!(
            matches!(&refused, Err(MediaError::TooLarge(m)) if m.contains("a document")),
            "{refused:?}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn an_empty_or_broken_upload_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let empty = receive(chunks(vec![]), SizeLimits::default(), dir.path()).await;
        assert!(matches!(empty, Err(MediaError::Unsupported(_))));
        let cut = futures::stream::iter(vec![
            Ok(Bytes::from_static(b"%PDF-1.7")),
            Err(std::io::Error::other("connection reset")),
        ]);
        let cut = receive(cut, SizeLimits::default(), dir.path()).await;
        assert!(matches!(cut, Err(MediaError::Incomplete(_))));
    }
}
