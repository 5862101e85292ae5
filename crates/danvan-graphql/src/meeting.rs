//! Meetings in the schema.

use crate::article::Article;
use crate::connection::{List, nested_list};
use crate::context::{load, load_all};
use crate::enums::MeetingKind;
use crate::id;
use crate::loader::{ArticlesOfMeeting, FiguresOfMeeting};
use crate::organisation::{Organisation, Person};
use crate::period::Period;
use crate::report_figure::ReportFigure;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use danvan_store::article::ArticleFilter;
use danvan_store::meeting::Meeting as MeetingRecord;

/// A meeting: a conference reviewing a period (sơ kết, tổng kết) or on one subject.
pub struct Meeting(pub(crate) MeetingRecord);

/// A meeting: a conference reviewing a period (sơ kết, tổng kết) or on one subject.
#[Object]
impl Meeting {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::MEETING, self.0.id.0)
    }

    /// What it is called.
    async fn title(&self) -> &str {
        self.0.data.title.as_str()
    }

    /// The kind.
    async fn kind(&self) -> MeetingKind {
        self.0.data.kind.into()
    }

    /// The day it was held.
    async fn held_on(&self) -> NaiveDate {
        self.0.data.held_on
    }

    /// Where it was held.
    async fn location(&self) -> Option<&str> {
        self.0.data.location.as_deref()
    }

    /// The organisation that held it.
    async fn organiser(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.organiser_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// Who chaired it, in the order named.
    async fn chairs(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        Ok(load_all(ctx, &self.0.data.chair_ids)
            .await?
            .into_iter()
            .map(Person)
            .collect())
    }

    /// Who attended it (other than the chairs), in the order named.
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        Ok(load_all(ctx, &self.0.data.attendee_ids)
            .await?
            .into_iter()
            .map(Person)
            .collect())
    }

    /// Attendance as written, for groups without names.
    async fn attendance_note(&self) -> Option<&str> {
        self.0.data.attendance_note.as_deref()
    }

    /// The period it reviewed.
    async fn period(&self) -> Option<Period> {
        self.0.data.period.map(Period)
    }

    /// The tasks it set for the next period, in order.
    async fn tasks(&self) -> &[String] {
        &self.0.data.tasks
    }

    /// The published articles that report it, newest first.
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<Article>> {
        let filter = ArticleFilter {
            meeting_id: Some(self.0.id),
            public_at: Some(chrono::Utc::now()),
            ..ArticleFilter::default()
        };
        let count = move |db| async move { danvan_store::article::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| ArticlesOfMeeting {
                meeting: self.0.id,
                first,
            },
            count,
            Article,
        )
        .await
    }

    /// The figures reported at it.
    async fn report_figures(&self, ctx: &Context<'_>) -> Result<Vec<ReportFigure>> {
        let figures = load(ctx, FiguresOfMeeting(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(figures.into_iter().map(ReportFigure).collect())
    }
}
