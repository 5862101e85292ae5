//! `danvan_crawl::crawl` against a small fake portal of our own, served by the test: a
//! robots.txt that disallows a path and names a sitemap index, sitemaps, an RSS feed, a
//! category listing with a further page, pages in Windows-1258 (one declared in its
//! `<meta>` under a wrong header, one not declared at all), a redirect loop, a redirect
//! off the portal, a page slower than the timeout, a page that answers 503 once, and an
//! image where a page was expected. Each test checks exactly what was imported.
#![expect(clippy::unwrap_used, reason = "tests")]

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{Duration as Days, Utc};
use danvan_crawl::{Options, Politeness, Summary};
use danvan_domain::site::SiteData;
use danvan_domain::{Name, Slug};
use danvan_store::article::{ArticleFilter, ArticleOrder};
use danvan_testing::TestDatabase;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;

/// One request the portal was sent.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    conditional: bool,
    user_agent: String,
}

/// The fake portal.
#[derive(Default)]
struct Portal {
    /// Path (and query) → content type and body.
    pages: Mutex<HashMap<String, (String, Vec<u8>)>>,
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    flaky_answered: AtomicUsize,
}

const A1: &str = "/tin-tuc/hoi-nghi-giao-ban-cong-tac-dan-van-quy-i-nam-2025.html";
const A2: &str = "/tin-tuc/ky-ket-quy-che-phoi-hop-ban-dan-van-mat-tran.html";
const A3: &str = "/tin-tuc/tuyen-duong-mo-hinh-dan-van-kheo-linh-vuc-kinh-te.html";
const ROBOTS_ONLY: &str = "/noi-bo/bao-cao-tong-hop-so-lieu-quy-mot-2025.html";
const W1258_META: &str = "/tin-tuc/xa-dong-tam-bieu-duong-dien-hinh-dan-van-kheo.html";
const W1258_BARE: &str = "/tin-tuc/tap-huan-nghiep-vu-cong-tac-dan-van-co-so.html";
const SLOW: &str = "/tin-tuc/doi-thoai-voi-nhan-dan-ve-giai-phong-mat-bang.html";
const FLAKY: &str = "/tin-tuc/tiep-xuc-cu-tri-truoc-ky-hop-thu-chin.html";
const LOOP: &str = "/tin-tuc/bai-viet-chuyen-huong-vong-lap-qua-lai.html";
const OFF: &str = "/tin-tuc/bai-viet-chuyen-sang-cong-thong-tin-khac.html";
const IMAGE: &str = "/tin-tuc/anh-hoat-dong-ra-quan-dan-van-kheo-2025";
const FEED_ONLY: &str = "/tin-tuc/khao-sat-thuc-hien-quy-che-dan-chu-o-co-so.html";

fn article(title: &str, day: &str, paragraphs: &[&str], charset: Option<&str>) -> String {
    let meta = charset.map_or_else(String::new, |c| {
        format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset={c}\">")
    });
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head>{meta}<title>{title} - Ban Dân vận Huyện ủy Yên Lạc</title></head>\n\
         <body><header><nav><a href=\"/\">Trang chủ</a> <a href=\"/tin-tuc\">Tin tức</a></nav></header>\n\
         <main><article><h1>{title}</h1>\n<div class=\"meta\"><time>{day}</time></div>\n{body}</article></main>\n\
         <footer>Ban Dân vận Huyện ủy Yên Lạc</footer></body></html>"
    )
}

/// Text in Windows-1258 as old portals write it: letters with their vowel marks
/// precomposed where the code page has them, tones as separate combining marks.
fn windows_1258(text: &str) -> Vec<u8> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    let mut tones = String::new();
    let mut letter = String::new();
    let flush = |letter: &mut String, tones: &mut String, out: &mut String| {
        out.extend(letter.nfc());
        out.push_str(tones);
        letter.clear();
        tones.clear();
    };
    for c in text.nfd() {
        if TONES.contains(&c) {
            tones.push(c);
        } else if unicode_normalization::char::is_combining_mark(c) {
            letter.push(c);
        } else {
            flush(&mut letter, &mut tones, &mut out);
            letter.push(c);
        }
    }
    flush(&mut letter, &mut tones, &mut out);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&out);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

impl Portal {
    fn put(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        self.pages
            .lock()
            .unwrap()
            .insert(path.to_owned(), (content_type.to_owned(), body.into()));
    }

    fn requests(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    fn forget_requests(&self) {
        self.seen.lock().unwrap().clear();
    }

    fn sitemap(&self, base: &str, a1_changed: Option<chrono::DateTime<Utc>>, with_a3: bool) {
        let a1 = a1_changed.map_or_else(
            || "2025-03-20T09:15:00+07:00".to_owned(),
            |t| t.to_rfc3339(),
        );
        let mut urls = format!(
            "<url><loc>{base}{A1}</loc><lastmod>{a1}</lastmod></url>\
             <url><loc>{base}{A2}</loc><lastmod>2025-04-02</lastmod></url>\
             <url><loc>{base}{ROBOTS_ONLY}</loc></url>\
             <url><loc>{base}/tin-tuc</loc></url>"
        );
        if with_a3 {
            urls.push_str(&format!("<url><loc>{base}{A3}</loc></url>"));
        }
        self.put(
            "/sitemap-tin-tuc.xml",
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                 <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>"
            ),
        );
    }

    /// The portal at `base` ("http://127.0.0.1:PORT").
    fn build(&self, base: &str) {
        self.put(
            "/robots.txt",
            "text/plain",
            format!("User-agent: *\nDisallow: /noi-bo/\n\nSitemap: {base}/sitemap.xml\n"),
        );
        self.put(
            "/sitemap.xml",
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                 <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <sitemap><loc>{base}/sitemap-tin-tuc.xml</loc></sitemap>\
                 <sitemap><loc>http://other.invalid/sitemap.xml</loc></sitemap>\
                 </sitemapindex>"
            ),
        );
        self.sitemap(base, None, false);
        self.put(
            "/rss/tin-tuc.rss",
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
                 <title>Tin tức</title><link>{base}/tin-tuc</link><description>Tin tức</description>\
                 <item><title>Khảo sát</title><link>{base}{FEED_ONLY}</link>\
                 <pubDate>Tue, 15 Apr 2025 08:00:00 +0700</pubDate></item>\
                 </channel></rss>"
            ),
        );
        let html = "text/html; charset=utf-8";
        self.put(
            "/tin-tuc",
            html,
            format!(
                "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss/tin-tuc.rss\"></head><body>\
                 <nav><a href=\"/\">Trang chủ</a> <a href=\"/gioi-thieu\">Giới thiệu</a> \
                 <a href=\"/lien-he\">Liên hệ</a> <a href=\"/tin-tuc/dan-van-kheo\">Dân vận khéo</a></nav>\
                 <ul><li><a href=\"{W1258_META}\">Xã Đồng Tâm biểu dương điển hình Dân vận khéo</a></li>\
                 <li><a href=\"/tin-tuc/tap-huan-nghiep-vu-cong-tac-dan-van-co-so.html\">Tập huấn nghiệp vụ</a></li>\
                 <li><a href=\"{SLOW}\">Đối thoại với Nhân dân</a></li>\
                 <li><a href=\"http://example.org/tin-tuc/hoi-nghi-tong-ket-cong-tac-mat-tran-2025.html\">Hội nghị tổng kết công tác Mặt trận năm 2025 ở tỉnh bạn</a></li>\
                 <li><a href=\"/uploads/bao-cao-so-lieu-dan-van-nam-2024.pdf\">Báo cáo số liệu công tác dân vận năm 2024 (tệp PDF)</a></li></ul>\
                 <div class=\"pager\"><a href=\"/tin-tuc?page=2\">2</a> <a href=\"/tin-tuc?page=2\">Trang sau</a></div>\
                 </body></html>"
            ),
        );
        self.put(
            "/tin-tuc?page=2",
            html,
            format!(
                "<html><body><ul><li><a href=\"{FLAKY}\">Tiếp xúc cử tri</a></li>\
                 <li><a href=\"{LOOP}\">Bài viết chuyển hướng</a></li>\
                 <li><a href=\"{OFF}\">Bài viết đã chuyển</a></li>\
                 <li><a href=\"{IMAGE}\">Ảnh hoạt động ra quân Dân vận khéo năm 2025</a></li></ul>\
                 <div class=\"pager\"><a href=\"/tin-tuc\">‹</a> <a href=\"/tin-tuc\">1</a></div></body></html>"
            ),
        );
        self.put(
            A1,
            html,
            article(
                "Hội nghị giao ban công tác dân vận quý I năm 2025",
                "20/03/2025",
                &["Sáng 20/3, Ban Dân vận Huyện ủy Yên Lạc tổ chức hội nghị giao ban công tác dân vận quý I năm 2025."],
                None,
            ),
        );
        self.put(
            A2,
            html,
            article(
                "Ký kết quy chế phối hợp giữa Ban Dân vận và Ủy ban MTTQ huyện",
                "02/04/2025",
                &["Ban Dân vận Huyện ủy và Ủy ban MTTQ huyện Yên Lạc ký kết quy chế phối hợp giai đoạn 2025 - 2030."],
                None,
            ),
        );
        self.put(
            A3,
            html,
            article(
                "Tuyên dương mô hình “Dân vận khéo” trong lĩnh vực kinh tế",
                "10/05/2025",
                &["Huyện Yên Lạc tuyên dương 12 mô hình “Dân vận khéo” trong lĩnh vực kinh tế."],
                None,
            ),
        );
        self.put(
            ROBOTS_ONLY,
            html,
            article("Báo cáo nội bộ", "01/04/2025", &["Không công khai."], None),
        );
        // Declared in its <meta>, under a header that names another charset.
        self.put(
            W1258_META,
            "text/html; charset=utf-8",
            windows_1258(&article(
                "Xã Đồng Tâm biểu dương điển hình “Dân vận khéo” năm 2025",
                "05/04/2025",
                &["Ủy ban nhân dân xã Đồng Tâm biểu dương 8 điển hình “Dân vận khéo” tiêu biểu."],
                Some("windows-1258"),
            )),
        );
        // Not declared anywhere: detected.
        self.put(
            W1258_BARE,
            "text/html",
            windows_1258(&article(
                "Tập huấn nghiệp vụ công tác dân vận cho cán bộ cơ sở",
                "08/04/2025",
                &["Ban Dân vận Huyện ủy phối hợp với Trung tâm Chính trị huyện mở lớp tập huấn nghiệp vụ công tác dân vận cho 120 cán bộ cơ sở; các học viên được nghe quán triệt những điểm mới của Quy chế dân vận và cách xây dựng mô hình “Dân vận khéo” ở thôn, tổ dân phố."],
                None,
            )),
        );
        self.put(
            FLAKY,
            html,
            article(
                "Tiếp xúc cử tri trước kỳ họp thứ chín Hội đồng nhân dân huyện",
                "12/04/2025",
                &["Đại biểu Hội đồng nhân dân huyện tiếp xúc cử tri xã Yên Bình."],
                None,
            ),
        );
        self.put(
            FEED_ONLY,
            html,
            article(
                "Khảo sát việc thực hiện Quy chế dân chủ ở cơ sở tại xã Yên Bình",
                "15/04/2025",
                &["Đoàn khảo sát của Ban Dân vận Huyện ủy làm việc tại xã Yên Bình."],
                None,
            ),
        );
        self.put(IMAGE, "image/jpeg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);
    }
}

async fn serve(State(portal): State<Arc<Portal>>, request: Request) -> Response {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let headers = request.headers().clone();
    let value = |h: &HeaderMap, name| {
        h.get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    portal.seen.lock().unwrap().push(Seen {
        path: path.clone(),
        conditional: headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE),
        user_agent: value(&headers, header::USER_AGENT),
    });
    let respond = |status: StatusCode, pairs: &[(header::HeaderName, String)], body: Vec<u8>| {
        let mut response = Response::builder().status(status);
        for (name, v) in pairs {
            response = response.header(name, v);
        }
        response.body(Body::from(body)).unwrap()
    };
    if path == SLOW {
        tokio::time::sleep(Duration::from_secs(3)).await;
        return respond(StatusCode::OK, &[], b"<html>late</html>".to_vec());
    }
    let now = portal.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    portal.most_in_flight.fetch_max(now, Ordering::SeqCst);
    // Long enough for a second request to overlap if the crawler sent one.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let response = match path.as_str() {
        LOOP => respond(
            StatusCode::FOUND,
            &[(header::LOCATION, "/tin-tuc/vong-lap-b".to_owned())],
            vec![],
        ),
        "/tin-tuc/vong-lap-b" => respond(
            StatusCode::MOVED_PERMANENTLY,
            &[(header::LOCATION, LOOP.to_owned())],
            vec![],
        ),
        OFF => respond(
            StatusCode::MOVED_PERMANENTLY,
            &[(
                header::LOCATION,
                "http://other.invalid/tin-tuc/bai.html".to_owned(),
            )],
            vec![],
        ),
        FLAKY if portal.flaky_answered.fetch_add(1, Ordering::SeqCst) == 0 => respond(
            StatusCode::SERVICE_UNAVAILABLE,
            &[(header::RETRY_AFTER, "1".to_owned())],
            b"busy".to_vec(),
        ),
        _ => {
            let page = portal.pages.lock().unwrap().get(&path).cloned();
            match page {
                None => respond(StatusCode::NOT_FOUND, &[], b"not found".to_vec()),
                Some((content_type, body)) => {
                    let etag = format!("\"{:x}\"", fingerprint(&body));
                    if value(&headers, header::IF_NONE_MATCH) == etag {
                        respond(StatusCode::NOT_MODIFIED, &[(header::ETAG, etag)], vec![])
                    } else {
                        respond(
                            StatusCode::OK,
                            &[(header::CONTENT_TYPE, content_type), (header::ETAG, etag)],
                            body,
                        )
                    }
                }
            }
        }
    };
    portal.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Starts the portal; gives it and its address.
async fn start_portal() -> (Arc<Portal>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let portal = Arc::new(Portal::default());
    portal.build(&base);
    let app = axum::Router::new()
        .fallback(serve)
        .with_state(portal.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (portal, base)
}

async fn site(database: &TestDatabase) -> danvan_store::site::Site {
    danvan_store::site::create(
        &database.db,
        &SiteData::new(
            Slug::parse("yen-lac").unwrap(),
            Name::parse("Ban Dân vận Huyện ủy Yên Lạc").unwrap(),
        ),
    )
    .await
    .unwrap()
}

fn options(base: &str) -> Options {
    let mut politeness = Politeness::new(Some("mailto:quantri@yenlac.example.vn"));
    politeness.delay = Duration::from_millis(10);
    politeness.timeout = Duration::from_secs(1);
    politeness.retries = 1;
    politeness.backoff = Duration::from_millis(50);
    Options {
        starts: vec![format!("{base}/tin-tuc").parse().unwrap()],
        prefix: None,
        since: None,
        max_pages: None,
        politeness,
        importer: None,
    }
}

async fn crawl(
    database: &TestDatabase,
    site: &danvan_store::site::Site,
    options: &Options,
) -> Summary {
    danvan_crawl::crawl(&database.db, site, options, std::future::pending(), |_| {})
        .await
        .unwrap()
}

/// The titles of the site's articles, sorted.
async fn titles(database: &TestDatabase) -> Vec<String> {
    let page = danvan_store::article::list(
        &database.db,
        &ArticleFilter::default(),
        ArticleOrder::NewestCreated,
        &danvan_store::PageRequest::first(100),
    )
    .await
    .unwrap();
    let mut titles: Vec<String> = page
        .items
        .into_iter()
        .map(|a| a.data.title.to_string())
        .collect();
    titles.sort();
    titles
}

fn first_run_titles() -> Vec<String> {
    let mut titles: Vec<String> = [
        "Hội nghị giao ban công tác dân vận quý I năm 2025",
        "Ký kết quy chế phối hợp giữa Ban Dân vận và Ủy ban MTTQ huyện",
        "Khảo sát việc thực hiện Quy chế dân chủ ở cơ sở tại xã Yên Bình",
        "Tiếp xúc cử tri trước kỳ họp thứ chín Hội đồng nhân dân huyện",
        "Tập huấn nghiệp vụ công tác dân vận cho cán bộ cơ sở",
        "Xã Đồng Tâm biểu dương điển hình “Dân vận khéo” năm 2025",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    titles.sort();
    titles
}

/// A crawl imports exactly the portal's articles, politely, and a second one asks only for
/// what changed.
async fn a_portal_is_crawled_politely_and_then_only_for_what_changed(
    database: TestDatabase,
) -> TestDatabase {
    let (portal, base) = start_portal().await;
    let site = site(&database).await;
    let options = options(&base);
    let first = crawl(&database, &site, &options).await;

    assert_eq!(titles(&database).await, first_run_titles());
    for title in titles(&database).await {
        assert!(danvan_text::is_nfc(&title), "{title}");
    }
    assert_eq!((first.created, first.updated), (6, 0), "{first:?}");
    assert_eq!(first.skipped_by_robots, 1, "{first:?}");
    assert!(
        portal.requests(ROBOTS_ONLY).is_empty(),
        "robots.txt is obeyed"
    );
    let failed: HashMap<String, String> = first.failed.iter().cloned().collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed[&format!("{base}{SLOW}")].contains("no answer in 1 s"));
    assert!(failed[&format!("{base}{LOOP}")].contains("redirect loop"));
    assert!(failed[&format!("{base}{OFF}")].contains("off the portal"));
    assert!(
        !failed.contains_key(&format!("{base}{FLAKY}")),
        "a 503 is tried again"
    );
    assert_eq!(portal.requests(FLAKY).len(), 2);
    // Only the crawl's host and only what looks like an article or a next page.
    for (path, why) in [
        ("/gioi-thieu", "a section"),
        ("/lien-he", "a section"),
        ("/tin-tuc/dan-van-kheo", "a category"),
        ("/uploads/bao-cao-so-lieu-dan-van-nam-2024.pdf", "a file"),
    ] {
        assert!(portal.requests(path).is_empty(), "{path} is {why}");
    }
    let frontier = danvan_store::crawl::list(&database.db, site.id)
        .await
        .unwrap();
    assert!(
        frontier.iter().all(|u| u.url.starts_with(&base)),
        "{frontier:?}"
    );
    assert!(frontier.iter().all(|u| !u.due));
    let image = frontier.iter().find(|u| u.url.ends_with(IMAGE)).unwrap();
    assert_eq!(image.state, "skipped");
    assert!(image.reason.as_deref().unwrap().contains("image/jpeg"));
    let seen = portal.seen.lock().unwrap().clone();
    assert!(
        seen.iter().all(|s| s.user_agent.starts_with("danvan/")
            && s.user_agent.contains("mailto:quantri@yenlac.example.vn")),
        "{seen:?}"
    );
    assert!(portal.most_in_flight.load(Ordering::SeqCst) <= 2);

    // The portal adds an article and changes one; the rest stays.
    portal.forget_requests();
    portal.sitemap(&base, Some(Utc::now() + Days::hours(1)), true);
    portal.put(
        A1,
        "text/html; charset=utf-8",
        article(
            "Hội nghị giao ban công tác dân vận quý I năm 2025",
            "20/03/2025",
            &["Sáng 20/3, Ban Dân vận Huyện ủy Yên Lạc tổ chức hội nghị giao ban công tác dân vận quý I năm 2025.", "Hội nghị thống nhất 5 nhiệm vụ trọng tâm quý II."],
            None,
        ),
    );
    let second = crawl(&database, &site, &options).await;
    assert_eq!((second.created, second.updated), (1, 1), "{second:?}");
    let mut expected = first_run_titles();
    expected.push("Tuyên dương mô hình “Dân vận khéo” trong lĩnh vực kinh tế".to_owned());
    expected.sort();
    assert_eq!(titles(&database).await, expected);
    for path in [A2, W1258_META, W1258_BARE, FLAKY, FEED_ONLY] {
        assert!(portal.requests(path).is_empty(), "{path} was fetched again");
    }
    for path in [
        "/tin-tuc",
        "/tin-tuc?page=2",
        "/sitemap.xml",
        "/rss/tin-tuc.rss",
    ] {
        let asked = portal.requests(path);
        assert!(
            !asked.is_empty() && asked.iter().all(|s| s.conditional),
            "{path}: {asked:?}"
        );
    }
    assert!(second.unchanged >= 4, "{second:?}");
    database
}

/// Stopped, or limited to a few pages, a crawl goes on where it was: every article is
/// imported once and fetched once.
async fn a_stopped_crawl_goes_on_where_it_was(database: TestDatabase) -> TestDatabase {
    let (portal, base) = start_portal().await;
    let site = site(&database).await;
    let mut limited = options(&base);
    limited.max_pages = Some(2);
    let first = crawl(&database, &site, &limited).await;
    assert!(first.left, "{first:?}");
    assert_eq!(titles(&database).await.len(), 2);

    // Stopped from outside after one more address.
    let stop = Arc::new(tokio::sync::Notify::new());
    let stopped = danvan_crawl::crawl(
        &database.db,
        &site,
        &options(&base),
        {
            let stop = stop.clone();
            async move { stop.notified().await }
        },
        |_| stop.notify_one(),
    )
    .await
    .unwrap();
    assert!(stopped.left, "{stopped:?}");

    let rest = crawl(&database, &site, &options(&base)).await;
    assert!(!rest.left, "{rest:?}");
    assert_eq!(titles(&database).await, first_run_titles());
    for path in [A1, A2, W1258_META, W1258_BARE, FEED_ONLY] {
        let answered = portal.requests(path).len();
        assert_eq!(answered, 1, "{path} was fetched {answered} times");
    }
    database
}

/// `--since` leaves out what the site dates earlier, in its sitemap or on the page.
async fn since_leaves_out_older_articles(database: TestDatabase) -> TestDatabase {
    let (_portal, base) = start_portal().await;
    let site = site(&database).await;
    let mut options = options(&base);
    options.since = Some(chrono::NaiveDate::from_ymd_opt(2025, 4, 6).unwrap());
    let summary = crawl(&database, &site, &options).await;
    assert_eq!(
        titles(&database).await,
        vec![
            "Khảo sát việc thực hiện Quy chế dân chủ ở cơ sở tại xã Yên Bình".to_owned(),
            "Tiếp xúc cử tri trước kỳ họp thứ chín Hội đồng nhân dân huyện".to_owned(),
            "Tập huấn nghiệp vụ công tác dân vận cho cán bộ cơ sở".to_owned(),
        ]
    );
    assert!(summary.skipped >= 3, "{summary:?}");
    database
}

danvan_testing::on_both_backends!(
    a_portal_is_crawled_politely_and_then_only_for_what_changed,
    a_stopped_crawl_goes_on_where_it_was,
    since_leaves_out_older_articles,
);
