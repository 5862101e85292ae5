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
}

impl From<String> for Cursor {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// Which page to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRequest {
    /// At most `first` items after the cursor (from the start without one).
    Forward {
        /// How many.
        first: u64,
        /// Where to start.
        after: Option<Cursor>,
    },
    /// At most `last` items before the cursor (up to the end without one).
    Backward {
        /// How many.
        last: u64,
        /// Where to stop.
        before: Option<Cursor>,
    },
    /// Page `number` (from 1) of pages of `size` items, for "trang 7 / 40".
    Numbered {
        /// The page, 1 first.
        number: u64,
        /// Items a page.
        size: u64,
    },
}

fn clamp_size(n: u64) -> u64 {
    n.clamp(1, MAX_PAGE_SIZE)
}

impl PageRequest {
    /// A page of `first` items (clamped to 1..=[`MAX_PAGE_SIZE`]) after `after`.
    pub fn new(first: u64, after: Option<Cursor>) -> Self {
        Self::Forward {
            first: clamp_size(first),
            after,
        }
    }

    /// The first page of `first` items.
    pub fn first(first: u64) -> Self {
        Self::new(first, None)
    }

    /// The `last` items before `before` (clamped like `first`).
    pub fn last(last: u64, before: Option<Cursor>) -> Self {
        Self::Backward {
            last: clamp_size(last),
            before,
        }
    }

    /// Page `number` (from 1; 0 is taken as 1) of pages of `size` items.
    pub fn numbered(number: u64, size: u64) -> Self {
        Self::Numbered {
            number: number.max(1),
            size: clamp_size(size),
        }
    }

    /// How many items the page holds at most.
    pub fn size(&self) -> u64 {
        match self {
            Self::Forward { first: n, .. }
            | Self::Backward { last: n, .. }
            | Self::Numbered { size: n, .. } => *n,
        }
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
    /// The cursor of each item, to continue after (or before) it.
    pub cursors: Vec<Cursor>,
    /// Whether items follow this page.
    pub has_next_page: bool,
    /// Whether items precede this page.
    pub has_previous_page: bool,
}

impl<T> Default for Page<T> {
    /// A page with nothing on it.
    fn default() -> Self {
        Self {
            items: Vec::new(),
            cursors: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
        }
    }
}

impl<T> Page<T> {
    /// The cursor of the first item.
    pub fn start_cursor(&self) -> Option<Cursor> {
        self.cursors.first().cloned()
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
            has_previous_page: self.has_previous_page,
        }
    }

    /// The same page with each item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            cursors: self.cursors,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }

    /// The same page with each item converted, or the first failure.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        let items = self.items.into_iter().map(f).collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            cursors: self.cursors,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        })
    }
}

/// How many items a whole list holds. Lists that grow with the archive are counted up to a
/// bound, so that counting a common word's matches at a million articles costs what it costs
/// at ten thousand; past the bound the count says "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    /// The items counted: all of them when `exact`, else the bound.
    pub count: u64,
    /// Whether `count` is every item; when false the list holds more.
    pub exact: bool,
}

impl Total {
    /// A count of every item.
    pub fn exact(count: u64) -> Self {
        Self { count, exact: true }
    }

    /// The count of a list counted up to `bound` items: a count above the bound (the
    /// statement counts one more than the bound to tell) is "at least `bound`".
    pub(crate) fn bounded(counted: u64, bound: u64) -> Self {
        if counted > bound {
            Self {
                count: bound,
                exact: false,
            }
        } else {
            Self::exact(counted)
        }
    }
}

impl From<u64> for Total {
    fn from(count: u64) -> Self {
        Self::exact(count)
    }
}

/// The pages of several parents with their items taken out, so that what is attached to
/// the items can be loaded for all of them at once, and the items put back.
pub(crate) struct Shelved<K> {
    shells: Vec<(K, Page<()>, usize)>,
}

/// Takes the items out of pages, in order.
pub(crate) fn shelve<K, T>(pages: impl IntoIterator<Item = (K, Page<T>)>) -> (Vec<T>, Shelved<K>) {
    let mut items = Vec::new();
    let mut shells = Vec::new();
    for (parent, page) in pages {
        let size = page.items.len();
        items.extend(page.items);
        let shell = Page {
            items: Vec::new(),
            cursors: page.cursors,
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
        };
        shells.push((parent, shell, size));
    }
    (items, Shelved { shells })
}

impl<K: Eq + std::hash::Hash> Shelved<K> {
    /// Puts the items (as many and in the order they were taken out) back in their pages.
    pub(crate) fn put_back<T>(self, items: Vec<T>) -> std::collections::HashMap<K, Page<T>> {
        let mut items = items.into_iter();
        self.shells
            .into_iter()
            .map(|(parent, shell, size)| {
                (
                    parent,
                    shell.with_items(items.by_ref().take(size).collect()),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_only_works_for_its_own_list() {
        let cursor = Cursor::new("tag", &[Value::from(42)]);
        assert_eq!(cursor.key("tag", 1).unwrap(), [Value::from(42)]);
        assert!(matches!(cursor.key("site", 1), Err(StoreError::BadCursor)));
        assert!(matches!(cursor.key("tag", 2), Err(StoreError::BadCursor)));
        assert!(matches!(
            Cursor::from("not a cursor".to_owned()).key("tag", 1),
            Err(StoreError::BadCursor)
        ));
    }

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(PageRequest::first(0).size(), 1);
        assert_eq!(PageRequest::first(1000).size(), MAX_PAGE_SIZE);
        assert_eq!(PageRequest::last(1000, None).size(), MAX_PAGE_SIZE);
        assert_eq!(
            PageRequest::numbered(0, 10),
            PageRequest::Numbered {
                number: 1,
                size: 10
            }
        );
    }
}
