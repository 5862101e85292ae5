//! Link tables that tie an owner row to a list of other rows (an article's tags,
//! organisations, documents …). They have no entity of their own: two id columns and the
//! position that keeps the order in which the owner names them.

use crate::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// The column that keeps the order of an owner's links.
const POSITION: &str = "position";

/// A link table: `table(owner, other, position)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub table: &'static str,
    pub owner: &'static str,
    pub other: &'static str,
}

impl Link {
    /// Makes each owner's ids its links, replacing what was there: one statement to clear
    /// and a few to write, however many owners there are.
    pub(crate) async fn replace_many(
        self,
        db: &impl ConnectionTrait,
        owners: &[(i64, &[i64])],
    ) -> Result<(), StoreError> {
        db.execute(
            &Query::delete()
                .from_table(self.table)
                .and_where(Expr::col(self.owner).is_in(owners.iter().map(|(o, _)| *o)))
                .to_owned(),
        )
        .await?;
        self.insert_many(db, owners).await
    }

    /// Writes new owners' links (owners that have none yet: nothing to clear first).
    pub(crate) async fn insert_many(
        self,
        db: &impl ConnectionTrait,
        owners: &[(i64, &[i64])],
    ) -> Result<(), StoreError> {
        let rows: Vec<(i64, i64, i32)> = owners
            .iter()
            .flat_map(|(owner, ids)| {
                (0_i32..)
                    .zip(*ids)
                    .map(|(position, id)| (*owner, *id, position))
            })
            .collect();
        // Three parameters a row stays well under SQLite's bound of 32,766 a statement.
        for chunk in rows.chunks(5000) {
            let mut insert = Query::insert();
            insert
                .into_table(self.table)
                .columns([self.owner, self.other, POSITION]);
            for &(owner, id, position) in chunk {
                insert
                    .values([owner.into(), id.into(), position.into()])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            }
            db.execute(&insert).await?;
        }
        Ok(())
    }

    /// Whether the row of `owner_table` is linked to `other_id`: for a link that many owners
    /// share (a tag on a quarter of the news), so that a list walks its ordered index and
    /// stops at a page, instead of reading every linked row to sort them.
    pub(crate) fn links(
        self,
        owner_table: &'static str,
        other_id: i64,
    ) -> sea_orm::sea_query::SimpleExpr {
        use sea_orm::sea_query::Alias;
        let table = Alias::new(self.table);
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(table.clone())
                .and_where(
                    Expr::col((table.clone(), Alias::new(self.owner)))
                        .equals((Alias::new(owner_table), Alias::new("id"))),
                )
                .and_where(Expr::col((table, Alias::new(self.other))).eq(other_id))
                .to_owned(),
        )
    }

    /// A subquery for the owners linked to `other_id`, for `owner_id IN (…)` filters.
    pub(crate) fn owners_of(self, other_id: i64) -> sea_orm::sea_query::SelectStatement {
        self.owners_of_any(vec![other_id])
    }

    /// A subquery for the owners linked to any of `other_ids`.
    pub(crate) fn owners_of_any(self, other_ids: Vec<i64>) -> sea_orm::sea_query::SelectStatement {
        Query::select()
            .column(self.owner)
            .from(self.table)
            .and_where(Expr::col(self.other).is_in(other_ids))
            .to_owned()
    }
}
