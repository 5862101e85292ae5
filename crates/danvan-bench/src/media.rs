//! The media library through HTTP: uploads of 12-megapixel photos (and of documents) one
//! after the other, the first and the cached request of a photo's rendition in each format,
//! and cached renditions at 16 connections against the same server's `/healthz`.

use crate::load::{self, Target};
use crate::server::Server;
use crate::webhooks::{create_admin, graphql, sign_in};
use anyhow::Context;
use bytes::Bytes;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// A photo from a hall's back row, 4,000 × 3,000: gradients, a banner, rows of heads and
/// sensor noise, so that it compresses as a real one does (a few megabytes of JPEG).
fn photo(seed: u32) -> Vec<u8> {
    let (width, height) = (4000u32, 3000u32);
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(1_103_515_245) ^ y.wrapping_mul(12_345) ^ seed)
            .wrapping_mul(2_654_435_761)
            >> 27;
        let banner = (900..1300).contains(&y) && (600..3400).contains(&x);
        let heads = y > 1800 && ((x / 90) + (y / 110)) % 2 == 0;
        let (r, g, b): (u8, u8, u8) = if banner {
            (190, 30 + (x / 40 % 20) as u8, 30)
        } else if heads {
            (40 + (x % 90) as u8 / 3, 32, 30)
        } else {
            ((60 + y / 40) as u8, (70 + x / 60) as u8, 120)
        };
        let n = noise as u8;
        image::Rgb([
            r.saturating_add(n),
            g.saturating_add(n),
            b.saturating_add(n),
        ])
    });
    let mut jpeg = Vec::new();
    let _ =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92).encode_image(&picture);
    jpeg
}

const BOUNDARY: &str = "danvan-bench-boundary";

fn upload(addr: std::net::SocketAddr, token: &str, bytes: &[u8], name: &str) -> Target {
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"site\"\r\n\r\n{}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            crate::data::SITE
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut target = Target::get(addr, "/api/v1/media");
    target.method = hyper::Method::POST;
    target.body = Bytes::from(body);
    target.headers = vec![
        (
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ),
        ("authorization", format!("Bearer {token}")),
    ];
    target.expect = hyper::StatusCode::CREATED;
    target
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the media benchmark on the data set at `url` with `binary`, its files in `folder`.
pub async fn measure(url: &str, binary: &Path, folder: &Path, photos: u32) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(folder);
    let creation = create_admin(url, binary)?;
    let settings = [(
        "DANVAN_MEDIA__FOLDER".to_owned(),
        folder.display().to_string(),
    )];
    let server = Server::start_with(binary, url, &settings).await?;
    let token = sign_in(&server, &creation).await?;

    // Uploads, one at a time: each photo decoded, turned, encoded again and stored.
    // Photos of their own each run: the data set is reused, and the same bytes would be
    // the items a run before kept.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let made: Vec<Vec<u8>> = (0..photos).map(|i| photo(run ^ i)).collect();
    let bytes: usize = made.iter().map(Vec::len).sum();
    let mut ids = Vec::new();
    let began = Instant::now();
    let mut each = Vec::new();
    for (i, jpeg) in made.iter().enumerate() {
        let started = Instant::now();
        let answer = load::once(&upload(
            server.addr,
            &token,
            jpeg,
            &format!("hoi-nghi-{i}.jpg"),
        ))
        .await?;
        each.push(started.elapsed());
        let item: Value = serde_json::from_slice(&answer)?;
        ids.push(item["id"].as_str().context("no id")?.to_owned());
    }
    let took = began.elapsed();
    each.sort();
    println!(
        "upload, 12-MP photos ({photos}, {:.1} MB each on average): {:.2} photos/s, {:.1} MB/s; p50 {:.0} ms, highest {:.0} ms",
        bytes as f64 / f64::from(photos) / 1e6,
        f64::from(photos) / took.as_secs_f64(),
        bytes as f64 / 1e6 / took.as_secs_f64(),
        ms(each[each.len() / 2]),
        ms(each[each.len() - 1]),
    );
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(20 * 1024 * 1024, b'%');
    let mut each = Vec::new();
    pdf[12..16].copy_from_slice(&run.to_le_bytes());
    for i in 0..5u8 {
        pdf[10] = i;
        let started = Instant::now();
        load::once(&upload(
            server.addr,
            &token,
            &pdf,
            &format!("bao-cao-{i}.pdf"),
        ))
        .await?;
        each.push(started.elapsed());
    }
    let total: Duration = each.iter().sum();
    println!(
        "upload, 20 MB PDF documents (5): {:.1} MB/s; each {:.0}–{:.0} ms",
        5.0 * 20.0 * 1.048_576 / total.as_secs_f64(),
        ms(*each.iter().min().context("none")?),
        ms(*each.iter().max().context("none")?),
    );

    // Public once a published article shows them: each photo the cover of one.
    for (i, id) in ids.iter().enumerate() {
        let made = graphql(
            &server,
            &token,
            "mutation($site: String!, $input: ArticleInput!) { createArticle(site: $site, input: $input) { id version } }",
            serde_json::json!({ "site": crate::data::SITE, "input": {
                "title": format!("Hội nghị sơ kết công tác dân vận, ảnh {i}"),
                "body": "<p>Quang cảnh hội nghị.</p>",
                "cover": id,
            }}),
        )
        .await?;
        graphql(
            &server,
            &token,
            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
            serde_json::json!({ "id": made["createArticle"]["id"], "v": made["createArticle"]["version"] }),
        )
        .await?;
    }

    // The first request of a rendition makes it; the next ones read it.
    for (i, (width, extension)) in [(1280, "jpg"), (1280, "webp"), (1280, "avif"), (640, "webp")]
        .into_iter()
        .enumerate()
    {
        let id = &ids[i % ids.len()];
        let target = Target::get(server.addr, &format!("/media/{id}/{width}.{extension}"));
        let started = Instant::now();
        let first = load::once(&target).await?;
        let first_took = started.elapsed();
        let mut cached = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            load::once(&target).await?;
            cached.push(started.elapsed());
        }
        cached.sort();
        println!(
            "rendition {width}.{extension} of a 12-MP photo: first {:.0} ms ({} KB), cached p50 {:.2} ms",
            ms(first_took),
            first.len() / 1024,
            ms(cached[cached.len() / 2]),
        );
    }

    // Cached renditions at 16 connections, against /healthz in the same run.
    let rendition = Target::get(
        server.addr,
        &format!("/media/{}/640.webp", ids[3 % ids.len()]),
    );
    let health = Target::get(server.addr, "/healthz");
    let (warm, span) = (Duration::from_secs(1), Duration::from_secs(5));
    let mut ratios = Vec::new();
    for round in 0..3 {
        let h = load::run(&health, 16, warm, span).await?;
        let r = load::run(&rendition, 16, warm, span).await?;
        let ratio = r.rate() / h.rate();
        ratios.push(ratio);
        println!(
            "round {round}: /healthz {:.0} req/s (p50 {:.2} ms), cached 640.webp {:.0} req/s (p50 {:.2} ms, p99 {:.2} ms, errors {}): {:.0}% of /healthz",
            h.rate(),
            ms(h.percentile(0.5)),
            r.rate(),
            ms(r.percentile(0.5)),
            ms(r.percentile(0.99)),
            r.errors,
            ratio * 100.0
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "cached rendition at 16 connections, median of 3: {:.0}% of /healthz",
        ratios[1] * 100.0
    );
    drop(server);
    let _ = std::fs::remove_dir_all(folder);
    Ok(())
}
