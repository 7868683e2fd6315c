/* kac-central-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's SQLite store: centres, users, bearer tokens (hashed), records stored once per
 * UUID with the hash of their canonical body, application statuses with an audit trail, and one
 * change counter for the status feed. One connection, owned by one process: opening takes an
 * exclusive lock on "FILE.lock", so a second process (a command line tool while the server
 * runs) is told so instead of becoming a second writer (Debian's SQLite 3.40 WAL-reset race).
 */
#pragma once

#include <glib-object.h>

#include "kac-calendar.h"
#include "kac-types.h"
#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_CENTRAL_STORE_ERROR (kac_central_store_error_quark ())

typedef enum
{
  KAC_CENTRAL_STORE_ERROR_FAILED,      /* SQLite failed: disk, corruption, … */
  KAC_CENTRAL_STORE_ERROR_LOCKED,      /* another process has the database open */
  KAC_CENTRAL_STORE_ERROR_VERSION,     /* made by a newer kac-central */
  KAC_CENTRAL_STORE_ERROR_EXISTS,      /* a centre or user with that name exists */
  KAC_CENTRAL_STORE_ERROR_NOT_FOUND,   /* no such centre, user or record */
  KAC_CENTRAL_STORE_ERROR_INVALID,     /* a value the schema does not allow */
  KAC_CENTRAL_STORE_ERROR_FORBIDDEN,   /* the user may not change this record */
  KAC_CENTRAL_STORE_ERROR_TRANSITION,  /* not the next status of the record */
} KacCentralStoreError;

/* Roles of MK 401 §22: clerk and manager act for one centre, institution users for one
 * institution, admins for the whole system. */
typedef enum
{
  KAC_CENTRAL_ROLE_CLERK,
  KAC_CENTRAL_ROLE_MANAGER,
  KAC_CENTRAL_ROLE_INSTITUTION,
  KAC_CENTRAL_ROLE_ADMIN,
} KacCentralRole;

const char *kac_central_role_to_string   (KacCentralRole  role);
gboolean    kac_central_role_from_string (const char     *string,
                                          KacCentralRole *role);

typedef struct
{
  gint64          id;
  char           *username;
  char           *display_name;   /* may be NULL */
  char           *password_hash;
  KacCentralRole  role;
  char           *centre_id;      /* clerk, manager */
  char           *centre_name;
  KacCentreKind   centre_kind;
  char           *institution;    /* institution */
} KacCentralUser;

void            kac_central_user_free            (KacCentralUser *user);

typedef struct
{
  char   *hash;
  char   *central_number;
  char   *centre_id;
} KacCentralStoredRecord;

void            kac_central_stored_record_free   (KacCentralStoredRecord *stored);

#define KAC_CENTRAL_TYPE_STORE (kac_central_store_get_type ())

G_DECLARE_FINAL_TYPE (KacCentralStore, kac_central_store, KAC_CENTRAL, STORE, GObject)

GQuark           kac_central_store_error_quark   (void);

/* Opens (creating and migrating when needed) the store at @path. */
KacCentralStore *kac_central_store_open          (const char       *path,
                                                  GError          **error);
const char      *kac_central_store_get_path      (KacCentralStore  *self);
/* Random, made when the store is created and by kac_central_store_new_epoch(). */
const char      *kac_central_store_get_epoch     (KacCentralStore  *self);
/* After a restore from backup: cursors of the old epoch then answer 410 and clients resync. */
gboolean         kac_central_store_new_epoch     (KacCentralStore  *self,
                                                  GError          **error);
gint64           kac_central_store_get_n_records (KacCentralStore  *self);

/* Centres and users */

gboolean         kac_central_store_add_centre    (KacCentralStore  *self,
                                                  const char       *id,
                                                  const char       *name,
                                                  KacCentreKind     kind,
                                                  GError          **error);
/* @centre_id for clerks and managers only, @institution for institution users only. */
gboolean         kac_central_store_add_user      (KacCentralStore  *self,
                                                  const char       *username,
                                                  const char       *display_name,
                                                  const char       *password_hash,
                                                  KacCentralRole    role,
                                                  const char       *centre_id,
                                                  const char       *institution,
                                                  GError          **error);
/* NULL without an error when there is no such user. */
KacCentralUser  *kac_central_store_lookup_user   (KacCentralStore  *self,
                                                  const char       *username,
                                                  GError          **error);
gint64           kac_central_store_count_users   (KacCentralStore  *self,
                                                  GError          **error);

/* Tokens: only their SHA-256 is stored. */

gboolean         kac_central_store_add_token     (KacCentralStore  *self,
                                                  const guint8     *token_hash,
                                                  gint64            user_id,
                                                  GDateTime        *expires_at,
                                                  GError          **error);
/* The token's user when the token exists, is not revoked and has not expired at @now; NULL
 * without an error otherwise. */
KacCentralUser  *kac_central_store_lookup_token  (KacCentralStore  *self,
                                                  const guint8     *token_hash,
                                                  GDateTime        *now,
                                                  GError          **error);
gboolean         kac_central_store_revoke_token  (KacCentralStore  *self,
                                                  const guint8     *token_hash,
                                                  GError          **error);

/* Records: the caller runs begin, finds and inserts, then commits (or rolls back), so a whole
 * batch is one durable transaction and its answer is sent only after the COMMIT. */

gboolean         kac_central_store_begin         (KacCentralStore  *self,
                                                  GError          **error);
gboolean         kac_central_store_commit        (KacCentralStore  *self,
                                                  GError          **error);
void             kac_central_store_rollback      (KacCentralStore  *self);
/* NULL without an error when the UUID is not stored. */
KacCentralStoredRecord *kac_central_store_find_record (KacCentralStore *self,
                                                       const char      *uuid,
                                                       GError         **error);
/* Stores @record (validated by the caller) with its canonical @body and @hash, gives it the
 * next central registration number ("KAC-2026-000123", per year of @now), status
 * "registered", a due date where the kind has one, an audit row and the next change number.
 * Returns the central number. */
char            *kac_central_store_insert_record (KacCentralStore  *self,
                                                  KacRecord        *record,
                                                  const char       *body,
                                                  const char       *hash,
                                                  const char       *institution_code,
                                                  KacCentralUser   *submitted_by,
                                                  GDateTime        *now,
                                                  GError          **error);

/* Statuses */

/* Moves the record named by @uuid_or_number (a UUID or a central number) to @status, which must
 * be the next one (registered → forwarded → completed). @user NULL means the operator at the
 * command line (@actor names them in the audit row); an institution user may move only records
 * of its institution. Its own transaction. */
gboolean         kac_central_store_set_status    (KacCentralStore       *self,
                                                  const char            *uuid_or_number,
                                                  KacApplicationStatus   status,
                                                  const char            *due_date,
                                                  const char            *note,
                                                  KacCentralUser        *user,
                                                  const char            *actor,
                                                  GDateTime             *now,
                                                  GError               **error);

/* The changes of @centre_id's records after change number @since, oldest first, at most
 * @limit; fills page->cursor ("epoch.seq") and page->more. */
KacWireChangesPage *kac_central_store_list_changes (KacCentralStore *self,
                                                    const char      *centre_id,
                                                    gint64           since,
                                                    guint            limit,
                                                    GError         **error);
gint64           kac_central_store_get_last_change (KacCentralStore *self,
                                                    GError         **error);

/* The day in Latvia @days working days (of @calendar) after the day of @date: the
 * 7-working-day answer deadline of MK 402 §12.3 used for complaints, questions and
 * suggestions. "YYYY-MM-DD". */
char            *kac_central_add_working_days    (KacCalendar      *calendar,
                                                  GDateTime        *date,
                                                  guint             days);

/* The calendar due dates are counted with: libkac's own until an operator gives a newer one
 * (kac-central serve --calendar FILE). */
void             kac_central_store_set_calendar  (KacCentralStore  *self,
                                                  KacCalendar      *calendar);
KacCalendar     *kac_central_store_get_calendar  (KacCentralStore  *self);

/* Figures (kac-central-store-stats.c) */

/* The figures of @centre_id for the days @from … @to (in Latvia, inclusive), with delays
 * judged on @as_of; computed by SQL aggregates over the records_stats index. Fails with
 * KAC_CENTRAL_STORE_ERROR_NOT_FOUND for an unknown centre and _INVALID for a range the wire
 * format does not allow (from after to, longer than KAC_WIRE_STATS_MAX_DAYS). */
KacWireStats    *kac_central_store_get_stats     (KacCentralStore  *self,
                                                  const char       *centre_id,
                                                  const GDate      *from,
                                                  const GDate      *to,
                                                  const GDate      *as_of,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacCentralUser, kac_central_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacCentralStoredRecord, kac_central_stored_record_free)

G_END_DECLS
