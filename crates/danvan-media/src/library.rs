//! The media library's files: an upload kept (cleaned when it is an image), and its
//! renditions made on first request, once however many ask at the same moment.

use crate::MediaError;
use crate::format::{Format, Kind};
use crate::picture::{self, Picture};
use crate::receive::{self, Received, SizeLimits};
use crate::rendition::{self, Encoding};
use crate::storage::Storage;
use bytes::Bytes;
use futures::Stream;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The widths made when none are configured: a phone's list, a phone's full width, a
/// tablet, a page's column, a wide screen.
pub const DEFAULT_WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// What a kept file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The SHA-256 of the bytes uploaded: the item's identity in the storage.
    pub hash: String,
    /// Its kind.
    pub kind: Kind,
    /// The format stored (an image's is JPEG or PNG, whatever was uploaded).
    pub format: Format,
    /// The bytes stored.
    pub size: u64,
    /// An image's width in pixels.
    pub width: Option<u32>,
    /// An image's height in pixels.
    pub height: Option<u32>,
    /// An image's ThumbHash.
    pub thumbhash: Option<Vec<u8>>,
    /// An image's average colour, `#rrggbb`.
    pub colour: Option<String>,
}

/// The files of the media library.
#[derive(Debug)]
pub struct Library {
    storage: Storage,
    widths: Vec<u32>,
    limits: SizeLimits,
    /// The renditions being made now, each behind its own lock.
    making: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    made: AtomicU64,
    /// Renditions read lately, by key: the photos of the day's news are asked for again and
    /// again, and reading one from the storage costs more than serving it.
    recent: quick_cache::sync::Cache<String, Bytes, Weight>,
}

/// A rendition in memory weighs its bytes.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Bytes> for Weight {
    fn weight(&self, key: &String, bytes: &Bytes) -> u64 {
        (key.len() + bytes.len() + 64) as u64
    }
}

/// The memory renditions read lately may take: some two thousand phone-sized photos.
const RECENT_BYTES: u64 = 64 * 1024 * 1024;

/// Where the original of `hash` is kept: under a folder of its own, beside its renditions,
/// the folders spread by the hash's first two letters.
pub fn original_key(hash: &str, format: Format) -> String {
    format!("{}/original.{}", folder(hash), format.extension())
}

/// Where a rendition of `hash` is kept.
pub fn rendition_key(hash: &str, width: u32, encoding: Encoding) -> String {
    format!("{}/{width}.{}", folder(hash), encoding.extension())
}

fn folder(hash: &str) -> String {
    format!("{}/{hash}", hash.get(..2).unwrap_or("00"))
}

impl Library {
    /// The library on `storage`, making renditions of `widths` (sorted, without repeats)
    /// and receiving files within `limits`.
    pub fn new(storage: Storage, mut widths: Vec<u32>, limits: SizeLimits) -> Self {
        widths.retain(|w| *w > 0);
        widths.sort_unstable();
        widths.dedup();
        Self {
            storage,
            widths,
            limits,
            making: Mutex::new(HashMap::new()),
            made: AtomicU64::new(0),
            // A rendition of a list's photo weighs about 30 KB.
            recent: quick_cache::sync::Cache::with_weighter(2_000, RECENT_BYTES, Weight),
        }
    }

    /// The widths renditions are made at, narrowest first.
    pub fn widths(&self) -> &[u32] {
        &self.widths
    }

    /// The largest file of each kind.
    pub fn limits(&self) -> SizeLimits {
        self.limits
    }

    /// The storage.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// How many renditions this library has made since it opened.
    pub fn renditions_made(&self) -> u64 {
        self.made.load(Ordering::Relaxed)
    }

    /// Receives an upload into the scratch folder (see [`receive::receive`]).
    pub async fn receive<E: std::fmt::Display>(
        &self,
        body: impl Stream<Item = Result<Bytes, E>>,
    ) -> Result<Received, MediaError> {
        receive::receive(body, self.limits, self.storage.scratch()).await
    }

    /// Keeps a received file: an image cleaned (on a blocking thread: decoding is seconds
    /// of work for a large photo), a document as it came.
    pub async fn keep(&self, received: &Received) -> Result<Kept, MediaError> {
        match received.format.kind() {
            Kind::Document => {
                let key = original_key(&received.hash, received.format);
                self.storage.put_file(&key, &received.file).await?;
                Ok(Kept {
                    hash: received.hash.clone(),
                    kind: Kind::Document,
                    format: received.format,
                    size: received.size,
                    width: None,
                    height: None,
                    thumbhash: None,
                    colour: None,
                })
            }
            Kind::Image => {
                let path = received.file.to_path_buf();
                let format = received.format;
                let picture = tokio::task::spawn_blocking(move || picture::clean(&path, format))
                    .await
                    .map_err(|e| MediaError::Unreadable(e.to_string()))??;
                let Picture {
                    bytes,
                    format,
                    width,
                    height,
                    thumbhash,
                    colour,
                } = picture;
                let size = bytes.len() as u64;
                self.storage
                    .put(&original_key(&received.hash, format), bytes)
                    .await?;
                Ok(Kept {
                    hash: received.hash.clone(),
                    kind: Kind::Image,
                    format,
                    size,
                    width: Some(width),
                    height: Some(height),
                    thumbhash: Some(thumbhash),
                    colour: Some(colour),
                })
            }
        }
    }

    /// Removes the original and every rendition of `hash`.
    pub async fn forget(&self, hash: &str) -> Result<(), MediaError> {
        use futures::TryStreamExt;
        let keys: Vec<String> = self.storage.keys_under(&folder(hash)).try_collect().await?;
        for key in keys {
            self.recent.remove(&key);
            self.storage.delete(&key).await?;
        }
        Ok(())
    }

    /// The rendition of the image kept as `hash` (its original in `format`) at `width` in
    /// `encoding`: read from the storage, or made, stored and returned when it is the first
    /// request. Concurrent first requests wait for one of them to make it.
    pub async fn rendition(
        &self,
        hash: &str,
        format: Format,
        width: u32,
        encoding: Encoding,
    ) -> Result<Bytes, MediaError> {
        if !self.widths.contains(&width) {
            let widths: Vec<String> = self.widths.iter().map(u32::to_string).collect();
            return Err(MediaError::NoSuchRendition(format!(
                "renditions are {} pixels wide",
                widths.join(", ")
            )));
        }
        if format.kind() != Kind::Image {
            return Err(MediaError::NoSuchRendition(
                "a document has no renditions".into(),
            ));
        }
        let key = rendition_key(hash, width, encoding);
        if let Some(bytes) = self.recent.get(&key) {
            return Ok(bytes);
        }
        match self.storage.get(&key).await {
            Err(MediaError::NotFound) => {}
            Ok(bytes) => {
                self.recent.insert(key, bytes.clone());
                return Ok(bytes);
            }
            Err(other) => return Err(other),
        }
        let lock = {
            let mut making = self
                .making
                .lock()
                .map_err(|_| MediaError::Storage("a rendition lock was poisoned".into()))?;
            Arc::clone(making.entry(key.clone()).or_default())
        };
        let made = {
            let _turn = lock.lock().await;
            self.make(hash, format, width, encoding, &key).await
        };
        if let Ok(mut making) = self.making.lock() {
            // The last of the waiters removes the lock; a later request finds the file.
            if Arc::strong_count(&lock) == 2 {
                making.remove(&key);
            }
        }
        made
    }

    async fn make(
        &self,
        hash: &str,
        format: Format,
        width: u32,
        encoding: Encoding,
        key: &str,
    ) -> Result<Bytes, MediaError> {
        // Whoever held the lock before may have made it.
        match self.storage.get(key).await {
            Err(MediaError::NotFound) => {}
            found => return found,
        }
        let original = self.storage.get(&original_key(hash, format)).await?;
        let bytes =
            tokio::task::spawn_blocking(move || rendition::render(&original, width, encoding))
                .await
                .map_err(|e| MediaError::Unreadable(e.to_string()))??;
        self.storage.put(key, bytes.clone()).await?;
        self.made.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(key, bytes = bytes.len(), "rendition made");
        let bytes = Bytes::from(bytes);
        self.recent.insert(key.to_owned(), bytes.clone());
        Ok(bytes)
    }
}
