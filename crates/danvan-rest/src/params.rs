//! A request's query parameters: each read by name and checked once, at the door, and any
//! parameter the endpoint does not take refused rather than ignored, so that a typo
//! (`?limt=5`) is an error the client sees instead of a default it did not ask for.

use crate::problem::Problem;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::str::FromStr;

/// The query parameters of a request, taken one by one.
#[derive(Debug, Default)]
pub struct Params {
    values: BTreeMap<String, String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        Self::parse(parts.uri.query().unwrap_or_default())
    }
}

impl Params {
    /// The parameters of a query string; a parameter given twice is refused.
    pub fn parse(query: &str) -> Result<Self, Problem> {
        let mut values = BTreeMap::new();
        for (name, value) in form_pairs(query) {
            // `?publishedTo=` is a mistake, not "no date": it is refused, never ignored.
            if value.trim().is_empty() {
                return Err(Problem::parameter(&name, "is empty; leave it out instead"));
            }
            if values.insert(name.clone(), value).is_some() {
                return Err(Problem::parameter(&name, "given more than once"));
            }
        }
        Ok(Self { values })
    }

    /// The text of `name`, if given.
    pub fn text(&mut self, name: &str) -> Option<String> {
        self.values.remove(name)
    }

    /// `name` parsed as `T`.
    pub fn parse_as<T: FromStr>(&mut self, name: &str, what: &str) -> Result<Option<T>, Problem> {
        match self.text(name) {
            None => Ok(None),
            Some(raw) => raw
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| Problem::parameter(name, format!("{raw:?} is not {what}"))),
        }
    }

    /// `name` as `true` or `false`; absent is `false`.
    pub fn flag(&mut self, name: &str) -> Result<bool, Problem> {
        Ok(self
            .parse_as::<bool>(name, "true or false")?
            .unwrap_or(false))
    }

    /// `name` as a day, `2024-07-11`.
    pub fn day(&mut self, name: &str) -> Result<Option<NaiveDate>, Problem> {
        self.parse_as(name, "a day (YYYY-MM-DD)")
    }

    /// `name` as one of an enum's values, written as GraphQL writes them (`INTERIM_REVIEW`)
    /// or as their codes (`interim_review`).
    pub fn choice<T: Copy>(
        &mut self,
        name: &str,
        all: &[T],
        code: impl Fn(T) -> &'static str,
    ) -> Result<Option<T>, Problem> {
        let Some(raw) = self.text(name) else {
            return Ok(None);
        };
        let wanted = raw.trim().to_ascii_lowercase();
        all.iter()
            .copied()
            .find(|v| code(*v) == wanted)
            .map(Some)
            .ok_or_else(|| {
                let names: Vec<String> = all.iter().map(|v| code(*v).to_uppercase()).collect();
                Problem::parameter(name, format!("{raw:?} is not one of {}", names.join(", ")))
            })
    }

    /// `name` as a comma-separated list of words.
    pub fn list(&mut self, name: &str) -> Vec<String> {
        self.text(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Refuses whatever parameter is left: the endpoint does not take it.
    pub fn finish(self) -> Result<(), Problem> {
        match self.values.into_keys().next() {
            None => Ok(()),
            Some(name) => Err(Problem::parameter(
                &name,
                "this endpoint takes no such parameter",
            )),
        }
    }
}

/// The pairs of an `application/x-www-form-urlencoded` query, decoded.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_and_leftovers_refused() {
        let mut params = Params::parse("limit=5&site=gia-vi%E1%BB%87n&x=1").expect("parse");
        assert_eq!(
            params.parse_as::<u32>("limit", "a number").expect("limit"),
            Some(5)
        );
        assert_eq!(params.text("site").as_deref(), Some("gia-viện"));
        let refused = params.finish().expect_err("x is unknown");
        assert_eq!(refused.parameter.as_deref(), Some("x"));

        let mut params = Params::parse("limit=abc").expect("parse");
        let bad = params
            .parse_as::<u32>("limit", "a number")
            .expect_err("abc");
        assert_eq!(bad.parameter.as_deref(), Some("limit"));
        assert!(Params::parse("a=1&a=2").is_err());
    }
}
