#![doc = include_str!("../README.md")]

mod clock;
mod connect;
mod crud;
mod entities;
mod error;
mod keyset;
mod links;
pub mod page;

pub mod account;
pub mod admin_unit;
pub mod api_key;
pub mod article;
pub mod audit;
pub mod campaign;
pub mod category;
pub mod change;
pub mod comment;
pub mod crawl;
pub mod document;
pub mod media;
pub mod meeting;
pub mod merge;
pub mod model;
pub mod organisation;
pub mod person;
pub mod position;
pub mod report_figure;
pub mod revision;
pub mod search;
pub mod sign_in_failure;
pub mod signing_key;
pub mod site;
pub mod tag;
pub mod webhook;

pub use connect::{
    Backend, DEFAULT_WAIT, analyze, begin_write, connect, connect_readers, connect_readers_waiting,
    connect_replica, connect_waiting, is_empty, migrate, ping, pool_use, pool_wait,
    replication_lag,
};
pub use error::StoreError;
pub use page::{Cursor, Page, PageRequest, Total};
pub use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
