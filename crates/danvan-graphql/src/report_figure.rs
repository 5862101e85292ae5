//! Report figures in the schema.

use crate::article::Article;
use crate::context::load;
use crate::enums::FigureQualifier;
use crate::id;
use crate::meeting::Meeting;
use crate::organisation::Organisation;
use crate::period::Period;
use async_graphql::{Context, ID, Object, Result};
use danvan_store::report_figure::ReportFigure as ReportFigureRecord;

/// A figure a report states: "ban hành 23 văn bản", "1.272/1.337 đơn", "Hơn 1000 mô hình".
pub struct ReportFigure(pub(crate) ReportFigureRecord);

/// A figure a report states: "ban hành 23 văn bản", "1.272/1.337 đơn", "Hơn 1000 mô hình".
#[Object]
impl ReportFigure {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::REPORT_FIGURE, self.0.id.0)
    }

    /// The stable key of the indicator: `dvk.models_recognised`.
    async fn indicator_key(&self) -> &str {
        &self.0.data.indicator_key
    }

    /// The indicator as a reader reads it.
    async fn indicator_label(&self) -> &str {
        self.0.data.indicator_label.as_str()
    }

    /// The number.
    async fn value(&self) -> f64 {
        self.0.data.value
    }

    /// How the number bounds the truth: "Hơn 1000" is MORE_THAN 1000.
    async fn qualifier(&self) -> FigureQualifier {
        self.0.data.qualifier.into()
    }

    /// The whole it is a part of: 1337 in "1.272/1.337 đơn".
    async fn denominator(&self) -> Option<f64> {
        self.0.data.denominator
    }

    /// The value as a share of the denominator, when there is one.
    async fn ratio(&self) -> Option<f64> {
        self.0.data.ratio()
    }

    /// The unit as written: "mô hình", "văn bản", "%".
    async fn unit(&self) -> Option<&str> {
        self.0.data.unit.as_deref()
    }

    /// The period it counts.
    async fn period(&self) -> Option<Period> {
        self.0.data.period.map(Period)
    }

    /// The sentence it was taken from.
    async fn wording(&self) -> Option<&str> {
        self.0.data.wording.as_deref()
    }

    /// The organisation it is about.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.organisation_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// The article that stated it, when the public may read it.
    async fn article(&self, ctx: &Context<'_>) -> Result<Option<Article>> {
        let Some(id) = self.0.data.article_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.and_then(Article::public))
    }

    /// The meeting at which it was reported.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        let Some(id) = self.0.data.meeting_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Meeting))
    }
}
