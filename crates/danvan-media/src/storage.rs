//! Where media files live: a local folder (the embedded default) or any S3-compatible
//! object store (several servers, one library). One interface, `object_store`'s, so that
//! nothing above this module knows which.

use crate::MediaError;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncReadExt;

/// Where the files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A folder on this machine, created when missing.
    Folder(PathBuf),
    /// A bucket of an S3-compatible store.
    S3(S3Place),
}

/// A bucket of an S3-compatible store (AWS, MinIO, Ceph, a hosting provider's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct S3Place {
    /// The bucket.
    pub bucket: String,
    /// The store's address, when it is not AWS: `http://127.0.0.1:9000`.
    pub endpoint: Option<String>,
    /// The region (`us-east-1` when none is named).
    pub region: Option<String>,
    /// The access key id; from `AWS_ACCESS_KEY_ID` when none is named.
    pub access_key_id: Option<String>,
    /// The secret; from `AWS_SECRET_ACCESS_KEY` when none is named.
    pub secret_access_key: Option<String>,
}

/// The storage of media files.
#[derive(Debug, Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// A folder on this machine for files being received.
    scratch: PathBuf,
}

/// How large the parts of a file sent to the store are.
const PART_BYTES: usize = 5 * 1024 * 1024;

impl Storage {
    /// Opens the storage at `place`, receiving uploads in `scratch` (the system's temporary
    /// folder when `None`).
    pub fn open(place: &Place, scratch: Option<PathBuf>) -> Result<Self, MediaError> {
        let store: Arc<dyn ObjectStore> = match place {
            Place::Folder(folder) => {
                std::fs::create_dir_all(folder)?;
                Arc::new(LocalFileSystem::new_with_prefix(folder)?)
            }
            Place::S3(s3) => {
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(&s3.bucket);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                builder = builder.with_region(s3.region.as_deref().unwrap_or("us-east-1"));
                if let Some(id) = &s3.access_key_id {
                    builder = builder.with_access_key_id(id);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                Arc::new(builder.build()?)
            }
        };
        let scratch = scratch.unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&scratch)?;
        Ok(Self { store, scratch })
    }

    /// The folder uploads are received in.
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }

    /// Stores `bytes` under `key`.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        self.store
            .put(&Key::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// Stores the file at `path` under `key`, read and sent a part at a time.
    pub async fn put_file(&self, key: &str, path: &Path) -> Result<(), MediaError> {
        let mut file = tokio::fs::File::open(path).await?;
        let upload = self.store.put_multipart(&Key::from(key)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buffer = vec![0; 256 * 1024];
        loop {
            let read = match file.read(&mut buffer).await {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) => {
                    writer.abort().await?;
                    return Err(error.into());
                }
            };
            writer.wait_for_capacity(4).await?;
            writer.write(&buffer[..read]);
        }
        writer.finish().await?;
        Ok(())
    }

    /// The bytes stored under `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, MediaError> {
        Ok(self.store.get(&Key::from(key)).await?.bytes().await?)
    }

    /// The bytes stored under `key`, a part at a time, with their total size.
    pub async fn stream(
        &self,
        key: &str,
    ) -> Result<(u64, impl Stream<Item = Result<Bytes, MediaError>> + use<>), MediaError> {
        let found = self.store.get(&Key::from(key)).await?;
        let size = found.meta.size;
        Ok((
            size,
            found.into_stream().map(|p| p.map_err(MediaError::from)),
        ))
    }

    /// Whether something is stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        match self.store.head(&Key::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }

    /// Removes what is stored under `key` (nothing when nothing is).
    pub async fn delete(&self, key: &str) -> Result<(), MediaError> {
        match self.store.delete(&Key::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }

    /// The keys stored under the folder `prefix`.
    pub fn keys_under(
        &self,
        prefix: &str,
    ) -> impl Stream<Item = Result<String, MediaError>> + use<> {
        self.store
            .list(Some(&Key::from(prefix)))
            .map(|meta| meta.map(|m| m.location.to_string()).map_err(Into::into))
    }

    /// Every key stored, in no particular order.
    pub fn keys(&self) -> impl Stream<Item = Result<String, MediaError>> + use<> {
        self.store
            .list(None)
            .map(|meta| meta.map(|m| m.location.to_string()).map_err(Into::into))
    }
}
