//! Who is asking, and the policy's checks on their behalf.

use crate::ServiceError;
use danvan_auth::{Action, Principal};
use danvan_domain::OrganisationId;

/// Who sent a request, and from where; a door fills it in from the request (its headers
/// and connection) or from the command line.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// Who, once their credentials are checked.
    pub principal: Principal,
    /// The client's address.
    pub client: Option<String>,
    /// The request id (`x-request-id`).
    pub request_id: Option<String>,
}

impl Caller {
    /// Checks that the caller may do `action`, through the one policy, and gives back who
    /// they are. Every use case that needs more than the public may do calls this and
    /// nothing else.
    pub fn authorize(&self, action: Action) -> Result<&Principal, ServiceError> {
        danvan_auth::authorize(&self.principal, action)?;
        Ok(&self.principal)
    }

    /// Checks that the caller may write something that belongs to `owner`, or to no
    /// organisation: the shared directory, and the owner's own things when there is one.
    pub fn authorize_owned(&self, owner: Option<OrganisationId>) -> Result<(), ServiceError> {
        self.authorize(Action::WriteDirectory)?;
        if let Some(owner) = owner {
            self.authorize(Action::WriteOwned(owner))?;
        }
        Ok(())
    }
}
