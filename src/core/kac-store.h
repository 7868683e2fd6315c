/* kac-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal's registrations in one SQLite file: WAL, synchronous=FULL, one writing
 * connection, schema by numbered migrations on PRAGMA user_version. A save returns only after
 * its commit is durable, so "saved" on screen means saved.
 */
#pragma once

#include <gio/gio.h>

#include "kac-record.h"

G_BEGIN_DECLS

#define KAC_STORE_ERROR (kac_store_error_quark ())

typedef enum
{
  KAC_STORE_ERROR_OPEN,          /* the file or its folder cannot be created or opened */
  KAC_STORE_ERROR_LOCKED,        /* another KAC Desk has this profile open */
  KAC_STORE_ERROR_CORRUPT,       /* the file is not a KAC Desk database or is damaged */
  KAC_STORE_ERROR_TOO_NEW,       /* written by a newer KAC Desk (user_version above ours) */
  KAC_STORE_ERROR_FULL,          /* the disk is full: nothing was written */
  KAC_STORE_ERROR_NOT_FOUND,     /* no record with that UUID */
  KAC_STORE_ERROR_NOT_EDITABLE,  /* the record was already sent (or withdrawn) */
  KAC_STORE_ERROR_INVALID,       /* the record did not pass kac_record_validate() */
  KAC_STORE_ERROR_FAILED,        /* any other SQLite failure; nothing was written */
} KacStoreError;

#define KAC_STORE_SCHEMA_VERSION 2

#define KAC_TYPE_STORE (kac_store_get_type ())

G_DECLARE_FINAL_TYPE (KacStore, kac_store, KAC, STORE, GObject)

GQuark      kac_store_error_quark         (void);

/* The default place: $XDG_DATA_HOME/<profile dir>/registrations.db. */
char       *kac_store_dup_default_path    (const char   *profile_dir_name);

/* Opens (creating with mode 0600 and migrating as needed) the store at @path. Takes an
 * exclusive lock on the profile so that a second process gets KAC_STORE_ERROR_LOCKED. */
KacStore   *kac_store_open                (const char   *path,
                                           GError      **error);
const char *kac_store_get_path            (KacStore     *self);
int         kac_store_get_schema_version  (KacStore     *self);

/* Inserts a new record (state queued) or corrects a queued/rejected one (back to queued),
 * durably. Validates without a catalogue first. Updates the records model. */
gboolean    kac_store_save_record         (KacStore     *self,
                                           KacRecord    *record,
                                           GError      **error);
/* Marks a queued/rejected record withdrawn (it is kept, never deleted). */
gboolean    kac_store_withdraw_record     (KacStore     *self,
                                           const char   *uuid,
                                           GError      **error);
KacRecord  *kac_store_lookup_record       (KacStore     *self,
                                           const char   *uuid,
                                           GError      **error);

/* A GListModel of KacRecord, newest first, of the records created at or after the "since"
 * time (default: local midnight today when the store opened). It emits exact items-changed
 * on every save and withdrawal: a new record is inserted where it sorts, a corrected or
 * withdrawn one is replaced in place (1 removed, 1 added) by a new object. The items are the
 * store's own: to correct one, edit a kac_record_copy() and save that. */
GListModel *kac_store_get_records         (KacStore     *self);
GDateTime  *kac_store_get_records_since   (KacStore     *self);
gboolean    kac_store_set_records_since   (KacStore     *self,
                                           GDateTime    *since,
                                           GError      **error);

/* Property "n-queued": records waiting to be sent (queued + rejected are not the same: this
 * counts state queued only). */
guint       kac_store_get_n_queued        (KacStore     *self);

/* Code → GUINT_TO_POINTER (count) over the last 90 days, for kac_catalog_set_usage(). */
GHashTable *kac_store_dup_service_usage   (KacStore     *self,
                                           GError      **error);

G_END_DECLS
