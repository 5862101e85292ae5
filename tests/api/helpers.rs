//! A running danvan on a test database.

use danvan_server::{AppState, Settings};
use danvan_testing::TestDatabase;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The server, listening on a free port of 127.0.0.1, with the demo data loaded.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// The webhook worker and the follower of other servers' writes, when the test runs
    /// them.
    background: Vec<JoinHandle<()>>,
    /// The media library's files, as the server keeps them.
    pub library: Arc<danvan_media::Library>,
    /// The media folder of a test that names none, removed with the app.
    _media: Option<tempfile::TempDir>,
}

/// `settings` with a fresh media folder when they name neither a folder nor a bucket, so
/// that no test writes beside the working folder.
fn own_media(settings: &Settings) -> (Settings, Option<tempfile::TempDir>) {
    let mut settings = settings.clone();
    if !settings.media.folder.is_empty() || !settings.media.s3_bucket.is_empty() {
        return (settings, None);
    }
    let folder = tempfile::tempdir().unwrap();
    settings.media.folder = folder.path().join("media").display().to_string();
    (settings, Some(folder))
}

impl TestApp {
    /// Loads the demo data into `database` and serves the real router on it.
    pub async fn start(database: &TestDatabase) -> Self {
        danvan_server::demo::load(&database.db)
            .await
            .expect("load the demo data");
        Self::start_empty(database).await
    }

    /// Serves the real router on `database` as it is.
    pub async fn start_empty(database: &TestDatabase) -> Self {
        Self::start_with(database, &Settings::default()).await
    }

    /// Serves the real router on `database` under `settings`.
    pub async fn start_with(database: &TestDatabase, settings: &Settings) -> Self {
        let readers = danvan_store::connect_readers(&database.url).await.unwrap();
        Self::serve(database.db.clone(), readers, settings).await
    }

    /// Serves the real router on what `settings` name, opened as `danvan serve` opens it
    /// (its database, replicas and all).
    pub async fn start_prepared(settings: &Settings) -> Self {
        let (settings, media) = own_media(settings);
        let state = danvan_server::prepare(&settings).await.unwrap();
        Self::serve_state(state).await.keeping(media)
    }

    fn keeping(mut self, media: Option<tempfile::TempDir>) -> Self {
        self._media = media;
        self
    }

    /// Serves the real router on `database` under `settings`, with the webhook worker and
    /// the follower of other servers' writes running as `danvan serve` runs them.
    pub async fn start_delivering(database: &TestDatabase, settings: &Settings) -> Self {
        let readers = danvan_store::connect_readers(&database.url).await.unwrap();
        let (settings, media) = own_media(settings);
        let mut state = AppState::new(database.db.clone(), &settings).await.unwrap();
        if let Some(readers) = readers {
            state = state.with_readers(readers);
        }
        let worker = state.webhook_worker().unwrap();
        let follower = state.rest.freshness().clone().follow(state.db.clone());
        let flusher = state.view_flusher();
        let live = state.live_updates();
        let mut app = Self::serve_state(state).await.keeping(media);
        app.background = vec![
            tokio::spawn(live),
            tokio::spawn(worker.run()),
            tokio::spawn(follower),
            tokio::spawn(flusher),
        ];
        app
    }

    /// Serves the real router on `database`, counting every SQL statement it runs, with no
    /// public GraphQL answer kept.
    pub async fn start_counting(database: &TestDatabase) -> (Self, Arc<AtomicUsize>) {
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&statements);
        let count = move |db: &mut danvan_store::DatabaseConnection| {
            let counter = Arc::clone(&counter);
            db.set_metric_callback(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            });
        };
        let mut db = database.db.clone();
        count(&mut db);
        let mut readers = danvan_store::connect_readers(&database.url).await.unwrap();
        if let Some(readers) = &mut readers {
            count(readers);
        }
        // What a query itself costs: no public answer kept, so each is built.
        let mut settings = Settings::default();
        settings.graphql.response_cache_mb = 0;
        settings.api.response_cache_mb = 0;
        let server = Self::serve(db, readers, &settings).await;
        (server, statements)
    }

    async fn serve(
        db: danvan_store::DatabaseConnection,
        readers: Option<danvan_store::DatabaseConnection>,
        settings: &Settings,
    ) -> Self {
        let (settings, media) = own_media(settings);
        let mut state = AppState::new(db, &settings).await.unwrap();
        if let Some(readers) = readers {
            state = state.with_readers(readers);
        }
        Self::serve_state(state).await.keeping(media)
    }

    /// Serves the real router on `database` as it is, within `limits`.
    pub async fn start_limited(
        database: &TestDatabase,
        limits: danvan_server::Connections,
    ) -> Self {
        let (settings, media) = own_media(&Settings::default());
        let state = AppState::new(database.db.clone(), &settings).await.unwrap();
        Self::serve_within(state, limits).await.keeping(media)
    }

    async fn serve_state(state: AppState) -> Self {
        Self::serve_within(state, danvan_server::Connections::default()).await
    }

    async fn serve_within(state: AppState, limits: danvan_server::Connections) -> Self {
        let library = state.media.library.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(danvan_server::serve_with(
            listener,
            danvan_server::router(state),
            async {
                let _ = stopped.await;
            },
            limits,
        ));
        Self {
            address,
            client: reqwest::Client::new(),
            stop,
            server,
            background: Vec::new(),
            library,
            _media: None,
        }
    }

    /// Stops the server the way a signal does, waiting for requests in flight.
    pub async fn stop(self) {
        for task in &self.background {
            task.abort();
        }
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
    }

    /// Sends the stop signal and returns the server task, still finishing its requests.
    pub fn signal_stop(self) -> JoinHandle<std::io::Result<()>> {
        for task in &self.background {
            task.abort();
        }
        let _ = self.stop.send(());
        self.server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// POSTs a query with an `Authorization: Bearer` token and returns the response body.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.graphql_with(
            Some(("authorization", format!("Bearer {token}"))),
            query,
            variables,
        )
        .await
    }

    /// POSTs a query with one extra header (credentials) and returns the response body.
    pub async fn graphql_with(
        &self,
        header: Option<(&str, String)>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// POSTs a GraphQL multipart request (the GraphQL multipart request specification)
    /// whose variable `file` is `bytes`, named `name`, and returns the response body.
    pub async fn graphql_upload(
        &self,
        header: Option<(&str, String)>,
        query: &str,
        mut variables: Value,
        bytes: Vec<u8>,
        name: &str,
    ) -> Value {
        variables["file"] = Value::Null;
        let operations = json!({ "query": query, "variables": variables });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", r#"{ "0": ["variables.file"] }"#)
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(name.to_owned())
                    .mime_str("application/octet-stream")
                    .unwrap(),
            );
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("graphql-preflight", "1")
            .multipart(form);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// POSTs `bytes` named `name` to `/api/v1/media` with the text `fields` before it, as
    /// `token` when given.
    pub async fn upload(
        &self,
        token: Option<&str>,
        fields: &[(&str, &str)],
        bytes: Vec<u8>,
        name: &str,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (field, value) in fields {
            form = form.text(field.to_string(), value.to_string());
        }
        // The type a browser would claim from the name; the server reads the bytes.
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("image/png")
                .unwrap(),
        );
        let mut request = self.client.post(self.url("/api/v1/media")).multipart(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Signs in over GraphQL and returns the access and refresh tokens.
    pub async fn login(&self, username: &str, password: &str) -> (String, String) {
        let response = self
            .graphql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        let login = &response["data"]["login"];
        assert!(login.is_object(), "{response}");
        (
            login["accessToken"].as_str().unwrap().to_owned(),
            login["refreshToken"].as_str().unwrap().to_owned(),
        )
    }

    /// POSTs a query and returns the response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }
}

/// The `extensions.code` of the first error of a GraphQL response.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response}"))
}

/// The password every test account has.
pub const PASSWORD: &str = "mật khẩu Dân vận khéo";

/// Stores an account with [`PASSWORD`]: `role` of the site with slug `site`.
pub async fn account(
    db: &danvan_store::DatabaseConnection,
    username: &str,
    role: danvan_domain::account::Role,
    site: Option<&str>,
) -> danvan_store::account::Account {
    use danvan_domain::account::{AccountData, Username};
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| danvan_auth::password::hash(PASSWORD).unwrap());
    let site_id = match site {
        Some(slug) => Some(
            danvan_store::site::by_slug(db, &danvan_domain::Slug::parse(slug).unwrap())
                .await
                .unwrap()
                .unwrap()
                .id,
        ),
        None => None,
    };
    let data = AccountData {
        username: Username::parse(username).unwrap(),
        display_name: danvan_domain::Name::parse("Phóng viên Lam Sơn").unwrap(),
        role,
        site_id,
        disabled: false,
    };
    danvan_store::account::create(db, &data, hash)
        .await
        .unwrap()
}
