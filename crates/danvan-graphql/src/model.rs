//! "Dân vận khéo" models in the schema.

use crate::admin_unit::AdminUnit;
use crate::context::load;
use crate::enums::{DvkArea, DvkField, DvkKind, DvkStatus, RecognitionLevel};
use crate::id;
use crate::organisation::Organisation;
use crate::period::Period;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::NaiveDate;
use danvan_store::model::DvkModel as DvkModelRecord;

/// How a model was recognised.
#[derive(SimpleObject)]
pub struct Recognition {
    /// The level of the body that recognised it.
    level: RecognitionLevel,
    /// The decision as written: "Quyết định số 125-QĐ/ĐUK".
    decision: Option<String>,
    /// The day of the decision.
    recognised_on: Option<NaiveDate>,
}

/// A "Dân vận khéo" model or exemplar.
pub struct DvkModel(pub(crate) DvkModelRecord);

/// A "Dân vận khéo" model or exemplar.
#[Object]
impl DvkModel {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::DVK_MODEL, self.0.id.0)
    }

    /// Its name.
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// What it does and what it achieved.
    async fn description(&self) -> &str {
        self.0.data.description.as_str()
    }

    /// Model or exemplar.
    async fn kind(&self) -> DvkKind {
        self.0.data.kind.into()
    }

    /// The field it works in.
    async fn field(&self) -> DvkField {
        self.0.data.field.into()
    }

    /// Where it stands.
    async fn status(&self) -> DvkStatus {
        self.0.data.status.into()
    }

    /// How it was recognised, once it is.
    async fn recognition(&self) -> Option<Recognition> {
        self.0.data.recognition.as_ref().map(|r| Recognition {
            level: r.level.into(),
            decision: r.decision.clone(),
            recognised_on: r.recognised_on,
        })
    }

    /// The period it belongs to.
    async fn period(&self) -> Option<Period> {
        self.0.data.period.map(Period)
    }

    /// The kind of area it serves.
    async fn area(&self) -> Option<DvkArea> {
        self.0.data.area.map(Into::into)
    }

    /// The organisation that owns it.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.organisation_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// Where it runs.
    async fn admin_unit(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        let Some(id) = self.0.data.admin_unit_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(AdminUnit))
    }
}
