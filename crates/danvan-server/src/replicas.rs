//! Read replicas: which one this server reads on, and how each is doing.
//!
//! A server reads on one replica for all its public reads, rather than on each in turn:
//! what it keeps of public answers is checked against the change log as the replica it
//! reads has it, and two replicas are seldom at the same point of it. Several servers
//! spread over several replicas: each starts at a replica of its own (by its process id)
//! and takes the first after it that answers. When none answers at start, the server reads
//! on the database itself and says so; readiness reports every replica either way.

use danvan_store::DatabaseConnection;
use serde_json::{Value, json};

/// One configured replica.
#[derive(Clone)]
pub struct Replica {
    /// Its URL without the credentials, as logs and readiness name it.
    pub name: String,
    /// Its pool, `None` when it could not be opened at start.
    db: Option<DatabaseConnection>,
    /// Whether this server reads on it.
    pub in_use: bool,
}

/// The configured replicas, and the one read on.
#[derive(Clone, Default)]
pub struct Replicas {
    all: Vec<Replica>,
}

impl Replicas {
    /// Opens each of `urls`, and chooses the one to read on.
    pub async fn open(urls: &[String], wait: std::time::Duration) -> Self {
        let mut all = Vec::with_capacity(urls.len());
        for url in urls {
            let name = without_credentials(url);
            let db = match danvan_store::connect_replica(url, wait).await {
                Ok(db) => Some(db),
                Err(error) => {
                    tracing::warn!(replica = %name, %error, "cannot open a read replica");
                    None
                }
            };
            all.push(Replica {
                name,
                db,
                in_use: false,
            });
        }
        let first = usize::try_from(std::process::id()).unwrap_or(0) % all.len().max(1);
        let count = all.len();
        if let Some(i) = (0..count)
            .map(|n| (first + n) % count)
            .find(|&i| all[i].db.is_some())
        {
            all[i].in_use = true;
            tracing::info!(replica = %all[i].name, "public reads run on a replica");
        } else if count > 0 {
            tracing::warn!("no read replica answers: every read runs on the database itself");
        }
        Self { all }
    }

    /// The pool this server reads on, if any.
    pub fn in_use(&self) -> Option<&DatabaseConnection> {
        self.all
            .iter()
            .find(|r| r.in_use)
            .and_then(|r| r.db.as_ref())
    }

    /// Whether any replica is configured.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// How each replica is doing, for readiness, and whether the one read on answers.
    pub async fn report(&self) -> (bool, Vec<Value>) {
        let mut ready = true;
        let mut report = Vec::with_capacity(self.all.len());
        for replica in &self.all {
            let (status, lag) = match &replica.db {
                None => ("unavailable", None),
                Some(db) => match danvan_store::replication_lag(db).await {
                    Ok(lag) => ("ok", lag),
                    Err(error) => {
                        tracing::warn!(replica = %replica.name, %error, "a read replica does not answer");
                        ("unavailable", None)
                    }
                },
            };
            if replica.in_use && status != "ok" {
                ready = false;
            }
            report.push(json!({
                "role": "replica",
                "name": replica.name,
                "status": status,
                "inUse": replica.in_use,
                "lagSeconds": lag,
            }));
        }
        (ready, report)
    }
}

/// `postgres://user:secret@host:5432/db?x=y` as `postgres://host:5432/db`.
fn without_credentials(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
    let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
    format!("{scheme}://{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_is_named_without_its_password() {
        assert_eq!(
            without_credentials("postgres://danvan:bí-mật@10.0.0.7:5432/danvan?sslmode=require"),
            "postgres://10.0.0.7:5432/danvan"
        );
        assert_eq!(
            without_credentials("postgres://db-replica/danvan"),
            "postgres://db-replica/danvan"
        );
    }
}
