//! Many rows written as one: an import, `cls demo`'s diary, a test's
//! seed. One transaction on the store's own connection, so that reads made
//! while it is open (an import's duplicate check) see exactly the rows it
//! has added, and no other `cls` can write in between.

use rusqlite::{Transaction, TransactionBehavior};

use chrono::{DateTime, FixedOffset};

use super::{
    classify, insert_ack, insert_entry_with_id, insert_episode, NewAck, Result, Store, StoreError,
};
use crate::model::{Episode, Measurements, Stamp};

/// An open batch, handed to the closure of [`Store::insert_batch`].
pub struct Batch<'s> {
    store: &'s Store,
    tx: Transaction<'s>,
    dry_run: bool,
    action: &'static str,
}

impl Batch<'_> {
    /// The diary as this batch sees it, its own rows included: for reads
    /// while the batch is open.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// True in a dry run: nothing is written, and [`Batch::entry`] and
    /// [`Batch::episode`] return `None`.
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// Add one entry; its id (`None` in a dry run).
    pub fn entry(&mut self, stamp: &Stamp, m: &Measurements) -> Result<Option<i64>> {
        self.entry_from(stamp, m, None)
    }

    /// [`Batch::entry`] for an entry read from a device export (or a JSON
    /// export carrying one): `source` names where it came from.
    pub fn entry_from(
        &mut self,
        stamp: &Stamp,
        m: &Measurements,
        source: Option<&str>,
    ) -> Result<Option<i64>> {
        if self.dry_run {
            return Ok(None);
        }
        insert_entry_with_id(&self.tx, None, stamp, m, source)
            .map(Some)
            .map_err(self.err())
    }

    /// Add one acknowledgement (from a JSON export); its id (`None` in a
    /// dry run).
    pub fn ack(
        &mut self,
        a: &NewAck,
        lapsed: Option<DateTime<FixedOffset>>,
    ) -> Result<Option<i64>> {
        if self.dry_run {
            return Ok(None);
        }
        insert_ack(&self.tx, a, lapsed)
            .map(Some)
            .map_err(self.err())
    }

    /// Add one episode; its id (`None` in a dry run).
    pub fn episode(&mut self, e: &Episode) -> Result<Option<i64>> {
        if self.dry_run {
            return Ok(None);
        }
        insert_episode(&self.tx, e).map(Some).map_err(self.err())
    }

    /// Mark the diary as made by `cls demo` (see [`Store::is_synthetic`]),
    /// with the rows that make it so.
    pub fn mark_synthetic(&mut self) -> Result<()> {
        if self.dry_run {
            return Ok(());
        }
        self.tx
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('synthetic', 'demo')",
                [],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        let path = self.store.display();
        let action = self.action;
        move |e| classify(&path, action, e)
    }
}

impl Store {
    /// Write rows in one transaction: `fill` adds them through the
    /// [`Batch`] it is given (and may read the diary through
    /// [`Batch::store`] meanwhile); they are committed together when it
    /// returns `Ok`, and none of them is when it fails. `action` names the
    /// write in an error ("import").
    ///
    /// With `dry_run`, a read transaction instead: `fill` runs the same way
    /// and sees one consistent diary, nothing is written, and the
    /// transaction is rolled back.
    ///
    /// Progress is `fill`'s to report (an import counts bytes read, a plan
    /// rows written), after each row it adds.
    pub fn insert_batch<T, E: From<StoreError>>(
        &self,
        action: &'static str,
        dry_run: bool,
        fill: impl FnOnce(&mut Batch<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let path = self.display();
        let err = |e| classify(&path, action, e);
        let behavior = if dry_run {
            TransactionBehavior::Deferred
        } else {
            TransactionBehavior::Immediate
        };
        // On the shared connection (`&self`), so that `Batch::store` reads
        // inside this transaction; dropped unfinished, it rolls back.
        let tx = Transaction::new_unchecked(&self.conn, behavior).map_err(err)?;
        let mut batch = Batch {
            store: self,
            tx,
            dry_run,
            action,
        };
        let out = fill(&mut batch)?;
        if dry_run {
            batch.tx.rollback().map_err(err)?;
        } else {
            batch.tx.commit().map_err(err)?;
        }
        Ok(out)
    }
}
