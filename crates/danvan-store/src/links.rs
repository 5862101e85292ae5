//! Link tables that tie an owner row to a list of other rows (an article's tags,
//! organisations, documents …). They have no entity of their own: two id columns and the
//! position that keeps the order in which the owner names them.

use crate::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

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

    /// The links of each owner, in the order the owner names them.
    pub(crate) async fn load(
        self,
        db: &impl ConnectionTrait,
        owner_ids: &[i64],
    ) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        let mut links: HashMap<i64, Vec<i64>> = HashMap::new();
        if owner_ids.is_empty() {
            return Ok(links);
        }
        let select = Query::select()
            .columns([self.owner, self.other])
            .from(self.table)
            .and_where(Expr::col(self.owner).is_in(owner_ids.iter().copied()))
            .order_by(self.owner, Order::Asc)
            .order_by(POSITION, Order::Asc)
            .to_owned();
        for row in db.query_all(&select).await? {
            let owner: i64 = row.try_get("", self.owner)?;
            let other: i64 = row.try_get("", self.other)?;
            links.entry(owner).or_default().push(other);
        }
        Ok(links)
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
