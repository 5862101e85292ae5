//! Referenced documents.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::document;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::document::{DocumentData, DocumentKind};
use danvan_domain::{DocumentId, Name, OrganisationId, Record, Title};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored document.
pub type Document = Record<DocumentId, DocumentData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = document::Entity;
    type Id = DocumentId;
    type Data = DocumentData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Document;
    const WHAT: &'static str = "document";

    fn id_column() -> document::Column {
        document::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &DocumentData, stamps: Stamps) -> ActiveOf<Self> {
        document::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            code: Set(data.code.clone()),
            kind: Set(data.kind.code().to_owned()),
            title: Set(data.title.as_ref().map(Title::to_string)),
            issuer: Set(data.issuer.as_ref().map(Name::to_string)),
            issuer_id: Set(data.issuer_id.map(Key::raw)),
            issued_on: Set(data.issued_on),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: DocumentId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: DocumentData {
                code: m.code,
                kind: stored(Self::WHAT, DocumentKind::from_code(&m.kind))?,
                title: m.title.map(Title::from_stored),
                issuer: m.issuer.map(Name::from_stored),
                issuer_id: m.issuer_id.map(OrganisationId),
                issued_on: m.issued_on,
            },
        })
    }
}

standard_functions!(Res, DocumentData, Document, DocumentId, "document");
update_function!(Res, DocumentData, Document, DocumentId, "document");
lifecycle_functions!(Res, Document, DocumentId, "document");

/// The document with this code ("25-NQ/TW"), if any.
pub async fn by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<Document>, StoreError> {
    let code = danvan_text::normalize_line(code);
    crud::one::<Res, _>(
        db,
        document::Entity::find().filter(document::Column::Code.eq(code)),
    )
    .await
}

/// A page of documents, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Document>, StoreError> {
    crud::list::<Res, _>(db, document::Entity::find(), page).await
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, document::Entity::find()).await
}
