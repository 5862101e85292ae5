//! More kinds of meeting than sơ kết, tổng kết and chuyên đề: briefings, anniversaries,
//! commendations, committee sessions, disseminations, training, dialogues, voters'
//! meetings, agreements signed, inspections and recognitions. The kind is a code in a
//! text column, so no column changes; the meetings filed as "other" are read again by
//! their titles, with the rule the importer uses, and every other row is kept as it is.

use danvan_domain::meeting::MeetingKind;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, title FROM meeting WHERE kind = 'other'",
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let title: String = row.try_get("", "title")?;
            let kind = MeetingKind::of_title(&title);
            if kind != MeetingKind::Other {
                let update = Query::update()
                    .table("meeting")
                    .value("kind", kind.code())
                    .and_where(Expr::col("id").eq(id))
                    .to_owned();
                manager.exec_stmt(update).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The older code reads only the first four kinds.
        let update = Query::update()
            .table("meeting")
            .value("kind", "other")
            .and_where(Expr::col("kind").is_not_in([
                "interim_review",
                "final_review",
                "thematic",
                "other",
            ]))
            .to_owned();
        manager.exec_stmt(update).await
    }
}
