//! Media storage for tests: a fresh local folder, or a fresh bucket on the S3-compatible
//! server named by `TEST_S3_ENDPOINT` (moto's server mode in CI).

use danvan_media::{Place, S3Place};

/// The variable that names the S3-compatible server for tests.
pub const S3_ENDPOINT_VAR: &str = "TEST_S3_ENDPOINT";

/// Which storage a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storing {
    /// A local folder.
    Folder,
    /// A bucket of the S3-compatible server.
    S3,
}

/// A storage that exists for one test.
pub struct TestStorage {
    /// Where the files go.
    pub place: Place,
    /// Held so that a folder lives as long as the test.
    _folder: Option<tempfile::TempDir>,
}

impl TestStorage {
    /// A fresh storage of `kind`, or `None` (with a message) when the S3 server is not
    /// configured.
    pub async fn new(kind: Storing, test: &str) -> Option<Self> {
        match kind {
            Storing::Folder => {
                let folder = tempfile::tempdir().expect("a temporary folder");
                Some(Self {
                    place: Place::Folder(folder.path().join("media")),
                    _folder: Some(folder),
                })
            }
            Storing::S3 => {
                let Ok(endpoint) = std::env::var(S3_ENDPOINT_VAR) else {
                    eprintln!("skipped on S3: {test} (set {S3_ENDPOINT_VAR}=http://… to run it)");
                    return None;
                };
                let bucket = format!("danvan-test-{}", uuid::Uuid::new_v4().simple());
                // moto's server makes a bucket on an unsigned PUT, as a test server may.
                let made = reqwest::Client::new()
                    .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
                    .send()
                    .await
                    .unwrap_or_else(|e| {
                        panic!("{S3_ENDPOINT_VAR} is set but does not answer: {e}")
                    });
                assert!(
                    made.status().is_success(),
                    "making the bucket: {}",
                    made.status()
                );
                Some(Self {
                    place: Place::S3(S3Place {
                        bucket,
                        endpoint: Some(endpoint),
                        region: Some("us-east-1".into()),
                        access_key_id: Some("testing".into()),
                        secret_access_key: Some("testing".into()),
                    }),
                    _folder: None,
                })
            }
        }
    }
}
