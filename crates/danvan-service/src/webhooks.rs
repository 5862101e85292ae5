//! Webhooks, once for every door: who may register an endpoint (admins, and a site's
//! editors for their site), which addresses an endpoint may have (no loopback, private,
//! link-local or metadata address unless the configuration allows them: SSRF), which event
//! a change is and who hears of it (the fan-out), and the retry policy.
//!
//! Deliveries are Standard Webhooks messages: `{"type", "timestamp", "data"}` with the
//! record in the JSON API's shape, signed by `danvan_auth::webhook`.

use crate::{Caller, ServiceError};
use chrono::{DateTime, Duration, Utc};
use danvan_auth::Action;
use danvan_domain::{OrganisationId, SiteId};
use danvan_store::DatabaseConnection;
use danvan_store::article::Article;
use danvan_store::change::{Action as Did, Change, Concept};
use danvan_store::comment::Comment;
use danvan_store::webhook::{Delivery, Endpoint, NewDelivery, NewEndpoint, Next};
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};

/// The events an endpoint may ask for.
pub const EVENTS: [&str; 14] = [
    "article.published",
    "article.updated",
    "article.unpublished",
    "article.deleted",
    "comment.approved",
    "meeting.created",
    "meeting.updated",
    "meeting.deleted",
    "dvk_model.created",
    "dvk_model.updated",
    "dvk_model.deleted",
    "report_figure.created",
    "report_figure.updated",
    "report_figure.deleted",
];

/// Which addresses deliveries may go to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    /// Whether loopback, private and link-local addresses are allowed (a test, or a
    /// partner on the same private network).
    pub allow_private: bool,
}

/// Whether an address is one a webhook must not reach unless allowed: loopback, private,
/// link-local (the cloud metadata address among them), shared, unspecified, multicast or
/// documentation addresses, in IPv4 or IPv6 (an IPv4-mapped IPv6 address as its IPv4).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT; 0.0.0.0/8; 192.0.0.0/24.
                || (a == 100 && (64..128).contains(&b))
                || a == 0
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Checks an endpoint's address and resolves it: `http` or `https`, a host, and every
/// address it resolves to allowed by `targets`. Gives back the addresses, so that a
/// delivery connects to one that was checked (a name that resolves elsewhere later does
/// not reach a private address).
pub async fn resolve(url: &str, targets: Targets) -> Result<Vec<SocketAddr>, ServiceError> {
    let bad = |why: &str| ServiceError::BadUserInput(format!("url: {why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("an absolute http:// or https:// address"))?;
    let default_port = match scheme {
        "https" => 443,
        "http" => 80,
        _ => return Err(bad("an absolute http:// or https:// address")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || authority.is_empty() {
        return Err(bad("a host, without user or password"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or_else(|| bad("a closing ]"))?;
            let port = after.strip_prefix(':').map(str::parse).transpose();
            (host, port.map_err(|_| bad("a port number"))?)
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port.parse().map_err(|_| bad("a port number"))?)),
            None => (authority, None),
        },
    };
    let port: u16 = port.unwrap_or(default_port);
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| bad(&format!("{host:?} does not resolve")))?
        .collect();
    if found.is_empty() {
        return Err(bad(&format!("{host:?} does not resolve")));
    }
    if !targets.allow_private && found.iter().any(|a| is_private(a.ip())) {
        return Err(bad(&format!(
            "{host:?} is a loopback, private or link-local address, which webhooks may not reach"
        )));
    }
    Ok(found)
}

/// What an endpoint is registered with.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    /// Where deliveries go.
    pub url: String,
    /// The events it wants, from [`EVENTS`].
    pub events: Vec<String>,
    /// Only this site's events (a site's slug); editors must name their site.
    pub site: Option<String>,
    /// Only events concerning this organisation …
    pub organisation: Option<OrganisationId>,
    /// … or those below it.
    pub include_subtree: bool,
}

/// Registers an endpoint; gives back its secret, which is shown this once.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    input: WebhookInput,
    targets: Targets,
) -> Result<(Endpoint, String), ServiceError> {
    let site_id = match &input.site {
        Some(slug) => Some(crate::reading::site_id(db, slug).await?),
        None => None,
    };
    let principal = caller.authorize(Action::ManageWebhooks(site_id))?;
    if input.events.is_empty() {
        return Err(ServiceError::BadUserInput(
            "events: name at least one".into(),
        ));
    }
    if let Some(unknown) = input.events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(ServiceError::BadUserInput(format!(
            "events: {unknown:?} is none of {}",
            EVENTS.join(", ")
        )));
    }
    let url = input.url.trim();
    if url.chars().count() > 2048 || url.chars().any(char::is_whitespace) {
        return Err(ServiceError::BadUserInput(
            "url: at most 2048 characters, no spaces".into(),
        ));
    }
    resolve(url, targets).await?;
    if let Some(organisation) = input.organisation
        && danvan_store::organisation::get(db, organisation)
            .await?
            .is_none()
    {
        return Err(ServiceError::NotFound("no such organisation".into()));
    }
    let mut events = input.events.clone();
    events.sort();
    events.dedup();
    let secret = danvan_auth::webhook::new_secret()?;
    let endpoint = danvan_store::webhook::create_endpoint(
        db,
        &NewEndpoint {
            url: url.to_owned(),
            events,
            site_id,
            organisation_id: input.organisation,
            include_subtree: input.include_subtree,
            secret: secret.clone(),
            created_by: principal.account().map(|a| a.id),
        },
    )
    .await?;
    Ok((endpoint, secret))
}

/// The endpoint with this number, if the caller may manage it.
pub async fn endpoint(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<Endpoint, ServiceError> {
    let found = danvan_store::webhook::endpoint(db, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no webhook {id}")))?;
    caller.authorize(Action::ManageWebhooks(found.site_id))?;
    Ok(found)
}

/// The endpoints the caller may manage: every one for admins, a site's for its editors.
pub async fn endpoints(
    db: &DatabaseConnection,
    caller: &Caller,
) -> Result<Vec<Endpoint>, ServiceError> {
    if caller.authorize(Action::ManageWebhooks(None)).is_ok() {
        return Ok(danvan_store::webhook::endpoints(db, None).await?);
    }
    let site = caller.principal.account().and_then(|a| a.site);
    caller.authorize(Action::ManageWebhooks(site))?;
    Ok(danvan_store::webhook::endpoints(db, site).await?)
}

/// Deletes an endpoint.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<Endpoint, ServiceError> {
    endpoint(db, caller, id).await?;
    Ok(danvan_store::webhook::delete_endpoint(db, id).await?)
}

/// How long the secret before a rotation still signs.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// Gives an endpoint a new secret, shown this once; deliveries are signed with the old one
/// as well for [`ROTATION_OVERLAP`].
pub async fn rotate_secret(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<(Endpoint, String), ServiceError> {
    endpoint(db, caller, id).await?;
    let secret = danvan_auth::webhook::new_secret()?;
    let rotated =
        danvan_store::webhook::rotate_secret(db, id, &secret, Utc::now() + ROTATION_OVERLAP)
            .await?;
    Ok((rotated, secret))
}

/// Enables an endpoint disabled for failing; what it was owed is still owed.
pub async fn enable(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<Endpoint, ServiceError> {
    endpoint(db, caller, id).await?;
    Ok(danvan_store::webhook::enable(db, id).await?)
}

/// Sends deliveries of an endpoint again: one, or every one owed since a time. Gives back
/// how many.
pub async fn replay(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    delivery: Option<i64>,
    since: Option<DateTime<Utc>>,
) -> Result<u64, ServiceError> {
    endpoint(db, caller, id).await?;
    if delivery.is_none() && since.is_none() {
        return Err(ServiceError::BadUserInput(
            "name a delivery or a time to replay from".into(),
        ));
    }
    Ok(danvan_store::webhook::replay(db, id, delivery, since).await?)
}

/// The newest deliveries of an endpoint with their attempts.
pub async fn deliveries(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    limit: u64,
) -> Result<Vec<(Delivery, Vec<danvan_store::webhook::Attempt>)>, ServiceError> {
    endpoint(db, caller, id).await?;
    let deliveries = danvan_store::webhook::deliveries(db, id, limit.clamp(1, 100)).await?;
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let mut attempts = danvan_store::webhook::attempts(db, &ids).await?;
    Ok(deliveries
        .into_iter()
        .map(|d| {
            let tried = attempts.remove(&d.id).unwrap_or_default();
            (d, tried)
        })
        .collect())
}

/// How deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each next one doubles, up to `longest`.
    pub first: Duration,
    /// The longest wait between attempts.
    pub longest: Duration,
    /// How long a delivery is retried before it is given up.
    pub retry_for: Duration,
    /// How long an endpoint may fail every delivery before it is disabled.
    pub disable_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first: Duration::seconds(5),
            longest: Duration::hours(1),
            retry_for: Duration::hours(24),
            disable_after: Duration::days(3),
        }
    }
}

impl RetryPolicy {
    /// What comes after the failed attempt number `attempts` (from 1) of a delivery owed
    /// since `owed`: the next try, with up to a fifth more at random so that retries of many
    /// endpoints spread out, or giving up once `retry_for` has passed.
    pub fn after_failure(
        &self,
        owed: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
        random: f64,
    ) -> Next {
        if now - owed >= self.retry_for {
            return Next::GiveUp;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
        let wait = self
            .first
            .checked_mul(2_i32.saturating_pow(doublings))
            .unwrap_or(self.longest)
            .min(self.longest);
        let jitter_ms = (wait.num_milliseconds() as f64 * 0.2 * random.clamp(0.0, 1.0)) as i64;
        Next::RetryAt(now + wait + Duration::milliseconds(jitter_ms))
    }
}

/// The JSON API's shape of what deliveries carry, made by the door that owns that shape.
pub trait Shapes: Sync {
    /// An article as the JSON API gives it whole.
    fn article(
        &self,
        db: &DatabaseConnection,
        article: Article,
    ) -> impl Future<Output = Result<serde_json::Value, ServiceError>> + Send;

    /// A meeting, a model or a figure as the JSON API gives it.
    fn directory(&self, record: &Directory) -> serde_json::Value;
}

/// A record of the shared directory that partners are told of.
#[derive(Debug, Clone)]
pub enum Directory {
    /// A meeting.
    Meeting(danvan_store::meeting::Meeting),
    /// A "Dân vận khéo" model.
    DvkModel(danvan_store::model::DvkModel),
    /// A report figure.
    ReportFigure(danvan_store::report_figure::ReportFigure),
}

impl Directory {
    /// The organisation it belongs to.
    fn organisation(&self) -> Option<OrganisationId> {
        match self {
            Self::Meeting(m) => m.data.organiser_id,
            Self::DvkModel(m) => m.data.organisation_id,
            Self::ReportFigure(f) => f.data.organisation_id,
        }
    }

    /// The first part of its events' names.
    fn noun(&self) -> &'static str {
        match self {
            Self::Meeting(_) => "meeting",
            Self::DvkModel(_) => "dvk_model",
            Self::ReportFigure(_) => "report_figure",
        }
    }

    async fn read(db: &DatabaseConnection, change: &Change) -> Result<Option<Self>, ServiceError> {
        Ok(match change.concept {
            Concept::Meeting => {
                danvan_store::meeting::get_any(db, danvan_domain::MeetingId(change.record_id))
                    .await?
                    .map(Self::Meeting)
            }
            Concept::DvkModel => {
                danvan_store::model::get_any(db, danvan_domain::DvkModelId(change.record_id))
                    .await?
                    .map(Self::DvkModel)
            }
            Concept::ReportFigure => danvan_store::report_figure::get_any(
                db,
                danvan_domain::ReportFigureId(change.record_id),
            )
            .await?
            .map(Self::ReportFigure),
            _ => None,
        })
    }
}

/// The event a change of a directory record is: its making, a change, its deletion (a
/// restored record is made again).
fn directory_event(noun: &str, did: Did) -> Option<String> {
    let verb = match did {
        Did::Created | Did::Restored => "created",
        Did::Updated => "updated",
        Did::Deleted => "deleted",
        _ => return None,
    };
    Some(format!("{noun}.{verb}"))
}

/// The event a change of an article is for partners, if any: they hear of what the public
/// sees (a draft's making and edits are nobody's business). The article is read as it is
/// when the change is fanned out, a moment after it was made.
fn article_event(
    did: Did,
    article: &Article,
    change_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    // Public when the change was made or now: `now` alone would miss a publication whose
    // time, by the clock of the server that wrote it, is a moment after this server's now
    // (clocks differ between servers, and `now` may have been taken before the change was
    // read), and the event would be lost.
    let public = article.deleted_at.is_none() && article.data.is_public_at(now.max(change_at));
    // Scheduled for later, it is told of when its time comes (see `due_articles`), not
    // before: its text is under embargo until then.
    let public_then = article.data.published_at.is_some_and(|at| at <= change_at);
    match did {
        Did::Published | Did::Restored if public && public_then => Some("article.published"),
        Did::Updated if public => Some("article.updated"),
        Did::Unpublished | Did::Archived => Some("article.unpublished"),
        Did::Deleted if article.data.published_at.is_some() => Some("article.deleted"),
        _ => None,
    }
}

/// Where a record belongs, for endpoints' filters.
enum Place<'a> {
    /// An article or comment of a site, concerning these organisations.
    Site(SiteId, &'a [OrganisationId]),
    /// A record of the shared directory, of this organisation: a site's endpoint hears of
    /// it when the organisation is the site's or below it.
    Directory(Option<OrganisationId>),
}

/// What endpoints filter on: their organisation's scope, and their site's organisations.
#[derive(Default)]
struct Scopes {
    organisation: HashMap<i64, Vec<OrganisationId>>,
    site: HashMap<SiteId, Vec<OrganisationId>>,
}

/// Whether `endpoint` hears of `event` about a record in `place`.
fn wants(endpoint: &Endpoint, scopes: &Scopes, event: &str, place: &Place<'_>) -> bool {
    if !endpoint.events.iter().any(|e| e == event) {
        return false;
    }
    let concerns = |organisations: &[OrganisationId]| {
        scopes
            .organisation
            .get(&endpoint.id)
            .is_none_or(|scope| organisations.iter().any(|o| scope.contains(o)))
    };
    match place {
        Place::Site(site, organisations) => {
            endpoint.site_id.is_none_or(|s| s == *site) && concerns(organisations)
        }
        Place::Directory(organisation) => {
            let owner: Vec<OrganisationId> = organisation.iter().copied().collect();
            let in_site = endpoint.site_id.is_none_or(|s| {
                scopes
                    .site
                    .get(&s)
                    .is_some_and(|ours| owner.iter().any(|o| ours.contains(o)))
            });
            in_site && concerns(&owner)
        }
    }
}

/// Fans the change log out into deliveries, up to `limit` changes at a time, as long as
/// there are changes, and tells of the scheduled articles whose time came since it last
/// looked: each endpoint registered before an event and wanting it is owed it once. Gives
/// back how many deliveries were owed.
pub async fn fan_out(
    db: &DatabaseConnection,
    shapes: &impl Shapes,
    limit: u64,
) -> Result<usize, ServiceError> {
    let mut owed_total = 0;
    loop {
        // What is owed is worked out outside any transaction (it reads articles, and an
        // embedded database has one connection for writes), then written only if no other
        // process moved the place meanwhile.
        let from = danvan_store::webhook::place(db).await?;
        let changes = danvan_store::change::after(db, from.seq, limit).await?;
        // After the read: every change read was made before now.
        let now = Utc::now();
        let due = match from.due_until {
            Some(since) => due_articles(db, since, now, limit).await?,
            None => Vec::new(),
        };
        let more_due = due.len() as u64 >= limit;
        let to = danvan_store::webhook::Place {
            seq: changes.last().map_or(from.seq, |c| c.seq),
            due_until: match (more_due, due.last()) {
                (true, Some((_, article))) => article.data.published_at,
                _ => Some(now),
            },
        };
        if changes.is_empty() && due.is_empty() && from.due_until.is_some() {
            // Nothing to tell; the time moves on with the next change or due article.
            return Ok(owed_total);
        }
        let endpoints: Vec<Endpoint> = danvan_store::webhook::endpoints(db, None)
            .await?
            .into_iter()
            .filter(|e| e.disabled.is_none())
            .collect();
        let mut owed = Vec::new();
        if !endpoints.is_empty() {
            let scopes = scopes(db, &endpoints).await?;
            for change in &changes {
                owed.extend(owed_for(db, shapes, change, &endpoints, &scopes, now).await?);
            }
            for (seq, article) in due {
                owed.extend(owed_due(db, shapes, seq, article, &endpoints, &scopes).await?);
            }
        }
        let txn = danvan_store::begin_write(db)
            .await
            .map_err(danvan_store::StoreError::from)?;
        if danvan_store::webhook::lock_place(&txn).await? != from {
            // Another process fanned these out first.
            txn.rollback()
                .await
                .map_err(danvan_store::StoreError::from)?;
            continue;
        }
        owed_total += owed.len();
        danvan_store::webhook::owe(&txn, &owed).await?;
        danvan_store::webhook::advance(&txn, to).await?;
        txn.commit().await.map_err(danvan_store::StoreError::from)?;
    }
}

/// The articles scheduled before their time that became public after `since` and up to
/// `now`, oldest first, each with the number of its newest change (its delivery's key: no
/// delivery was owed for that change, the article not being public then).
pub(crate) async fn due_articles(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(i64, Article)>, ServiceError> {
    let filter = danvan_store::article::ArticleFilter {
        public_at: Some(now),
        published_from: Some(since + Duration::microseconds(1)),
        ..Default::default()
    };
    let ids =
        danvan_store::article::ids_after(db, &filter, danvan_domain::ArticleId(0), limit).await?;
    let raw: Vec<i64> = ids.iter().map(|id| id.0).collect();
    let latest = danvan_store::change::latest(db, Concept::Article, &raw).await?;
    let mut due: Vec<(i64, Article)> = Vec::new();
    for article in danvan_store::article::get_many(db, &ids).await? {
        // Published for later: written before its time. One published at once was told of
        // by its change.
        let scheduled = article
            .data
            .published_at
            .is_some_and(|at| article.updated_at < at);
        if let (true, Some(seq)) = (scheduled, latest.get(&article.id.0)) {
            due.push((*seq, article));
        }
    }
    due.sort_by_key(|(_, a)| a.data.published_at);
    Ok(due)
}

/// The deliveries a scheduled article whose time came is owed as.
async fn owed_due(
    db: &DatabaseConnection,
    shapes: &impl Shapes,
    seq: i64,
    article: Article,
    endpoints: &[Endpoint],
    scopes: &Scopes,
) -> Result<Vec<NewDelivery>, ServiceError> {
    let Some(at) = article.data.published_at else {
        return Ok(Vec::new());
    };
    let listening: Vec<&Endpoint> = endpoints.iter().filter(|e| e.created_at <= at).collect();
    if listening.is_empty() {
        return Ok(Vec::new());
    }
    let event = "article.published";
    let place = Place::Site(article.data.site_id, &article.data.organisation_ids);
    if !listening.iter().any(|e| wants(e, scopes, event, &place)) {
        // Shaping the article costs statements: only for someone.
        return Ok(Vec::new());
    }
    let data = shapes.article(db, article.clone()).await?;
    Ok(owed(&listening, scopes, event, &place, seq, at, data))
}

/// What an event is owed as: a delivery to each endpoint of `listening` that wants it,
/// the same body to each.
fn owed(
    listening: &[&Endpoint],
    scopes: &Scopes,
    event: &str,
    place: &Place<'_>,
    seq: i64,
    at: DateTime<Utc>,
    data: serde_json::Value,
) -> Vec<NewDelivery> {
    let body = serde_json::json!({
        "type": event,
        "timestamp": danvan_text::time::to_vietnam(at).to_rfc3339(),
        "data": data,
    })
    .to_string();
    listening
        .iter()
        .filter(|e| wants(e, scopes, event, place))
        .map(|e| NewDelivery {
            endpoint_id: e.id,
            event_type: event.to_owned(),
            change_seq: seq,
            payload: body.clone(),
        })
        .collect()
}

/// The organisations each endpoint's filters name.
async fn scopes(db: &DatabaseConnection, endpoints: &[Endpoint]) -> Result<Scopes, ServiceError> {
    let mut scopes = Scopes::default();
    for endpoint in endpoints {
        if let Some(organisation) = endpoint.organisation_id {
            let scope = if endpoint.include_subtree {
                danvan_store::organisation::subtree(db, organisation)
                    .await?
                    .ids()
                    .to_vec()
            } else {
                vec![organisation]
            };
            scopes.organisation.insert(endpoint.id, scope);
        }
        if let Some(site) = endpoint.site_id
            && !scopes.site.contains_key(&site)
        {
            let ours = match danvan_store::site::get(db, site).await? {
                Some(found) => match found.data.organisation_id {
                    Some(root) => danvan_store::organisation::subtree(db, root)
                        .await?
                        .ids()
                        .to_vec(),
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            scopes.site.insert(site, ours);
        }
    }
    Ok(scopes)
}

/// The deliveries one change is owed as.
async fn owed_for(
    db: &DatabaseConnection,
    shapes: &impl Shapes,
    change: &Change,
    endpoints: &[Endpoint],
    scopes: &Scopes,
    now: DateTime<Utc>,
) -> Result<Vec<NewDelivery>, ServiceError> {
    let listening: Vec<&Endpoint> = endpoints
        .iter()
        .filter(|e| e.created_at <= change.at)
        .collect();
    if listening.is_empty() {
        return Ok(Vec::new());
    }
    let (event, data, article, directory) = match change.concept {
        Concept::Article => {
            let id = danvan_domain::ArticleId(change.record_id);
            let Some(article) = danvan_store::article::get_any(db, id).await? else {
                return Ok(Vec::new());
            };
            let Some(event) = article_event(change.action, &article, change.at, now) else {
                return Ok(Vec::new());
            };
            let data = shapes.article(db, article.clone()).await?;
            (event.to_owned(), data, Some(article), None)
        }
        Concept::Comment if change.action == Did::Approved => {
            let id = danvan_domain::CommentId(change.record_id);
            let Some(comment) = danvan_store::comment::get(db, id).await? else {
                return Ok(Vec::new());
            };
            let Some(article) = danvan_store::article::get(db, comment.data.article_id).await?
            else {
                return Ok(Vec::new());
            };
            let data = comment_shape(&comment, &article);
            ("comment.approved".to_owned(), data, Some(article), None)
        }
        Concept::Meeting | Concept::DvkModel | Concept::ReportFigure => {
            let Some(record) = Directory::read(db, change).await? else {
                return Ok(Vec::new());
            };
            let Some(event) = directory_event(record.noun(), change.action) else {
                return Ok(Vec::new());
            };
            (event, shapes.directory(&record), None, Some(record))
        }
        // Partners are told of articles, approved comments and the directory's meetings,
        // models and figures; the rest of the log serves other readers.
        _ => return Ok(Vec::new()),
    };
    let place = match (&article, &directory) {
        (Some(article), _) => Place::Site(article.data.site_id, &article.data.organisation_ids),
        (None, Some(record)) => Place::Directory(record.organisation()),
        (None, None) => return Ok(Vec::new()),
    };
    Ok(owed(
        &listening, scopes, &event, &place, change.seq, change.at, data,
    ))
}

/// An approved comment as a delivery carries it: the JSON API's comment and the id of its
/// article.
fn comment_shape(comment: &Comment, article: &Article) -> serde_json::Value {
    serde_json::json!({
        "id": crate::id::encode(crate::id::kind::COMMENT, comment.id.0),
        "articleId": crate::id::encode(crate::id::kind::ARTICLE, article.id.0),
        "authorName": comment.data.author_name.as_str(),
        "body": comment.data.body.as_str(),
        "createdAt": danvan_text::time::to_vietnam(comment.created_at).to_rfc3339(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(at: DateTime<Utc>) -> Article {
        let mut data = danvan_domain::article::ArticleData::draft(
            danvan_domain::SiteId(1),
            danvan_domain::Title::parse("Hội nghị giao ban công tác dân vận").unwrap(),
            danvan_domain::Body::parse("Nội dung.").unwrap(),
        )
        .unwrap();
        data.status = danvan_domain::article::ArticleStatus::Published;
        data.published_at = Some(at);
        danvan_domain::Record {
            id: danvan_domain::ArticleId(12),
            created_at: at,
            updated_at: at,
            version: 2,
            deleted_at: None,
            data,
        }
    }

    #[test]
    fn a_publication_is_told_though_this_server_s_clock_is_behind() {
        let published_at = Utc::now();
        let change_at = published_at + Duration::milliseconds(12);
        let article = published(published_at);
        // The fan-out's now a moment before the publication's time (taken before the read,
        // or a clock behind the writer's).
        let now = published_at - Duration::milliseconds(5);
        assert_eq!(
            article_event(Did::Published, &article, change_at, now),
            Some("article.published")
        );
        // Scheduled for later: told when its time comes, not at the change.
        let later = published(change_at + Duration::hours(1));
        assert_eq!(article_event(Did::Published, &later, change_at, now), None);
    }

    #[test]
    fn private_addresses_are_known() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["203.113.1.1", "8.8.8.8", "2001:4860:4860::8888"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn an_endpoint_on_a_private_address_is_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "http://[::1]:8080/",
            "http://169.254.169.254/latest/meta-data/",
            "ftp://example.vn/",
            "http://user@127.0.0.1/",
        ] {
            assert!(resolve(url, Targets::default()).await.is_err(), "{url}");
        }
        let allowed = Targets {
            allow_private: true,
        };
        let found = resolve("http://127.0.0.1:9000/hook", allowed)
            .await
            .unwrap();
        assert_eq!(found, vec!["127.0.0.1:9000".parse().unwrap()]);
    }

    #[test]
    fn retries_back_off_and_give_up_after_a_day() {
        let policy = RetryPolicy::default();
        let owed = Utc::now();
        let wait = |attempts, random| match policy.after_failure(owed, attempts, owed, random) {
            Next::RetryAt(at) => at - owed,
            Next::GiveUp => Duration::MAX,
        };
        assert_eq!(wait(1, 0.0), Duration::seconds(5));
        assert_eq!(wait(2, 0.0), Duration::seconds(10));
        assert_eq!(wait(30, 0.0), Duration::hours(1));
        assert_eq!(wait(1, 1.0), Duration::seconds(6));
        assert_eq!(
            policy.after_failure(owed, 40, owed + Duration::hours(24), 0.5),
            Next::GiveUp
        );
    }
}
