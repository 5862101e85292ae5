//! Accounts of the people who write and moderate, and the keys partners read with.

use crate::enums::coded_enum;
use crate::{DomainError, Name, SiteId};

coded_enum! {
    /// What an account may do; see the policy in `danvan-auth` for the whole table.
    pub enum Role as "role" {
        /// Everything, on every site.
        Admin = "admin", "Quản trị";
        /// Everything in one site, publishing and moderation included.
        Editor = "editor", "Biên tập viên";
        /// Writes and edits their own drafts in one site, and submits them for review.
        Reporter = "reporter", "Phóng viên";
    }
}

impl Role {
    /// Whether an account with this role belongs to one site.
    pub fn needs_site(self) -> bool {
        !matches!(self, Self::Admin)
    }
}

coded_enum! {
    /// What a partner's API key grants, beyond nothing.
    pub enum Scope as "scopes" {
        /// Published content, as the public reads it.
        Read = "read", "Đọc tin đã xuất bản";
        /// Articles scheduled for a later time, before they are public (for syndication).
        Embargoed = "embargoed", "Đọc tin chưa đến giờ đăng";
    }
}

/// The name an account signs in with: 3 to 64 lower-case ASCII letters, digits, `.`, `_`
/// or `-`, so that it reads the same in every log and on every keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Checks a user name; upper case is folded to lower case.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(DomainError::Empty { field: "username" });
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if name.len() < 3 || name.len() > 64 || !name.chars().all(allowed) {
            return Err(DomainError::invalid(
                "username",
                "use 3 to 64 letters a-z, digits, '.', '_' or '-'",
            ));
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fewest characters a password may have. Length is what makes a password hard to
/// guess; no rules about digits or symbols.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password's length, counted in characters (a Vietnamese passphrase with
/// diacritics counts as a reader counts it).
pub fn check_password(password: &str) -> Result<(), DomainError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > 1024 {
        return Err(DomainError::TooLong {
            field: "password",
            max: 1024,
            actual: chars,
        });
    }
    Ok(())
}

/// An account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountData {
    /// What it signs in with.
    pub username: Username,
    /// The name shown beside what it writes: "Phương Nhung".
    pub display_name: Name,
    /// What it may do.
    pub role: Role,
    /// The site it belongs to; every role but admin has one.
    pub site_id: Option<SiteId>,
    /// A disabled account cannot sign in, and its tokens stop working.
    pub disabled: bool,
}

impl AccountData {
    /// Checks that the role and the site agree.
    pub fn validate(&self) -> Result<(), DomainError> {
        match (self.role.needs_site(), self.site_id) {
            (true, None) => Err(DomainError::invalid(
                "site",
                format!("a {} belongs to a site", self.role.code()),
            )),
            (false, Some(_)) => Err(DomainError::invalid(
                "site",
                "an admin belongs to every site, not one",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_folded_and_checked() {
        assert_eq!(Username::parse(" Bien.Tap ").unwrap().as_str(), "bien.tap");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("biên-tập").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        // Ten characters, more bytes: long enough.
        assert!(check_password("Dân vận k1").is_ok());
        assert!(check_password("ngắn quá").is_err());
    }

    #[test]
    fn every_role_but_admin_belongs_to_a_site() {
        let account = |role, site_id| AccountData {
            username: Username::parse("phongvien").unwrap(),
            display_name: Name::parse("Phương Nhung").unwrap(),
            role,
            site_id,
            disabled: false,
        };
        assert!(account(Role::Admin, None).validate().is_ok());
        assert!(account(Role::Admin, Some(SiteId(1))).validate().is_err());
        assert!(account(Role::Editor, None).validate().is_err());
        assert!(account(Role::Reporter, Some(SiteId(1))).validate().is_ok());
    }
}
