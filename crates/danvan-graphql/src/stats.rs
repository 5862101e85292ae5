//! Figures for dashboards: models counted by group, indicators over time.

use crate::context::load;
use crate::organisation::Organisation;
use crate::period::Period;
use async_graphql::{Context, Enum, Object, Result};
use danvan_store::model::{DvkGroup, DvkGrouping};
use danvan_store::report_figure::SeriesPoint as SeriesPointRecord;

/// What to group "Dân vận khéo" models by.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum DvkModelGrouping {
    /// By field (lĩnh vực).
    Field,
    /// By status.
    Status,
    /// By period.
    Period,
    /// By owning organisation.
    Organisation,
}

impl From<DvkModelGrouping> for DvkGrouping {
    fn from(by: DvkModelGrouping) -> Self {
        match by {
            DvkModelGrouping::Field => Self::Field,
            DvkModelGrouping::Status => Self::Status,
            DvkModelGrouping::Period => Self::Period,
            DvkModelGrouping::Organisation => Self::Organisation,
        }
    }
}

/// How many models one group holds.
pub struct DvkModelCount {
    pub(crate) group: DvkGroup,
    pub(crate) count: u64,
}

/// How many models one group holds.
#[Object]
impl DvkModelCount {
    /// The group's stable key: a field or status code (`economy`), a period code
    /// (`2016..2020`), an organisation's slug; empty for models without a value.
    async fn key(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(match &self.group {
            DvkGroup::Field(field) => field.code().to_owned(),
            DvkGroup::Status(status) => status.code().to_owned(),
            DvkGroup::Period(period) => period.code(),
            DvkGroup::Organisation(id) => load(ctx, *id)
                .await?
                .map(|o| o.data.slug.to_string())
                .unwrap_or_default(),
            DvkGroup::None => String::new(),
        })
    }

    /// The group as a reader reads it: "Kinh tế", "giai đoạn 2016-2020", an organisation's name.
    async fn label(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(match &self.group {
            DvkGroup::Field(field) => field.label().to_owned(),
            DvkGroup::Status(status) => status.label().to_owned(),
            DvkGroup::Period(period) => period.label(),
            DvkGroup::Organisation(id) => load(ctx, *id)
                .await?
                .map(|o| o.data.name.to_string())
                .unwrap_or_default(),
            DvkGroup::None => "Chưa xác định".to_owned(),
        })
    }

    /// How many models.
    async fn count(&self) -> i64 {
        i64::try_from(self.count).unwrap_or(i64::MAX)
    }

    /// The organisation, when grouping by organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let DvkGroup::Organisation(id) = self.group else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// The period, when grouping by period.
    async fn period(&self) -> Option<Period> {
        match self.group {
            DvkGroup::Period(period) => Some(Period(period)),
            _ => None,
        }
    }
}

/// The figures of one indicator for one period, added up.
pub struct SeriesPoint(pub(crate) SeriesPointRecord);

/// The figures of one indicator for one period, added up.
#[Object]
impl SeriesPoint {
    /// The period.
    async fn period(&self) -> Period {
        Period(self.0.period)
    }

    /// The sum of the values.
    async fn total(&self) -> f64 {
        self.0.total
    }

    /// The sum of the denominators, when any figure has one.
    async fn denominator(&self) -> Option<f64> {
        self.0.denominator
    }

    /// The total as a share of the denominator.
    async fn ratio(&self) -> Option<f64> {
        self.0
            .denominator
            .filter(|d| *d > 0.0)
            .map(|d| self.0.total / d)
    }

    /// How many figures were added.
    async fn figures(&self) -> i64 {
        i64::try_from(self.0.figures).unwrap_or(i64::MAX)
    }
}
