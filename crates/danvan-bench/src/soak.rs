//! The soak: mixed traffic for a long time against the release server. `connections`
//! connections each go round a schedule of every kind of read (the portal's pages, search,
//! suggestions, the JSON API, a feed), readers' comments and views, and editor writes
//! (creating, editing and publishing articles); beside them `danvan import` brings a batch
//! of new pages in every minute (every tenth of a shorter run), and GraphQL subscriptions stay open and hear each
//! publication. Every answer is checked: a 5xx, a broken connection or any status a kind
//! does not expect is an error. The server's resident memory and open file descriptors are
//! sampled throughout; p50 and p99 per kind are reported with them.

use crate::load::{self, Target};
use crate::server::Server;
use crate::webhooks::{create_admin, graphql, sign_in};
use anyhow::{Context, bail};
use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use hyper::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// Subscription sockets kept open, and subscriptions on each.
const SOCKETS: usize = 8;
const EACH: usize = 10;

/// What each kind measured: latencies of good answers, and the errors.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: u64,
}

type Tallies = BTreeMap<&'static str, Tally>;

/// One sample of the server's resources.
struct Sample {
    at: Duration,
    rss_mib: f64,
    open_files: usize,
}

/// What one connection does next: a read target, or a write with state of its own.
#[derive(Clone)]
enum Step {
    Read(&'static str, Target),
    Comment,
    Edit,
    Publish,
}

/// The state an editor connection keeps: its own draft, at the version last written.
#[derive(Default)]
struct Draft {
    id: Option<String>,
    version: i64,
}

pub async fn run(
    url: &str,
    binary: &Path,
    pages: &Path,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    let creation = create_admin(url, binary)?;
    let settings = [(
        "DANVAN_AUTH__COMMENTS_PER_WINDOW".to_owned(),
        "1000000000".to_owned(),
    )];
    let server = Arc::new(Server::start_with(binary, url, &settings).await?);
    let token = sign_in(&server, &creation).await?;
    let addr = server.addr;
    let reads = crate::queries::all(addr, |_| true).await?;
    let home = graphql(
        &server,
        &token,
        "query($site: String!) { articles(filter: { site: $site }, first: 1) { nodes { id } } }",
        json!({ "site": crate::data::SITE }),
    )
    .await?;
    let commented = home["articles"]["nodes"][0]["id"]
        .as_str()
        .context("no article to comment on")?
        .to_owned();

    // The schedule each connection goes round, from a different place: every read, search
    // three times (the pages' most used box), and a write in every five steps.
    let mut schedule: Vec<Step> = Vec::new();
    for query in &reads {
        schedule.push(Step::Read(query.name, query.target.clone()));
        if query.name == "search" {
            schedule.push(Step::Read(query.name, query.target.clone()));
            schedule.push(Step::Read(query.name, query.target.clone()));
        }
    }
    schedule.extend([Step::Comment, Step::Edit, Step::Edit, Step::Publish]);

    let tallies: Arc<Mutex<Tallies>> = Arc::default();
    let heard = Arc::new(AtomicU64::new(0));
    let ended = Arc::new(AtomicU64::new(0));
    let sockets = listen(&server, SOCKETS, EACH, heard.clone(), ended.clone()).await?;
    let started = Instant::now();
    let stop = started + duration;
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (schedule, tallies) = (schedule.clone(), tallies.clone());
        let (token, commented) = (token.clone(), commented.clone());
        tasks.push(tokio::spawn(async move {
            connection(addr, c, &schedule, &token, &commented, stop, &tallies).await
        }));
    }
    // An import every minute; every tenth of the run in a short one.
    let every_import = (duration / 10).clamp(Duration::from_secs(10), Duration::from_secs(60));
    let importing = tokio::spawn(import_every(
        every_import,
        binary.to_owned(),
        url.to_owned(),
        pages.to_owned(),
        stop,
    ));
    let mut samples = Vec::new();
    let every = duration / 20;
    while Instant::now() < stop {
        samples.push(sample(&server, started)?);
        tokio::time::sleep(every.min(stop.saturating_duration_since(Instant::now()))).await;
    }
    for task in tasks {
        task.await??;
    }
    let imports = importing.await??;
    samples.push(sample(&server, started)?);
    let open_sockets = sockets.iter().filter(|s| !s.is_finished()).count();

    let tallies = std::mem::take(&mut *tallies.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    // Publications by editors since the subscriptions opened.
    let published = tallies
        .get("publish")
        .map_or(0, |t| t.latencies.len() as u64);
    // What was heard when the load stopped, and once the subscriptions stop hearing more
    // (what the server still had to tell), up to two minutes.
    let heard_at_stop = heard.load(Ordering::Relaxed);
    let stopped = Instant::now();
    let mut last = (heard_at_stop, Instant::now());
    while last.1.elapsed() < Duration::from_secs(5) && stopped.elapsed() < Duration::from_secs(120)
    {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = heard.load(Ordering::Relaxed);
        if now != last.0 {
            last = (now, Instant::now());
        }
    }
    let drained = last.1.duration_since(stopped);
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    println!(
        "\n{connections} connections for {minutes:.1} min (server ready in {:.0?}); every kind:\n",
        server.start_to_ready
    );
    println!("| kind | answers | errors | p50 ms | p99 ms |\n|---|---|---|---|---|");
    let (mut total, mut errors) = (0, 0);
    for (kind, mut tally) in tallies {
        tally.latencies.sort_unstable();
        total += tally.latencies.len();
        errors += tally.errors;
        println!(
            "| {kind} | {} | {} | {:.2} | {:.2} |",
            tally.latencies.len(),
            tally.errors,
            crate::ms(percentile(&tally.latencies, 0.5)),
            crate::ms(percentile(&tally.latencies, 0.99)),
        );
    }
    println!(
        "\n{total} answers, {errors} errors; {imports} import batches, each without a failure; \
         {heard_at_stop} events heard by the {} subscriptions when the load stopped, {} once \
         the server had told all it had ({:.1} s later), for {published} publications by \
         editors ({} if each reached each; imported pages add theirs), {} subscriptions \
         ended by the server, {open_sockets} of {} sockets open at the end\n",
        SOCKETS * EACH,
        heard.load(Ordering::Relaxed),
        drained.as_secs_f64(),
        published * (SOCKETS * EACH) as u64,
        ended.load(Ordering::Relaxed),
        sockets.len()
    );
    println!("| at | resident MiB | open files |\n|---|---|---|");
    let middle = samples.len() / 2;
    for (i, s) in samples.iter().enumerate() {
        if i == 0 || i == middle || i + 1 == samples.len() {
            println!(
                "| {:.0} s | {:.0} | {} |",
                s.at.as_secs_f64(),
                s.rss_mib,
                s.open_files
            );
        }
    }
    let peak = samples.iter().map(|s| s.rss_mib).fold(0.0, f64::max);
    println!("\npeak resident memory {peak:.0} MiB");
    if errors > 0 {
        bail!("{errors} errors under the soak");
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn sample(server: &Server, started: Instant) -> anyhow::Result<Sample> {
    Ok(Sample {
        at: started.elapsed(),
        rss_mib: server.rss_mib()?,
        open_files: server.open_files()?,
    })
}

/// One connection going round `schedule` from its own place until `stop`.
async fn connection(
    addr: std::net::SocketAddr,
    c: usize,
    schedule: &[Step],
    token: &str,
    commented: &str,
    stop: Instant,
    tallies: &Mutex<Tallies>,
) -> anyhow::Result<()> {
    let mut mine: Tallies = BTreeMap::new();
    let mut draft = Draft::default();
    let mut sender = load::connect(addr).await?;
    let mut n = c * 7;
    while Instant::now() < stop {
        n += 1;
        let step = &schedule[n % schedule.len()];
        let (kind, target, accept): (&'static str, Target, &[StatusCode]) = match step {
            Step::Read(name, target) => {
                // The list revalidated after a write is a 200, not a 304: both are good.
                let accept: &[StatusCode] = match target.expect {
                    StatusCode::NOT_MODIFIED => &[StatusCode::NOT_MODIFIED, StatusCode::OK],
                    StatusCode::ACCEPTED => &[StatusCode::ACCEPTED],
                    _ => &[StatusCode::OK],
                };
                (name, target.clone(), accept)
            }
            Step::Comment => (
                "comment",
                Target::graphql(
                    addr,
                    "mutation($a: ID!, $name: String!, $body: String!) { postComment(article: $a, authorName: $name, body: $body) { id } }",
                    &json!({ "a": commented, "name": format!("Bạn đọc {c}"), "body": format!("Ý kiến số {n} về mô hình “Dân vận khéo”.") }),
                ),
                &[StatusCode::OK],
            ),
            Step::Edit => match &draft.id {
                None => ("create", create(addr, token, c, n), &[StatusCode::OK]),
                Some(id) => (
                    "update",
                    authorised(
                        Target::graphql(
                            addr,
                            "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
                            &json!({ "id": id, "v": draft.version, "input": {
                                "title": format!("Bản sửa {n}: hội nghị đối thoại với Nhân dân ở xã Gia Hưng"),
                                "body": format!("<p>Nội dung sửa lần {n} của biên tập viên {c}.</p>"),
                            }}),
                        ),
                        token,
                    ),
                    &[StatusCode::OK],
                ),
            },
            Step::Publish => match &draft.id {
                None => ("create", create(addr, token, c, n), &[StatusCode::OK]),
                Some(id) => (
                    "publish",
                    authorised(
                        Target::graphql(
                            addr,
                            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { version } }",
                            &json!({ "id": id, "v": draft.version }),
                        ),
                        token,
                    ),
                    &[StatusCode::OK],
                ),
            },
        };
        let sent = Instant::now();
        let answer = match sender.send_request(target.request()?).await {
            Ok(response) => {
                let status = response.status();
                match response.into_body().collect().await {
                    Ok(body) => Some((status, body.to_bytes())),
                    Err(_) => None,
                }
            }
            Err(_) => None,
        };
        let took = sent.elapsed();
        let tally = mine.entry(kind).or_default();
        let good = match &answer {
            Some((status, body)) if accept.contains(status) => {
                is_data(target.path.as_str(), body, kind, &mut draft)
            }
            _ => false,
        };
        if good {
            tally.latencies.push(took);
        } else {
            tally.errors += 1;
            if tally.errors <= 3 {
                eprintln!(
                    "{kind}: {}",
                    answer
                        .as_ref()
                        .map_or("no answer".to_owned(), |(s, b)| format!(
                            "{s} {}",
                            String::from_utf8_lossy(&b[..b.len().min(300)])
                        ))
                );
            }
            sender = load::connect(addr).await?;
        }
    }
    let mut tallies = tallies.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    for (kind, tally) in mine {
        let all = tallies.entry(kind).or_default();
        all.latencies.extend(tally.latencies);
        all.errors += tally.errors;
    }
    Ok(())
}

fn authorised(mut target: Target, token: &str) -> Target {
    target
        .headers
        .push(("authorization", format!("Bearer {token}")));
    target
}

fn create(addr: std::net::SocketAddr, token: &str, c: usize, n: usize) -> Target {
    authorised(
        Target::graphql(
            addr,
            "mutation($site: String!, $input: ArticleInput!) { createArticle(site: $site, input: $input) { id version } }",
            &json!({ "site": crate::data::SITE, "input": {
                "title": format!("Tin dân vận số {c}-{n}: sơ kết mô hình “Dân vận khéo”"),
                "body": "<p>Sáng nay, Ban Dân vận Huyện ủy tổ chức hội nghị sơ kết.</p>",
            }}),
        ),
        token,
    )
}

/// Whether a 2xx answer is a good one: a GraphQL answer has data and no errors; an
/// editor's write moves its draft on (a publication starts a new draft).
fn is_data(path: &str, body: &Bytes, kind: &str, draft: &mut Draft) -> bool {
    if path != "/graphql" {
        return true;
    }
    let Ok(answer) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    if !answer["errors"].is_null() {
        return false;
    }
    let data = &answer["data"];
    match kind {
        "create" => {
            draft.id = data["createArticle"]["id"].as_str().map(str::to_owned);
            draft.version = data["createArticle"]["version"].as_i64().unwrap_or(1);
        }
        "update" => draft.version = data["updateArticle"]["version"].as_i64().unwrap_or(0),
        "publish" => *draft = Draft::default(),
        _ => {}
    }
    !data.is_null()
}

/// Imports the next batch of generated pages every `interval` until `stop`; the batches
/// done.
async fn import_every(
    interval: Duration,
    binary: std::path::PathBuf,
    url: String,
    pages: std::path::PathBuf,
    stop: Instant,
) -> anyhow::Result<usize> {
    let mut batches: Vec<_> = std::fs::read_dir(&pages)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    batches.sort();
    let mut done = 0;
    for batch in batches {
        if Instant::now() + interval > stop {
            break;
        }
        tokio::time::sleep(interval / 2).await;
        let mut command = std::process::Command::new(&binary);
        command
            .args(["import", "--site", crate::data::SITE])
            .arg(&batch)
            .env("DATABASE_URL", &url)
            .env("DANVAN_LOG", "warn");
        let output = tokio::task::spawn_blocking(move || command.output()).await??;
        if !output.status.success() {
            bail!(
                "danvan import of {} failed: {}",
                batch.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        done += 1;
        tokio::time::sleep(interval / 2).await;
    }
    Ok(done)
}

/// Opens `sockets` WebSockets with `each` subscriptions to the site's publications, kept
/// open (answering pings) and counting what they hear in `heard`.
async fn listen(
    server: &Server,
    sockets: usize,
    each: usize,
    heard: Arc<AtomicU64>,
    ended: Arc<AtomicU64>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut tasks = Vec::new();
    for _ in 0..sockets {
        let mut socket = crate::subscriptions::subscribed(server, each, "id").await?;
        let (heard, ended) = (heard.clone(), ended.clone());
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                let Message::Text(text) = frame else { continue };
                let Ok(message) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                match message["type"].as_str() {
                    Some("ping") => {
                        if socket
                            .send(crate::subscriptions::say(json!({"type": "pong"})))
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                    Some("next") if message["payload"]["errors"].is_null() => {
                        heard.fetch_add(1, Ordering::Relaxed);
                    }
                    Some("next" | "error" | "complete") => {
                        if ended.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!("subscription ended: {message}");
                        }
                    }
                    _ => eprintln!("subscription: {message}"),
                }
            }
        }));
    }
    Ok(tasks)
}
