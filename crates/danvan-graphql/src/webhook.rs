//! Webhooks: partners' endpoints that are told when something is published, registered by
//! admins and a site's editors. The rules are `danvan_service::webhooks`'; these resolvers
//! translate.

use crate::ApiError;
use crate::context::{caller, db};
use crate::id;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset};
use danvan_domain::OrganisationId;
use danvan_service::webhooks::{self, Targets, WebhookInput};
use danvan_store::webhook::{Attempt, Delivery, Endpoint};
use danvan_text::time::to_vietnam;

/// A partner's endpoint.
pub struct Webhook(Endpoint);

#[Object]
impl Webhook {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode(id::WEBHOOK, self.0.id)
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// The events it is told of: `article.published`, `article.updated`,
    /// `article.unpublished`, `article.deleted`, `comment.approved`.
    async fn events(&self) -> &[String] {
        &self.0.events
    }

    /// Only this site's events (its global id), when set.
    async fn site(&self) -> Option<ID> {
        self.0.site_id.map(|s| id::encode(id::SITE, s.0))
    }

    /// Only events concerning this organisation (its global id), when set.
    async fn organisation(&self) -> Option<ID> {
        self.0
            .organisation_id
            .map(|o| id::encode(id::ORGANISATION, o.0))
    }

    /// With `organisation`: the organisations below it too.
    async fn include_subtree(&self) -> bool {
        self.0.include_subtree
    }

    /// When it was registered: it is told of what happens after.
    async fn created_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.created_at)
    }

    /// Since when every delivery has failed, while they do.
    async fn failing_since(&self) -> Option<DateTime<FixedOffset>> {
        self.0.failing_since.map(to_vietnam)
    }

    /// When it was disabled for failing (`enableWebhook` enables it again).
    async fn disabled_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.disabled.as_ref().map(|(at, _)| to_vietnam(*at))
    }

    /// Why it was disabled.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled.as_ref().map(|(_, why)| why.as_str())
    }

    /// Its newest deliveries with each attempt, newest first.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 20)] first: i32,
    ) -> Result<Vec<WebhookDelivery>> {
        let limit = u64::try_from(first.clamp(1, 100)).unwrap_or(20);
        let found = webhooks::deliveries(db(ctx)?, caller(ctx), self.0.id, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(found
            .into_iter()
            .map(|(delivery, attempts)| WebhookDelivery::of(delivery, attempts))
            .collect())
    }
}

/// An event owed to an endpoint, and what came of it.
#[derive(SimpleObject)]
pub struct WebhookDelivery {
    /// The global id.
    id: ID,
    /// The Standard Webhooks `webhook-id`, the same on every attempt and replay.
    message_id: String,
    /// `article.published` …
    event_type: String,
    /// `PENDING`, `DELIVERED` or `DEAD` (retried for a day in vain).
    status: String,
    /// Attempts so far.
    attempts: i32,
    /// When it was owed.
    created_at: DateTime<FixedOffset>,
    /// When it is tried next, while pending.
    next_attempt_at: DateTime<FixedOffset>,
    /// When an attempt was answered with a 2xx.
    delivered_at: Option<DateTime<FixedOffset>>,
    /// The body sent.
    payload: String,
    /// Each attempt, oldest first.
    log: Vec<WebhookAttempt>,
}

impl WebhookDelivery {
    fn of(delivery: Delivery, attempts: Vec<Attempt>) -> Self {
        Self {
            id: id::encode(id::WEBHOOK_DELIVERY, delivery.id),
            message_id: delivery.message_id,
            event_type: delivery.event_type,
            status: delivery.status.as_str().to_ascii_uppercase(),
            attempts: delivery.attempts,
            created_at: to_vietnam(delivery.created_at),
            next_attempt_at: to_vietnam(delivery.next_attempt_at),
            delivered_at: delivery.delivered_at.map(to_vietnam),
            payload: delivery.payload,
            log: attempts.into_iter().map(WebhookAttempt::from).collect(),
        }
    }
}

/// One attempt at a delivery.
#[derive(SimpleObject)]
pub struct WebhookAttempt {
    /// When it was made.
    at: DateTime<FixedOffset>,
    /// The HTTP status of the answer, when there was one.
    status_code: Option<i32>,
    /// How long it took, in milliseconds.
    latency_ms: i64,
    /// The first bytes of the answer, or why there was none.
    response: String,
    /// Whether it was delivered (a 2xx).
    ok: bool,
}

impl From<Attempt> for WebhookAttempt {
    fn from(a: Attempt) -> Self {
        Self {
            at: to_vietnam(a.at),
            status_code: a.status_code.map(i32::from),
            latency_ms: a.latency_ms,
            response: a.response,
            ok: a.ok,
        }
    }
}

/// A registered endpoint and its signing secret, which is shown this once.
#[derive(SimpleObject)]
pub struct WebhookSecret {
    /// The endpoint.
    webhook: Webhook,
    /// `whsec_…`: the key of the `webhook-signature` HMAC (Standard Webhooks).
    secret: String,
}

/// An endpoint to register.
#[derive(InputObject)]
#[graphql(name = "WebhookInput")]
pub struct WebhookFields {
    /// Where deliveries are POSTed: `https://…`.
    url: String,
    /// The events to be told of.
    events: Vec<String>,
    /// Only this site's events (its slug); editors must name their site.
    site: Option<String>,
    /// Only events concerning this organisation (its global id).
    organisation: Option<ID>,
    /// With `organisation`: the organisations below it too.
    #[graphql(default)]
    include_subtree: bool,
}

fn webhook_id(id: &ID) -> Result<i64, ApiError> {
    id::decode(id::WEBHOOK, id)
}

fn targets(ctx: &Context<'_>) -> Targets {
    ctx.data::<Targets>().copied().unwrap_or_default()
}

/// The webhook queries.
#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// The endpoints the caller manages: every one for admins, their site's for editors.
    async fn webhooks(&self, ctx: &Context<'_>) -> Result<Vec<Webhook>> {
        let found = webhooks::endpoints(db(ctx)?, caller(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(found.into_iter().map(Webhook).collect())
    }
}

/// The webhook mutations.
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers an endpoint (admins; editors for their site). Its address must not be a
    /// loopback, private or link-local one. The answer holds the signing secret, shown
    /// this once.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "input", desc = "The endpoint.")] input: WebhookFields,
    ) -> Result<WebhookSecret> {
        let organisation = match &input.organisation {
            Some(id) => Some(OrganisationId(id::decode(id::ORGANISATION, id)?)),
            None => None,
        };
        let input = WebhookInput {
            url: input.url,
            events: input.events,
            site: input.site,
            organisation,
            include_subtree: input.include_subtree,
        };
        let (webhook, secret) = webhooks::register(db(ctx)?, caller(ctx), input, targets(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(WebhookSecret {
            webhook: Webhook(webhook),
            secret,
        })
    }

    /// Deletes an endpoint: nothing more is delivered to it.
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] id: ID,
    ) -> Result<Webhook> {
        let deleted = webhooks::delete(db(ctx)?, caller(ctx), webhook_id(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(Webhook(deleted))
    }

    /// Gives an endpoint a new secret, shown this once; for a day deliveries are signed
    /// with the old one as well.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] id: ID,
    ) -> Result<WebhookSecret> {
        let (webhook, secret) = webhooks::rotate_secret(db(ctx)?, caller(ctx), webhook_id(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(WebhookSecret {
            webhook: Webhook(webhook),
            secret,
        })
    }

    /// Enables an endpoint disabled for failing; what it is owed is delivered again.
    async fn enable_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] id: ID,
    ) -> Result<Webhook> {
        let enabled = webhooks::enable(db(ctx)?, caller(ctx), webhook_id(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(Webhook(enabled))
    }

    /// Sends deliveries of an endpoint again, with the same `webhook-id`: one, or every
    /// one owed since a time. Gives back how many.
    async fn replay_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] id: ID,
        #[graphql(desc = "One delivery of it.")] delivery: Option<ID>,
        #[graphql(desc = "Every delivery owed since this time.")] since: Option<
            DateTime<FixedOffset>,
        >,
    ) -> Result<i32> {
        let delivery = match &delivery {
            Some(d) => Some(id::decode(id::WEBHOOK_DELIVERY, d)?),
            None => None,
        };
        let replayed = webhooks::replay(
            db(ctx)?,
            caller(ctx),
            webhook_id(&id)?,
            delivery,
            since.map(|t| t.to_utc()),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(i32::try_from(replayed).unwrap_or(i32::MAX))
    }
}
