//! Small builders shared by the migrations, so that every table gets its id, timestamps,
//! foreign keys and indexes in the same way on both backends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

/// A new table with a 64-bit auto-increment `id` and UTC `created_at`/`updated_at`.
pub fn entity(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(schema::big_pk_auto("id"))
        .col(schema::timestamp_with_time_zone("created_at"))
        .col(schema::timestamp_with_time_zone("updated_at"))
        .to_owned()
}

/// A link table with a composite primary key and no id of its own.
pub fn link(name: &'static str) -> TableCreateStatement {
    Table::create().table(name).to_owned()
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

/// An index named after its table and columns, `unique` when asked.
pub fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!(
            "{}_{}_{}",
            if unique { "uq" } else { "ix" },
            table,
            columns.join("_")
        ))
        .table(table);
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

/// Creates the tables, then the indexes.
pub async fn create(
    manager: &SchemaManager<'_>,
    tables: Vec<TableCreateStatement>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for table in tables {
        manager.create_table(table).await?;
    }
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops tables, in the order given (dependents first).
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).if_exists().to_owned())
            .await?;
    }
    Ok(())
}

/// Drops an index of `table` made with `index`, by the name its statement gives.
pub async fn drop_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    index: IndexCreateStatement,
) -> Result<(), DbErr> {
    let name = index
        .get_index_spec()
        .get_name()
        .unwrap_or_default()
        .to_owned();
    manager
        .drop_index(Index::drop().name(name).table(table).to_owned())
        .await
}
