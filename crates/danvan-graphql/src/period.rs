//! Periods in the schema.

use async_graphql::Object;
use chrono::NaiveDate;

/// A reporting period: a year, a half-year, a quarter, a month or a multi-year phase.
pub struct Period(pub(crate) danvan_domain::Period);

/// A reporting period: a year, a half-year, a quarter, a month or a multi-year phase.
#[Object]
impl Period {
    /// The stable code: `2020`, `2020-H1`, `2020-Q3`, `2020-06`, `2016..2020`.
    async fn code(&self) -> String {
        self.0.code()
    }

    /// As a Vietnamese reader writes it: "6 tháng đầu năm 2020", "giai đoạn 2016-2020".
    async fn label(&self) -> String {
        self.0.label()
    }

    /// The first day.
    async fn start(&self) -> NaiveDate {
        self.0.start()
    }

    /// The last day.
    async fn end(&self) -> NaiveDate {
        self.0.end()
    }
}
