//! Typed ids, so that an article id cannot be passed where a person id is wanted.

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

ids! {
    /// Identifies a site (portal).
    SiteId;
    /// Identifies an article.
    ArticleId;
    /// Identifies a reader's comment.
    CommentId;
    /// Identifies a meeting.
    MeetingId;
    /// Identifies an organisation.
    OrganisationId;
    /// Identifies a person.
    PersonId;
    /// Identifies a position a person holds.
    PositionId;
    /// Identifies a "Dân vận khéo" model.
    DvkModelId;
    /// Identifies a report figure.
    ReportFigureId;
    /// Identifies a referenced document.
    DocumentId;
    /// Identifies a campaign.
    CampaignId;
    /// Identifies a tag.
    TagId;
    /// Identifies a category.
    CategoryId;
    /// Identifies an administrative unit.
    AdminUnitId;
    /// Identifies an account of someone who writes or moderates.
    AccountId;
    /// Identifies a partner's API key.
    ApiKeyId;
    /// Identifies an item of the media library (a photo, an attached file).
    MediaId;
}
