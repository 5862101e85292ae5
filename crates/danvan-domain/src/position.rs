//! Positions: a title held in an organisation for a term.

use crate::{Name, OrganisationId, PersonId, Term};

/// "Phó Bí thư Thường trực" of "Tỉnh ủy" from one date to another. A person holds several
/// at once; `rank` keeps them in the order an article lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionData {
    /// Who holds it.
    pub person_id: PersonId,
    /// Where.
    pub organisation_id: OrganisationId,
    /// The title as written, e.g. "Trưởng Ban Chỉ đạo".
    pub title: Name,
    /// From when to when.
    pub term: Term,
    /// Order among the person's concurrent posts, 0 first.
    pub rank: i32,
}
