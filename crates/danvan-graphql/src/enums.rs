//! The schema's enums, mirrors of the domain's closed sets. The domain keeps no GraphQL
//! derive, so that the public schema and the domain can move apart when they must.

/// Declares a GraphQL enum with the same variants as a domain enum, and the conversions.
macro_rules! mirror {
    (
        $(#[$meta:meta])*
        $name:ident = $($domain:ident)::+ {
            $($(#[$vmeta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl From<$($domain)::+> for $name {
            fn from(value: $($domain)::+) -> Self {
                use $($domain)::+ as Domain;
                match value {
                    $(Domain::$variant => Self::$variant,)+
                }
            }
        }

        impl From<$name> for $($domain)::+ {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant,)+
                }
            }
        }
    };
}

mirror! {
    /// What an item of the media library is.
    MediaKind = danvan_domain::media::MediaKind {
        /// A photo or picture, served in renditions.
        Image,
        /// An attached file (PDF, DOCX, XLSX, ODT), served as uploaded.
        Document,
    }
}

mirror! {
    /// Where an article stands in the editorial workflow.
    ArticleStatus = danvan_domain::article::ArticleStatus {
        /// Being written; never public.
        Draft,
        /// Submitted for review; never public.
        InReview,
        /// Published: public once its publication time has come.
        Published,
        /// Taken off the site, kept for the record.
        Archived,
    }
}

mirror! {
    /// What kind of body an organisation is.
    OrganisationKind = danvan_domain::organisation::OrganisationKind {
        /// A party committee: Tỉnh ủy, Huyện ủy, Đảng ủy xã.
        PartyCommittee,
        /// The standing committee of a party committee: Ban Thường vụ.
        StandingCommittee,
        /// A board of a party committee: Ban Dân vận, Ban Tuyên giáo.
        PartyBoard,
        /// A party committee of a bloc: Đảng ủy Khối.
        PartyBloc,
        /// A steering committee: Ban Chỉ đạo.
        SteeringCommittee,
        /// The Fatherland Front: Ủy ban MTTQ.
        FatherlandFront,
        /// A socio-political organisation: Công đoàn, Hội LHPN, Đoàn TNCS, Hội Nông dân, Hội CCB.
        SocioPolitical,
        /// A people's council: HĐND.
        PeoplesCouncil,
        /// A people's committee: UBND.
        PeoplesCommittee,
        /// A state agency or unit.
        StateAgency,
        /// A newspaper, a radio or television station.
        Press,
        /// Anything else.
        Other,
    }
}

mirror! {
    /// The level an organisation works at.
    OrganisationLevel = danvan_domain::organisation::OrganisationLevel {
        /// Trung ương.
        Central,
        /// Tỉnh, thành phố trực thuộc Trung ương.
        Province,
        /// Huyện, quận, thị xã (until 30 June 2025).
        District,
        /// Xã, phường, thị trấn, đặc khu.
        Commune,
        /// An agency or bloc outside the territorial levels.
        Agency,
    }
}

mirror! {
    /// The kind of a meeting.
    MeetingKind = danvan_domain::meeting::MeetingKind {
        /// Hội nghị sơ kết: a mid-term review.
        InterimReview,
        /// Hội nghị tổng kết: a full-term review.
        FinalReview,
        /// Hội nghị chuyên đề: a meeting on one subject.
        Thematic,
        /// Hội nghị giao ban: a regular briefing, monthly or quarterly.
        Briefing,
        /// Lễ kỷ niệm: an anniversary, a "Ngày truyền thống".
        Anniversary,
        /// Tuyên dương, biểu dương, tôn vinh: honouring "Dân vận khéo" models and people.
        Commendation,
        /// Hội nghị ủy ban, ban chấp hành, ban thường vụ: a body's own session.
        CommitteeSession,
        /// Hội nghị triển khai, quán triệt: a directive or a plan passed down.
        Dissemination,
        /// Tập huấn, bồi dưỡng: training.
        Training,
        /// Đối thoại với Nhân dân: leaders answering the people.
        Dialogue,
        /// Tiếp xúc cử tri: deputies meeting their voters.
        VoterMeeting,
        /// Ký kết quy chế, chương trình phối hợp: a coordination agreement signed.
        AgreementSigning,
        /// Khảo sát, giám sát, kiểm tra: a survey or an inspection.
        Inspection,
        /// Bình xét, công nhận: models or units assessed and recognised.
        Recognition,
        /// Anything else: a launch, a visit.
        Other,
    }
}

mirror! {
    /// The field (lĩnh vực) of a "Dân vận khéo" model.
    DvkField = danvan_domain::model::DvkField {
        /// Kinh tế.
        Economy,
        /// Văn hóa – xã hội.
        CultureSociety,
        /// Quốc phòng – an ninh.
        DefenceSecurity,
        /// Xây dựng hệ thống chính trị.
        PoliticalSystem,
    }
}

mirror! {
    /// A model (mô hình) or an exemplar (điển hình).
    DvkKind = danvan_domain::model::DvkKind {
        /// Mô hình: a way of working.
        Model,
        /// Điển hình: an exemplary person or collective.
        Exemplar,
    }
}

mirror! {
    /// Where a "Dân vận khéo" model stands.
    DvkStatus = danvan_domain::model::DvkStatus {
        /// Registered and being built.
        Registered,
        /// Recognised by a decision.
        Recognised,
    }
}

mirror! {
    /// The level of the body that recognised a model.
    RecognitionLevel = danvan_domain::model::RecognitionLevel {
        /// Cơ sở: a commune or an agency.
        Grassroots,
        /// Huyện.
        District,
        /// Tỉnh.
        Province,
        /// Trung ương, or a central bloc.
        Central,
    }
}

mirror! {
    /// The kind of area a model serves.
    DvkArea = danvan_domain::model::DvkArea {
        /// Vùng đồng bào dân tộc thiểu số.
        EthnicMinority,
        /// Vùng đồng bào có đạo.
        Religious,
        /// Khu, cụm công nghiệp, khu kinh tế.
        IndustrialZone,
        /// Nơi khó khăn, phức tạp.
        Difficult,
        /// Nông thôn.
        Rural,
        /// Đô thị.
        Urban,
    }
}

mirror! {
    /// How a figure bounds the true number: "Hơn 1000" is more than 1000.
    FigureQualifier = danvan_domain::report_figure::FigureQualifier {
        /// Exactly the value.
        Exact,
        /// More than the value ("hơn", "trên").
        MoreThan,
        /// At least the value.
        AtLeast,
        /// Less than the value ("dưới").
        LessThan,
        /// At most the value.
        AtMost,
        /// About the value ("khoảng").
        About,
    }
}

mirror! {
    /// The kind of a referenced document.
    DocumentKind = danvan_domain::document::DocumentKind {
        /// Nghị quyết (NQ).
        Resolution,
        /// Chỉ thị (CT).
        Directive,
        /// Kết luận (KL).
        Conclusion,
        /// Quyết định (QĐ).
        Decision,
        /// Kế hoạch (KH).
        Plan,
        /// Quy định.
        Regulation,
        /// Hướng dẫn (HD).
        Guidance,
        /// Luật.
        Law,
        /// Pháp lệnh.
        Ordinance,
        /// Nghị định (NĐ).
        Decree,
        /// Thông tư (TT).
        Circular,
        /// Anything else.
        Other,
    }
}

mirror! {
    /// The level of an administrative unit.
    AdminLevel = danvan_domain::admin_unit::AdminLevel {
        /// Tỉnh.
        Province,
        /// Thành phố trực thuộc Trung ương.
        Municipality,
        /// Huyện.
        District,
        /// Quận.
        UrbanDistrict,
        /// Thị xã.
        Town,
        /// Thành phố thuộc tỉnh.
        ProvincialCity,
        /// Xã.
        Commune,
        /// Phường.
        Ward,
        /// Thị trấn.
        Township,
        /// Đặc khu.
        SpecialZone,
    }
}

mirror! {
    /// How a unit passed into a successor.
    SuccessionKind = danvan_domain::admin_unit::SuccessionKind {
        /// The whole unit became part of the successor.
        Merged,
        /// Part of the unit went to the successor.
        Divided,
        /// The same area under a new name or level.
        Renamed,
    }
}

/// The order of a list of articles.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ArticleOrder {
    /// Newest publication first.
    #[default]
    Newest,
    /// Most viewed first.
    MostViewed,
    /// By title, in Vietnamese alphabetical order (a ă â b c d đ …, tones in their order).
    Title,
}

impl From<ArticleOrder> for danvan_store::article::ArticleOrder {
    fn from(order: ArticleOrder) -> Self {
        match order {
            ArticleOrder::Newest => Self::NewestPublished,
            ArticleOrder::MostViewed => Self::MostViewed,
            ArticleOrder::Title => Self::Title,
        }
    }
}

mirror! {
    /// What an account may do.
    Role = danvan_domain::account::Role {
        /// Everything, on every site.
        Admin,
        /// Everything in one site, publishing and moderation included.
        Editor,
        /// Writes and edits their own drafts in one site, and submits them for review.
        Reporter,
    }
}

mirror! {
    /// What a partner's API key grants.
    Scope = danvan_domain::account::Scope {
        /// Published content, as the public reads it.
        Read,
        /// Articles scheduled for a later time, before they are public.
        Embargoed,
    }
}

mirror! {
    /// Whether a body is text or HTML.
    BodyFormat = danvan_domain::html::BodyFormat {
        /// Plain text, paragraphs separated by a blank line (imported pages).
        Text,
        /// Sanitised HTML (bodies written through the API).
        Html,
    }
}

mirror! {
    /// Where a comment stands in moderation; only approved comments are public.
    CommentStatus = danvan_domain::comment::CommentStatus {
        /// Waiting for an editor.
        Pending,
        /// Public.
        Approved,
        /// Refused by an editor.
        Rejected,
    }
}

mirror! {
    /// What happened to a record, as the change log says.
    ChangeAction = danvan_store::change::Action {
        /// Made.
        Created,
        /// Changed, staying in the state it was in.
        Updated,
        /// Published, now or (for an article) when its scheduled time came.
        Published,
        /// Taken back from publication to a draft or to review.
        Unpublished,
        /// Archived.
        Archived,
        /// Deleted.
        Deleted,
        /// Brought back from deletion.
        Restored,
        /// Approved by a moderator (a comment).
        Approved,
    }
}

mirror! {
    /// What kind of record changed.
    ChangeConcept = danvan_store::change::Concept {
        /// An article.
        Article,
        /// A reader's comment.
        Comment,
        /// A meeting.
        Meeting,
        /// A "Dân vận khéo" model.
        DvkModel,
        /// A report figure.
        ReportFigure,
        /// An organisation.
        Organisation,
        /// A person.
        Person,
        /// A person's position in an organisation.
        Position,
        /// A document.
        Document,
        /// A campaign.
        Campaign,
        /// A tag.
        Tag,
        /// A site's category.
        Category,
        /// A site.
        Site,
        /// An administrative unit.
        AdminUnit,
        /// An item of a media library.
        Media,
    }
}
