//! Administrative units in the schema.

use crate::context::{db, load};
use crate::enums::{AdminLevel, SuccessionKind};
use crate::loader::{SuccessionsFrom, SuccessionsTo};
use crate::{ApiError, id};
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use danvan_domain::admin_unit::Succession as SuccessionRecord;
use danvan_store::admin_unit::AdminUnit as AdminUnitRecord;

/// An administrative unit as it existed between two dates. A unit that no longer exists
/// (a district abolished on 1 July 2025) stays, linked to its successors.
pub struct AdminUnit(pub(crate) AdminUnitRecord);

/// An administrative unit as it existed between two dates. A unit that no longer exists
/// (a district abolished on 1 July 2025) stays, linked to its successors.
#[Object]
impl AdminUnit {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::ADMIN_UNIT, self.0.id.0)
    }

    /// The name without its level word: "Gia Viễn".
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// The name with its level word, as an article writes it: "huyện Gia Viễn".
    async fn full_name(&self) -> String {
        self.0.data.full_name()
    }

    /// The level.
    async fn level(&self) -> AdminLevel {
        self.0.data.level.into()
    }

    /// The official code, when known.
    async fn code(&self) -> Option<&str> {
        self.0.data.code.as_deref()
    }

    /// The first day it existed in this form, if known.
    async fn valid_from(&self) -> Option<NaiveDate> {
        self.0.data.valid_from
    }

    /// The last day it existed in this form; null while it exists.
    async fn valid_to(&self) -> Option<NaiveDate> {
        self.0.data.valid_to
    }

    /// The enclosing unit at that time.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        let Some(id) = self.0.data.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(AdminUnit))
    }

    /// The units that took over (all or part of) its area.
    async fn successors(&self, ctx: &Context<'_>) -> Result<Vec<Succession>> {
        let links = load(ctx, SuccessionsFrom(self.0.id)).await?;
        Ok(links
            .unwrap_or_default()
            .into_iter()
            .map(Succession)
            .collect())
    }

    /// The units whose area it took over.
    async fn predecessors(&self, ctx: &Context<'_>) -> Result<Vec<Succession>> {
        let links = load(ctx, SuccessionsTo(self.0.id)).await?;
        Ok(links
            .unwrap_or_default()
            .into_iter()
            .map(Succession)
            .collect())
    }

    /// The units that cover its area on a day (today in Vietnam by default): itself while it
    /// exists, else its successors, through every later reorganisation.
    async fn resolve(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; today in Vietnam when omitted.")] on: Option<NaiveDate>,
    ) -> Result<Vec<AdminUnit>> {
        let day = on.unwrap_or_else(danvan_text::time::today_in_vietnam);
        let units = danvan_store::admin_unit::resolve_on(db(ctx)?, self.0.id, day)
            .await
            .map_err(ApiError::from)?;
        Ok(units.into_iter().map(AdminUnit).collect())
    }
}

/// A link from a unit to one that took over its area.
pub struct Succession(pub(crate) SuccessionRecord);

/// A link from a unit to one that took over its area.
#[Object]
impl Succession {
    /// The unit that ended or changed.
    async fn predecessor(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        Ok(load(ctx, self.0.predecessor_id).await?.map(AdminUnit))
    }

    /// The unit that took over.
    async fn successor(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        Ok(load(ctx, self.0.successor_id).await?.map(AdminUnit))
    }

    /// How.
    async fn kind(&self) -> SuccessionKind {
        self.0.kind.into()
    }

    /// The first day of the successor's responsibility.
    async fn effective_on(&self) -> NaiveDate {
        self.0.effective_on
    }
}
