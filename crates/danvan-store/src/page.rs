//! Keyset (cursor) pagination. A cursor holds the sort key of the last item seen, so that the
//! next page is one index range however deep the reader goes, and rows added meanwhile
//! neither repeat nor vanish.

use crate::StoreError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// The most items one page holds.
pub const MAX_PAGE_SIZE: u64 = 100;

/// An opaque position in a list, given out with each page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

impl Cursor {
    /// A cursor for `list` at the sort key `key`.
    pub(crate) fn new(list: &str, key: &[Value]) -> Self {
        let mut parts = vec![Value::from(list)];
        parts.extend_from_slice(key);
        Self(URL_SAFE_NO_PAD.encode(Value::Array(parts).to_string()))
    }

    /// The sort key of a cursor given out for `list`, with `len` parts.
    pub(crate) fn key(&self, list: &str, len: usize) -> Result<Vec<Value>, StoreError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(&self.0)
            .map_err(|_| StoreError::BadCursor)?;
        let Ok(Value::Array(mut parts)) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(StoreError::BadCursor);
        };
        if parts.len() != len + 1 || parts.first().and_then(Value::as_str) != Some(list) {
            return Err(StoreError::BadCursor);
        }
        parts.remove(0);
        Ok(parts)
    }

    /// The cursor as a string for clients.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id part of a cursor that holds only an id.
    pub(crate) fn id(&self, list: &str) -> Result<i64, StoreError> {
        self.key(list, 1)?
            .first()
            .and_then(Value::as_i64)
            .ok_or(StoreError::BadCursor)
    }
}

impl From<String> for Cursor {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// Which page to read: at most `first` items after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    first: u64,
    after: Option<Cursor>,
}

impl PageRequest {
    /// A page of `first` items (clamped to 1..=[`MAX_PAGE_SIZE`]) after `after`.
    pub fn new(first: u64, after: Option<Cursor>) -> Self {
        Self {
            first: first.clamp(1, MAX_PAGE_SIZE),
            after,
        }
    }

    /// The first page of `first` items.
    pub fn first(first: u64) -> Self {
        Self::new(first, None)
    }

    /// How many items the page holds at most.
    pub fn size(&self) -> u64 {
        self.first
    }

    /// The cursor to continue after.
    pub fn after(&self) -> Option<&Cursor> {
        self.after.as_ref()
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(20)
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in list order.
    pub items: Vec<T>,
    /// The cursor of each item, to continue after it.
    pub cursors: Vec<Cursor>,
    /// Whether more items follow.
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// Cuts the `size + 1` rows a query fetched into a page, making the end cursor with `cursor`.
    pub(crate) fn from_rows(mut rows: Vec<T>, size: u64, cursor: impl Fn(&T) -> Cursor) -> Self {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let has_next_page = rows.len() > size;
        rows.truncate(size);
        Self {
            cursors: rows.iter().map(cursor).collect(),
            items: rows,
            has_next_page,
        }
    }

    /// The cursor of the last item, to ask for the next page.
    pub fn end_cursor(&self) -> Option<Cursor> {
        self.cursors.last().cloned()
    }

    /// The same page with its items replaced (same number, same order).
    pub(crate) fn with_items<U>(self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            cursors: self.cursors,
            has_next_page: self.has_next_page,
        }
    }

    /// The same page with each item converted.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            cursors: self.cursors,
            has_next_page: self.has_next_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_only_works_for_its_own_list() {
        let cursor = Cursor::new("tag", &[Value::from(42)]);
        assert_eq!(cursor.id("tag").unwrap(), 42);
        assert!(matches!(cursor.id("site"), Err(StoreError::BadCursor)));
        assert!(matches!(
            Cursor::from("not a cursor".to_owned()).id("tag"),
            Err(StoreError::BadCursor)
        ));
    }

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(PageRequest::first(0).size(), 1);
        assert_eq!(PageRequest::first(1000).size(), MAX_PAGE_SIZE);
    }

    #[test]
    fn from_rows_keeps_size_items_and_tells_if_more_follow() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| Cursor::new("n", &[Value::from(*n)]));
        assert_eq!(page.items, vec![1, 2]);
        assert!(page.has_next_page);
        assert_eq!(page.end_cursor().unwrap().id("n").unwrap(), 2);
    }
}
