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
#include "kac-wire.h"

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

#define KAC_STORE_SCHEMA_VERSION 6

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
 * durably. Validates without a catalogue first. Updates the records model. The record and
 * its outbox entry (the body kac_wire_encode_record() gives at this moment) are written in the
 * same transaction; a correction rewrites the body and makes the entry due at once. A record
 * being sent at this moment (state sending) cannot be corrected or withdrawn:
 * KAC_STORE_ERROR_NOT_EDITABLE says to try again in a moment. */
gboolean    kac_store_save_record         (KacStore     *self,
                                           KacRecord    *record,
                                           GError      **error);
/* Marks a queued/rejected record withdrawn (it is kept, never deleted) and removes it from
 * the outbox, in one transaction: a never-sent record is then never sent. */
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

/* Outbox: KacSyncEngine's side of the store (the GUI never calls these).
 *
 * Each queued record has one outbox entry holding its canonical JSON body, serialised once
 * when it was saved (or corrected) and sent byte for byte on every retry, with an attempt
 * count, the time of its next attempt and the last error. An entry is pending or in flight;
 * taking entries marks them in flight and their records "sending"; every outcome brings them
 * back in one transaction. At open, entries left in flight by a crash go back to pending
 * (same UUID and body, so a resend is answered as a replay by the server).
 *
 * Properties "n-pending" (entries: records queued or sending), "n-rejected" (records
 * rejected) and "n-stuck" (pending entries that failed KAC_STORE_STUCK_ATTEMPTS times or
 * have waited over KAC_STORE_STUCK_SECONDS) notify on change. */

#define KAC_STORE_STUCK_ATTEMPTS 8
#define KAC_STORE_STUCK_SECONDS  (30 * 60)

typedef struct
{
  char  *uuid;
  char  *body;      /* the record's canonical JSON (kac_wire_encode_record at save time) */
  guint  attempts;  /* failed attempts so far */
} KacOutboxEntry;

void        kac_outbox_entry_free         (KacOutboxEntry *entry);

/* Takes up to @limit pending entries, oldest first, that are due now (or all pending ones
 * with @ignore_schedule), marks them in flight and their records "sending". Returns a
 * GPtrArray of KacOutboxEntry, empty when nothing is due. */
GPtrArray  *kac_store_outbox_take         (KacStore     *self,
                                           guint         limit,
                                           gboolean      ignore_schedule,
                                           GError      **error);
/* After a transient failure: the entries go back to pending (records "queued") with one more
 * attempt, @next_attempt_usec (real time, g_get_real_time()) and @last_error. */
gboolean    kac_store_outbox_release      (KacStore     *self,
                                           GPtrArray    *entries,
                                           gint64        next_attempt_usec,
                                           const char   *last_error,
                                           GError      **error);
/* Applies the server's answer: @results holds one KacWireItemResult per entry, in the same
 * order (the caller checks this). In one transaction: accepted and duplicate → the record is
 * accepted with its central number and leaves the outbox; rejected → the record is rejected
 * with the server's title as state-detail and leaves the outbox (kept, shown, never resent
 * until corrected); conflict → rejected likewise with a message saying that the central system
 * holds another version of it. */
gboolean    kac_store_outbox_apply_results (KacStore    *self,
                                            GPtrArray   *entries,
                                            GPtrArray   *results,
                                            GError     **error);
/* The earliest next-attempt time (real time, µs) of the pending entries; FALSE when there is
 * no pending entry. */
gboolean    kac_store_outbox_get_next_due (KacStore     *self,
                                           gint64       *next_due_usec);
/* The last error recorded on a pending entry of @uuid, or NULL. */
char       *kac_store_outbox_dup_last_error (KacStore   *self,
                                             const char *uuid);
guint       kac_store_get_n_pending       (KacStore     *self);
guint       kac_store_get_n_rejected      (KacStore     *self);
/* Recounts with the current time (the engine calls it when its timers fire). */
guint       kac_store_get_n_stuck         (KacStore     *self);

/* Status changes of the centre's applications, pulled by cursor. */

/* Stores every change of @page (the latest status, central number and due date of each
 * application) and @page->cursor in one transaction, so that a crash resumes from the last
 * whole page. Records of this terminal that are in the model are replaced there (the queue
 * page rebinds and shows the new status). */
gboolean    kac_store_apply_changes       (KacStore           *self,
                                           KacWireChangesPage *page,
                                           GError            **error);
/* The cursor of the last page applied, or NULL (from the beginning). */
char       *kac_store_dup_changes_cursor  (KacStore     *self);
/* Forgets the cursor (after 410 Gone): the next pull starts from the beginning. */
gboolean    kac_store_reset_changes_cursor (KacStore    *self,
                                            GError     **error);
/* Personal data kept no longer than needed (DOMAIN.md): registrations accepted by the central
 * system or withdrawn, registered more than @retention_days before @now, lose their client's
 * name and personal code, also in their history of corrections; their figures stay
 * (kac_store_get_stats() is unchanged) and so does the rest of the record (notes included).
 * Queued and rejected registrations keep theirs. The freed bytes are overwritten
 * (secure_delete) and the write-ahead log emptied. Returns how many registrations were
 * changed, -1 with @error set on failure. */
gint64      kac_store_forget_personal_data (KacStore          *self,
                                            GDateTime         *now,
                                            guint              retention_days,
                                            GError           **error);

/* The central status of an application. FALSE (no error) when none is known yet. @due_date
 * ("YYYY-MM-DD" or NULL) and @changed_at are optional. */
gboolean    kac_store_lookup_application_status (KacStore              *self,
                                                 const char            *uuid,
                                                 KacApplicationStatus  *status,
                                                 char                 **due_date,
                                                 GDateTime            **changed_at,
                                                 GError               **error);

/* Small named values of the sync engine that must survive a restart (e.g. "last-sync",
 * "changes-server"). NULL when unset; setting NULL removes. */
char       *kac_store_dup_sync_value      (KacStore     *self,
                                           const char   *key);
gboolean    kac_store_set_sync_value      (KacStore     *self,
                                           const char   *key,
                                           const char   *value,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacOutboxEntry, kac_outbox_entry_free)

G_END_DECLS
