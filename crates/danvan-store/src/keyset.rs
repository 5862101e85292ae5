//! The keyset engine behind every list: a sort key of columns, a cursor holding the key of
//! an item, and the SQL condition "after (or before) that key in this order". A page of any
//! depth is then one index range; page numbers use OFFSET, for portals that show them.

use crate::StoreError;
use crate::page::{Cursor, Page, PageRequest, Total};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use serde_json::Value as Json;

/// The type of one column of a sort key, which tells how its cursor part is read back.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<C> {
    /// A 64-bit integer (ids).
    Int(C),
    /// A UTC timestamp.
    Time(C),
    /// A text (a collation key).
    Text(C),
}

impl<C: ColumnTrait> Part<C> {
    fn column(self) -> C {
        match self {
            Self::Int(c) | Self::Time(c) | Self::Text(c) => c,
        }
    }

    fn value(self, json: &Json) -> Result<sea_orm::Value, StoreError> {
        match self {
            Self::Int(_) => json.as_i64().map(Into::into).ok_or(StoreError::BadCursor),
            Self::Time(_) => json
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.to_utc().into())
                .ok_or(StoreError::BadCursor),
            Self::Text(_) => json.as_str().map(Into::into).ok_or(StoreError::BadCursor),
        }
    }
}

/// A cursor part for an integer column read generically.
pub(crate) fn int(value: sea_orm::Value) -> Json {
    match value {
        sea_orm::Value::BigInt(Some(n)) => Json::from(n),
        sea_orm::Value::Int(Some(n)) => Json::from(n),
        _ => Json::Null,
    }
}

/// A cursor part for a timestamp.
pub(crate) fn time(at: DateTime<Utc>) -> Json {
    Json::from(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// An order over whole columns, all ascending or all descending, ending in a unique column
/// (the id) so that every item has its own place.
pub(crate) struct SortKey<C> {
    /// Names the list in its cursors, so that a cursor of one list is refused by another.
    pub list: &'static str,
    pub parts: Vec<Part<C>>,
    pub descending: bool,
}

impl<C: ColumnTrait> SortKey<C> {
    /// The rows strictly beyond `key` going `forward` in this order (or against it).
    fn beyond(&self, key: &[Json], forward: bool) -> Result<Condition, StoreError> {
        if key.len() != self.parts.len() {
            return Err(StoreError::BadCursor);
        }
        let values = self
            .parts
            .iter()
            .zip(key)
            .map(|(part, json)| part.value(json))
            .collect::<Result<Vec<_>, _>>()?;
        // Going forward in an ascending order means greater; each of the other three cases
        // flips it once.
        let greater = forward != self.descending;
        let mut any = Condition::any();
        for (i, part) in self.parts.iter().enumerate() {
            let mut all = Condition::all();
            for (earlier, value) in self.parts.iter().zip(&values).take(i) {
                all = all.add(earlier.column().eq(value.clone()));
            }
            let column = part.column();
            let value = values[i].clone();
            all = all.add(if greater {
                column.gt(value)
            } else {
                column.lt(value)
            });
            any = any.add(all);
        }
        Ok(any)
    }

    /// Up to `limit` rows of `select` from `offset` on, in this order (or against it). The
    /// page's ids are found first, from the sort columns alone, and only its rows are read
    /// whole: sorting every matching row with its text (an organisation's hundreds of
    /// articles, bodies and all) was most of a filtered list's time.
    async fn rows<E, D>(
        &self,
        db: &D,
        select: Select<E>,
        forward: bool,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<E::Model>, StoreError>
    where
        E: EntityTrait<Column = C>,
        D: ConnectionTrait,
    {
        use sea_orm::QueryTrait;
        use sea_orm::sea_query::{Expr, ExprTrait};
        let id =
            self.parts
                .last()
                .map(|part| part.column())
                .ok_or_else(|| StoreError::Corrupt {
                    what: self.list,
                    detail: "a sort key without its id column".to_owned(),
                })?;
        let mut ids = self
            .ordered(select, forward)
            .select_only()
            .column(id)
            .limit(limit);
        if offset > 0 {
            ids = ids.offset(offset);
        }
        let page = E::find().filter(Expr::col(id).in_subquery(ids.into_query()));
        Ok(self.ordered(page, forward).all(db).await?)
    }

    /// `select` in this order, or against it.
    pub(crate) fn ordered<E: EntityTrait<Column = C>>(
        &self,
        mut select: Select<E>,
        forward: bool,
    ) -> Select<E> {
        let order = if forward != self.descending {
            Order::Asc
        } else {
            Order::Desc
        };
        for part in &self.parts {
            select = select.order_by(part.column(), order.clone());
        }
        select
    }
}

/// Reads one page of `select` in the order of `key`; `key_of` gives a row's sort key.
pub(crate) async fn fetch<E, C>(
    db: &C,
    select: Select<E>,
    key: &SortKey<E::Column>,
    request: &PageRequest,
    key_of: impl Fn(&E::Model) -> Vec<Json>,
) -> Result<Page<E::Model>, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let reading = Reading::of(key, request)?;
    let mut select = select;
    if let Some(beyond) = reading.beyond.clone() {
        select = select.filter(beyond);
    }
    let rows = key
        .rows(db, select, reading.forward, reading.limit, reading.offset)
        .await?;
    Ok(reading.page(rows, key.list, key_of))
}

/// What to read for one page of a list in the order of a key: the rows beyond the cursor
/// (if any), in the key's order when `forward` and against it otherwise, up to `limit` from
/// `offset` on. [`fetch`] reads them from one entity; a list ordered in another table than
/// the one it returns (an organisation's articles, ordered in the link table) reads them
/// itself and hands them to [`Reading::page`].
pub(crate) struct Reading {
    pub beyond: Option<Condition>,
    pub forward: bool,
    pub limit: u64,
    pub offset: u64,
    /// The page holds this many; one more read tells that more follow.
    wanted: usize,
    from_cursor: bool,
}

impl Reading {
    pub(crate) fn of<K: ColumnTrait>(
        key: &SortKey<K>,
        request: &PageRequest,
    ) -> Result<Self, StoreError> {
        let size = request.size();
        let wanted = usize::try_from(size).unwrap_or(usize::MAX);
        let beyond = |cursor: &Cursor, forward| -> Result<Condition, StoreError> {
            key.beyond(&cursor.key(key.list, key.parts.len())?, forward)
        };
        let (beyond, forward, offset, from_cursor) = match request {
            PageRequest::Forward { after, .. } => (
                after.as_ref().map(|c| beyond(c, true)).transpose()?,
                true,
                0,
                after.is_some(),
            ),
            PageRequest::Backward { before, .. } => (
                before.as_ref().map(|c| beyond(c, false)).transpose()?,
                false,
                0,
                before.is_some(),
            ),
            PageRequest::Numbered { number, .. } => {
                (None, true, (number - 1).saturating_mul(size), *number > 1)
            }
        };
        Ok(Self {
            beyond,
            forward,
            limit: size + 1,
            offset,
            wanted,
            from_cursor,
        })
    }

    /// The page of the rows read as asked, in the key's order; `key_of` gives a row's key.
    pub(crate) fn page<M>(
        &self,
        mut rows: Vec<M>,
        list: &'static str,
        key_of: impl Fn(&M) -> Vec<Json>,
    ) -> Page<M> {
        let more = rows.len() > self.wanted;
        rows.truncate(self.wanted);
        let (has_next_page, has_previous_page) = if self.forward {
            (more, self.from_cursor)
        } else {
            rows.reverse();
            (self.from_cursor, more)
        };
        let cursors = rows
            .iter()
            .map(|row| Cursor::new(list, &key_of(row)))
            .collect();
        Page {
            items: rows,
            cursors,
            has_next_page,
            has_previous_page,
        }
    }
}

/// How many rows `select` finds.
pub(crate) async fn count<E, C>(db: &C, select: Select<E>) -> Result<u64, StoreError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    Ok(select.count(db).await?)
}

/// How many rows `select` finds, counting at most `bound + 1` of them: the statement stops
/// there however many match, and the answer says "at least `bound`".
pub(crate) async fn count_up_to<E, C>(
    db: &C,
    select: Select<E>,
    bound: u64,
) -> Result<Total, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    use sea_orm::QueryTrait;
    use sea_orm::sea_query::{Expr, Query};
    let mut rows = select.into_query();
    // Only whether a row is there: no columns (bodies) read, no order to sort by.
    rows.clear_selects()
        .clear_order_by()
        .reset_offset()
        .expr(Expr::val(1))
        .limit(bound.saturating_add(1));
    let mut counted = Query::select();
    counted
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_subquery(rows, "counted");
    let n: i64 = match db.query_one(&counted).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(Total::bounded(u64::try_from(n).unwrap_or(0), bound))
}

/// The first `first` rows of each parent, in the order of `key`, in one statement: a window
/// function numbers each parent's rows, and the outer query keeps the first `first + 1`
/// (the extra row tells whether more follow). `query` selects the rows of `E` (joined as
/// needed) and `parent` names the column that holds each row's parent.
pub(crate) async fn first_per_parent<E, C>(
    db: &C,
    mut query: sea_orm::sea_query::SelectStatement,
    parent: (&'static str, &'static str),
    key: &SortKey<E::Column>,
    first: u64,
    key_of: impl Fn(&E::Model) -> Vec<Json>,
) -> Result<std::collections::HashMap<i64, Page<E::Model>>, StoreError>
where
    E: EntityTrait,
    E::Model: sea_orm::FromQueryResult,
    C: ConnectionTrait,
{
    use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Query, WindowStatement};
    const PARENT: &str = "danvan_parent";
    const RANK: &str = "danvan_rank";
    let parent_column = (Alias::new(parent.0), Alias::new(parent.1));
    let mut window = WindowStatement::partition_by(parent_column.clone());
    let order = if key.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    for part in &key.parts {
        window.order_by((E::default(), part.column()), order.clone());
    }
    query
        .expr_as(Expr::col(parent_column), Alias::new(PARENT))
        .expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(RANK));
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(query, Alias::new("windowed"))
        .and_where(
            Expr::col(Alias::new(RANK))
                .lte(i64::try_from(first).unwrap_or(i64::MAX).saturating_add(1)),
        )
        .order_by(Alias::new(PARENT), Order::Asc)
        .order_by(Alias::new(RANK), Order::Asc)
        .to_owned();
    let wanted = usize::try_from(first).unwrap_or(usize::MAX);
    let mut pages: std::collections::HashMap<i64, Page<E::Model>> =
        std::collections::HashMap::new();
    for row in db.query_all(&outer).await? {
        let parent: i64 = row.try_get("", PARENT)?;
        let model = <E::Model as sea_orm::FromQueryResult>::from_query_result(&row, "")?;
        let page = pages.entry(parent).or_default();
        if page.items.len() == wanted {
            page.has_next_page = true;
        } else {
            page.cursors.push(Cursor::new(key.list, &key_of(&model)));
            page.items.push(model);
        }
    }
    Ok(pages)
}
