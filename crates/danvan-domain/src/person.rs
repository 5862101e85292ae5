//! People named in the news: officials who chair meetings, speak and hold positions.

use crate::{Body, Name};

/// A person. Positions are kept apart (see [`crate::position`]), since one person holds
/// several at once and each for its own term.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonData {
    /// The full name in Vietnamese order, family name first: "Trần Hồng Quảng".
    pub full_name: Name,
    /// A short note about the person.
    pub bio: Body,
}

impl PersonData {
    /// A person with a name only.
    pub fn new(full_name: Name) -> Self {
        Self {
            full_name,
            bio: Body::empty(),
        }
    }

    /// The given name, the last word of the full name, by which Vietnamese lists sort.
    pub fn given_name(&self) -> &str {
        self.full_name
            .as_str()
            .rsplit(' ')
            .next()
            .unwrap_or(self.full_name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_given_name_is_the_last_word() {
        let person = PersonData::new(Name::parse("Giáp Thị Bắc").unwrap());
        assert_eq!(person.given_name(), "Bắc");
    }
}
