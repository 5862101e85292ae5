//! The one table of who may do what. Resolvers describe what they are about to do as an
//! [`Action`] and call [`authorize`]; no resolver looks at a role itself.
//!
//! | action                               | admin | editor of the site | reporter of the site          | partner                   | public |
//! |--------------------------------------|-------|--------------------|-------------------------------|---------------------------|--------|
//! | administer (sites, units, accounts, keys, audit log) | yes | no   | no                            | no                        | no     |
//! | write the shared directory           | yes   | yes                | no                            | no                        | no     |
//! | write what an organisation owns      | yes   | within the site's organisation and below | no      | no                        | no     |
//! | write the site's sections            | yes   | yes                | no                            | no                        | no     |
//! | create an article                    | yes   | yes                | yes                           | no                        | no     |
//! | edit, delete or restore an article   | yes   | yes                | own drafts only               | no                        | no     |
//! | submit for review, withdraw          | yes   | yes                | own articles only             | no                        | no     |
//! | publish, schedule, archive, return   | yes   | yes                | no                            | no                        | no     |
//! | read unpublished articles, revisions | yes   | yes                | own articles only             | no                        | no     |
//! | read embargoed (scheduled) articles  | yes   | yes                | no                            | with the `embargoed` scope, on its site | no |
//! | moderate comments                    | yes   | yes                | no                            | no                        | no     |
//! | preview an import                    | yes   | yes                | yes                           | no                        | no     |
//! | upload to the site's media library   | yes   | yes                | yes                           | no                        | no     |
//! | edit or delete the site's media      | yes   | yes                | no                            | no                        | no     |
//! | post a comment                       | yes   | yes                | yes                           | yes                       | yes    |
//!
//! "Of the site" is checked against the site the action is about: an editor of site A is a
//! stranger on site B. In the same way an editor speaks for the organisation that runs the
//! site and the organisations below it: the meetings, positions, "Dân vận khéo" models,
//! report figures and campaigns of other organisations, and those organisations themselves,
//! are not theirs to change. What belongs to no organisation (people, documents, tags) is
//! the shared directory, which every editor writes.

use crate::AuthError;
use danvan_domain::account::{Role, Scope};
use danvan_domain::{AccountId, ApiKeyId, OrganisationId, SiteId};

/// A signed-in account, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account.
    pub id: AccountId,
    /// Its role now (looked up per request, so a changed role applies at once).
    pub role: Role,
    /// Its site; `None` for an admin.
    pub site: Option<SiteId>,
    /// The organisations it speaks for: its site's organisation and every organisation
    /// below it, looked up per request like the role. Empty for an admin (who needs none),
    /// a reporter, or a site that names no organisation.
    pub organisations: Vec<OrganisationId>,
}

/// A partner's API key, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// The key.
    pub key: ApiKeyId,
    /// What it grants.
    pub scopes: Vec<Scope>,
    /// The one site it reads, or every site.
    pub site: Option<SiteId>,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Principal {
    /// No credentials.
    #[default]
    Public,
    /// A signed-in account.
    Account(Account),
    /// A partner, by API key.
    Partner(Partner),
}

impl Principal {
    /// The account, when one is signed in.
    pub fn account(&self) -> Option<&Account> {
        match self {
            Self::Account(account) => Some(account),
            _ => None,
        }
    }

    /// How the audit log names it: "account:3", "api_key:1", "public".
    pub fn actor(&self) -> String {
        match self {
            Self::Public => "public".into(),
            Self::Account(a) => format!("account:{}", a.id),
            Self::Partner(p) => format!("api_key:{}", p.key),
        }
    }
}

/// An article, as far as the policy needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleRef {
    /// Its site.
    pub site: SiteId,
    /// The account that wrote it through the API, if any (imported articles have none).
    pub author: Option<AccountId>,
    /// Whether it is still a draft.
    pub draft: bool,
}

/// What a request is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sites, administrative units, accounts, API keys, the audit log.
    Administer,
    /// Create, update, delete or restore organisations, people, positions, meetings, tags,
    /// documents, campaigns, "Dân vận khéo" models and report figures, which every site shares.
    WriteDirectory,
    /// Create, update, delete or restore what belongs to an organisation: the organisation
    /// itself (or a new one under it), its positions, the meetings it held, its models, its
    /// figures, the campaigns it launched. Asked together with `WriteDirectory`.
    WriteOwned(OrganisationId),
    /// Create, update, delete or restore a section (category) of a site.
    WriteSections(SiteId),
    /// Write a new article in a site.
    CreateArticle(SiteId),
    /// Edit, delete or restore an article, or restore one of its revisions.
    EditArticle(ArticleRef),
    /// Submit an article for review, or withdraw it from review.
    Submit(ArticleRef),
    /// Publish, schedule, archive, or return an article to its author.
    Publish(SiteId),
    /// Read an article the public cannot, or its revisions.
    ReadUnpublished(ArticleRef),
    /// List what waits in a site (drafts, the review queue).
    ReadNewsroom(SiteId),
    /// Read articles of a site scheduled for later, before their time.
    ReadEmbargoed(SiteId),
    /// Approve or reject comments on a site's articles, and read those waiting.
    Moderate(SiteId),
    /// Run the extraction of an import without saving.
    PreviewImport,
    /// Post a comment (it waits for moderation).
    PostComment,
    /// Register, change, replay or delete webhooks: a site's (`Some`) or every site's.
    ManageWebhooks(Option<SiteId>),
    /// Upload a photo or a file to a site's media library.
    UploadMedia(SiteId),
    /// Change what the library says of an item, delete it, or list the library.
    ManageMedia(SiteId),
}

/// Whether `principal` may do `action`: `Unauthenticated` when credentials are missing,
/// `Forbidden` when they are not enough.
pub fn authorize(principal: &Principal, action: Action) -> Result<(), AuthError> {
    if allows(principal, action) {
        return Ok(());
    }
    Err(match principal {
        Principal::Public => AuthError::Unauthenticated("sign in to do this"),
        _ => AuthError::Forbidden("this account may not do this"),
    })
}

/// The table itself.
pub fn allows(principal: &Principal, action: Action) -> bool {
    use Action::*;
    if action == PostComment {
        return true;
    }
    let account = match principal {
        Principal::Public => return false,
        Principal::Partner(partner) => {
            return match action {
                ReadEmbargoed(site) => {
                    partner.scopes.contains(&Scope::Embargoed)
                        && partner.site.is_none_or(|own| own == site)
                }
                _ => false,
            };
        }
        Principal::Account(account) => account,
    };
    let of = |site: SiteId| account.site == Some(site);
    let own = |article: ArticleRef| article.author == Some(account.id) && of(article.site);
    match account.role {
        Role::Admin => true,
        Role::Editor => match action {
            Administer => false,
            WriteDirectory | PreviewImport | PostComment => true,
            WriteOwned(organisation) => account.organisations.contains(&organisation),
            WriteSections(site) | CreateArticle(site) | Publish(site) | ReadNewsroom(site)
            | ReadEmbargoed(site) | Moderate(site) | UploadMedia(site) | ManageMedia(site) => {
                of(site)
            }
            ManageWebhooks(site) => site.is_some_and(of),
            EditArticle(article) | Submit(article) | ReadUnpublished(article) => of(article.site),
        },
        Role::Reporter => match action {
            CreateArticle(site) | ReadNewsroom(site) | UploadMedia(site) => of(site),
            EditArticle(article) => own(article) && article.draft,
            Submit(article) | ReadUnpublished(article) => own(article),
            PreviewImport | PostComment => true,
            Administer | WriteDirectory | WriteOwned(_) | WriteSections(_) | Publish(_)
            | ReadEmbargoed(_) | Moderate(_) | ManageWebhooks(_) | ManageMedia(_) => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: SiteId = SiteId(1);
    const B: SiteId = SiteId(2);

    /// The organisations of site A: its board and a board below it.
    const OURS: [OrganisationId; 2] = [OrganisationId(10), OrganisationId(11)];
    const THEIRS: OrganisationId = OrganisationId(20);

    fn account(id: i64, role: Role, site: Option<SiteId>) -> Principal {
        Principal::Account(Account {
            id: AccountId(id),
            role,
            site,
            organisations: if site == Some(A) {
                OURS.to_vec()
            } else {
                Vec::new()
            },
        })
    }

    fn article(site: SiteId, author: i64, draft: bool) -> ArticleRef {
        ArticleRef {
            site,
            author: Some(AccountId(author)),
            draft,
        }
    }

    /// Every action against every kind of principal, as the table in the module says.
    #[test]
    fn the_table() {
        let admin = account(1, Role::Admin, None);
        let editor_a = account(2, Role::Editor, Some(A));
        let reporter_a = account(3, Role::Reporter, Some(A));
        let partner_a = Principal::Partner(Partner {
            key: ApiKeyId(1),
            scopes: vec![Scope::Read, Scope::Embargoed],
            site: Some(A),
        });
        let reader = Principal::Partner(Partner {
            key: ApiKeyId(2),
            scopes: vec![Scope::Read],
            site: None,
        });
        let public = Principal::Public;
        let everyone = [&admin, &editor_a, &reporter_a, &partner_a, &reader, &public];
        use Action::*;
        // admin, editor A, reporter A, partner A (embargoed), partner (read), public
        let rows: Vec<(Action, [bool; 6])> = vec![
            (Administer, [true, false, false, false, false, false]),
            (WriteDirectory, [true, true, false, false, false, false]),
            (
                WriteOwned(OURS[1]),
                [true, true, false, false, false, false],
            ),
            (
                WriteOwned(THEIRS),
                [true, false, false, false, false, false],
            ),
            (WriteSections(A), [true, true, false, false, false, false]),
            (WriteSections(B), [true, false, false, false, false, false]),
            (CreateArticle(A), [true, true, true, false, false, false]),
            (CreateArticle(B), [true, false, false, false, false, false]),
            (UploadMedia(A), [true, true, true, false, false, false]),
            (UploadMedia(B), [true, false, false, false, false, false]),
            (ManageMedia(A), [true, true, false, false, false, false]),
            (ManageMedia(B), [true, false, false, false, false, false]),
            (
                EditArticle(article(A, 3, true)),
                [true, true, true, false, false, false],
            ),
            (
                EditArticle(article(A, 3, false)),
                [true, true, false, false, false, false],
            ),
            (
                EditArticle(article(A, 9, true)),
                [true, true, false, false, false, false],
            ),
            (
                EditArticle(article(B, 3, true)),
                [true, false, false, false, false, false],
            ),
            (
                Submit(article(A, 3, true)),
                [true, true, true, false, false, false],
            ),
            (
                Submit(article(A, 9, true)),
                [true, true, false, false, false, false],
            ),
            (Publish(A), [true, true, false, false, false, false]),
            (Publish(B), [true, false, false, false, false, false]),
            (
                ReadUnpublished(article(A, 3, false)),
                [true, true, true, false, false, false],
            ),
            (
                ReadUnpublished(article(B, 9, true)),
                [true, false, false, false, false, false],
            ),
            (ReadNewsroom(A), [true, true, true, false, false, false]),
            (ReadNewsroom(B), [true, false, false, false, false, false]),
            (ReadEmbargoed(A), [true, true, false, true, false, false]),
            (ReadEmbargoed(B), [true, false, false, false, false, false]),
            (Moderate(A), [true, true, false, false, false, false]),
            (Moderate(B), [true, false, false, false, false, false]),
            (
                ManageWebhooks(Some(A)),
                [true, true, false, false, false, false],
            ),
            (
                ManageWebhooks(Some(B)),
                [true, false, false, false, false, false],
            ),
            (
                ManageWebhooks(None),
                [true, false, false, false, false, false],
            ),
            (PreviewImport, [true, true, true, false, false, false]),
            (PostComment, [true, true, true, true, true, true]),
        ];
        for (action, expected) in rows {
            for (who, allowed) in everyone.iter().zip(expected) {
                assert_eq!(allows(who, action), allowed, "{who:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_public_is_told_to_sign_in_and_accounts_are_told_no() {
        assert!(matches!(
            authorize(&Principal::Public, Action::Administer),
            Err(AuthError::Unauthenticated(_))
        ));
        assert!(matches!(
            authorize(&account(2, Role::Editor, Some(A)), Action::Administer),
            Err(AuthError::Forbidden(_))
        ));
    }
}
