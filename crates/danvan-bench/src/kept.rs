//! Kept GraphQL answers after a publication: the home page over a persisted-query GET is
//! kept; an admin publishes an article; the first request after it must be built again and
//! show the article first (`X-Cache: MISS`), the next must be the kept answer again
//! (`HIT`, the same bytes). The time of each, one request at a time.

use crate::load::{self, Target};
use crate::server::Server;
use crate::webhooks::{create_admin, publish, sign_in};
use anyhow::{Context, bail};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// One request: its time, whether it was kept, and the first article's title.
async fn ask(target: &Target) -> anyhow::Result<(Duration, String, String, bytes::Bytes)> {
    let began = Instant::now();
    let (body, cache) = load::once_with_header(target, "x-cache").await?;
    let took = began.elapsed();
    let answer: Value = serde_json::from_slice(&body)?;
    let first = answer["data"]["articles"]["nodes"][0]["title"]
        .as_str()
        .with_context(|| format!("no article: {answer}"))?
        .to_owned();
    Ok((took, cache.unwrap_or_default(), first, body))
}

/// Measures `publishes` publications, each followed by two reads of the home page.
pub async fn measure(url: &str, binary: &Path, publishes: usize) -> anyhow::Result<()> {
    let creation = create_admin(url, binary)?;
    let server = Server::start(binary, url).await?;
    let token = sign_in(&server, &creation).await?;
    let home = crate::queries::home_persisted(server.addr).await?.target;
    ask(&home).await?;
    let (mut first, mut next) = (Vec::new(), Vec::new());
    for i in 0..publishes {
        let title = format!("Tin mới về công tác dân vận số {i}");
        publish(&server, &token, &title).await?;
        let (took, cache, shown, body) = ask(&home).await?;
        if cache != "MISS" || shown != title {
            bail!("after publishing {title:?} the home page was {cache} showing {shown:?}");
        }
        first.push(took);
        let (took, cache, _, again) = ask(&home).await?;
        if cache != "HIT" || again != body {
            bail!("the request after was {cache}, not the kept answer");
        }
        next.push(took);
    }
    for (name, times) in [
        ("first after a publish", &mut first),
        ("the next", &mut next),
    ] {
        times.sort();
        let at = |p: f64| {
            let rank = ((times.len() - 1) as f64 * p).round() as usize;
            times[rank].as_secs_f64() * 1000.0
        };
        println!(
            "{name}: p50 {:.2} ms, p99 {:.2} ms, highest {:.2} ms ({} requests)",
            at(0.5),
            at(0.99),
            at(1.0),
            times.len()
        );
    }
    println!(
        "every first request after a publication was built again and showed it; every next one was the kept answer"
    );
    Ok(())
}
